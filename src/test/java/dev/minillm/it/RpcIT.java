package dev.minillm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * llama.cpp's RPC backend through the jar: two `minillm rpc-server` processes on 127.0.0.1 (the CPU
 * devices of the native build), a bench cell of stories260K split across them generating exactly
 * the tokens of the local cpu cell; and a server that dies mid-cell failing that cell only.
 */
class RpcIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process p : servers) {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "rpc-server did not stop");
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts `minillm rpc-server` and waits until it listens. */
    private Process server(Path dir, int port) throws Exception {
        Path log = dir.resolve("rpc-" + port + ".log");
        Process p = new ProcessBuilder(java(), "-jar", JarEndToEndIT.JAR.toAbsolutePath().toString(), "rpc-server",
                "--port", String.valueOf(port), "--threads", "1", "--engine", NativeEngineIT.NATIVE.toAbsolutePath().toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        servers.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "rpc-server exited: " + Files.readString(log));
            if (Files.readString(log).contains("serving on 127.0.0.1:" + port) && answers(port)) {
                return p;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("rpc-server on port " + port + " did not start: " + Files.readString(log));
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<JsonNode> cells(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("res/raw/stories260K"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(JSON.readTree(f.toFile()));
            }
        }
        return out;
    }

    private static JsonNode cell(List<JsonNode> cells, String placement) {
        return cells.stream().filter(c -> placement.equals(c.path("cell").path("placement").asText(null))
                        || placement.equals(c.path("cell").path("backend").asText()) && c.path("cell").path("placement").isNull())
                .findFirst().orElseThrow(() -> new AssertionError("no cell placed " + placement + " in " + cells));
    }

    @Test
    void aModelSplitAcrossTwoRpcServersGeneratesTheLocalTokens(@TempDir Path dir) throws Exception {
        int a = freePort();
        int b = freePort();
        server(dir, a);
        server(dir, b);
        String banner = Files.readString(dir.resolve("rpc-" + a + ".log"));
        assertTrue(banner.contains("no authentication"), banner);

        String rpc = "127.0.0.1:" + a + ",127.0.0.1:" + b;
        JarEndToEndIT.Run r = JarEndToEndIT.jar(dir, "bench", "--model", JarEndToEndIT.STORIES.toAbsolutePath().toString(),
                "--engine", NativeEngineIT.NATIVE.toAbsolutePath().toString(), "--backend", "cpu,gpu", "--rpc", rpc,
                "--repetitions", "1", "--warmup", "0", "--n-predict", "32", "--threads", "1", "--no-wrapper", "--out", "res");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> cells = cells(dir);
        JsonNode local = cell(cells, "cpu");
        JsonNode split = cell(cells, "rpc127.0.0.1-" + a + "+127.0.0.1-" + b);
        assertEquals("ok", local.path("status").asText(), local.toString());
        assertEquals("ok", split.path("status").asText(), split.path("reason").asText());
        assertFalse(local.path("sample").path("output").asText().isEmpty());
        assertEquals(local.path("sample").path("output").asText(), split.path("sample").path("output").asText(),
                "greedy tokens through the RPC servers differ from the local run");
        assertTrue(split.path("metrics").path("decode_tps").path("mean").asDouble() > 0, split.toString());
        JsonNode gpu = split.path("gpu");
        assertEquals(List.of("127.0.0.1:" + a, "127.0.0.1:" + b), JSON.convertValue(gpu.path("rpc_servers"), List.class));
        assertEquals(6, gpu.path("layers_total").asInt(), gpu.toString());
        assertEquals(6, gpu.path("layers_offloaded").asInt(), gpu.toString());
        assertEquals(2, gpu.path("split").size(), "layers on both servers: " + gpu);
        assertTrue(gpu.path("model_bytes_offloaded").asLong() > 0 && gpu.path("kv_bytes_offloaded").asLong() > 0, gpu.toString());
        assertEquals("RPC", gpu.path("devices").get(0).path("backend").asText(), gpu.toString());
        assertTrue(local.path("gpu").isNull() || local.path("gpu").isMissingNode(), "a cpu cell records no placement");
        // the table puts the split beside the local cell
        assertTrue(r.out().contains("gpu-rpc127.0.0.1-" + a), r.out());
        for (Process p : servers) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(answers(a) || answers(b), "the rpc-servers are stopped");
    }

    @Test
    void aServerThatDiesMidCellFailsThatCellAndTheMatrixGoesOn(@TempDir Path dir) throws Exception {
        int a = freePort();
        int b = freePort();
        server(dir, a);
        Process victim = server(dir, b);
        String both = "127.0.0.1:" + a + ",127.0.0.1:" + b;
        // cells: cpu, then split over a and b (b is killed during it), then a alone, then b alone (gone by then)
        List<String> cmd = List.of(java(), "-jar", JarEndToEndIT.JAR.toAbsolutePath().toString(), "bench",
                "--model", JarEndToEndIT.STORIES.toAbsolutePath().toString(),
                "--engine", NativeEngineIT.NATIVE.toAbsolutePath().toString(), "--backend", "both",
                "--rpc", both + ";127.0.0.1:" + a + ";127.0.0.1:" + b, "--repetitions", "100", "--warmup", "0", "--threads", "1",
                "--n-predict", "16", "--no-wrapper", "--out", "res");
        Path err = dir.resolve("bench.err");
        Process bench = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile())
                .redirectOutput(dir.resolve("bench.out").toFile()).start();
        String started = "rpc127.0.0.1-" + a + "+127.0.0.1-" + b + "-native-cpu__t1_n16: measuring";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.readString(err).contains(started) && System.nanoTime() < deadline) {
            assertTrue(bench.isAlive(), Files.readString(err));
            Thread.sleep(200);
        }
        Thread.sleep(3000); // the child is connected and generating
        victim.destroyForcibly();
        assertTrue(bench.waitFor(5, TimeUnit.MINUTES), "bench did not finish");
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(1, bench.exitValue(), stderr);
        List<JsonNode> cells = cells(dir);
        JsonNode split = cell(cells, "rpc127.0.0.1-" + a + "+127.0.0.1-" + b);
        assertEquals("failed", split.path("status").asText(), split.toString());
        assertTrue(split.path("reason").asText().toLowerCase(Locale.ROOT).contains("rpc server"), split.path("reason").asText());
        assertEquals("ok", cell(cells, "cpu").path("status").asText(), "the local cell ran");
        assertEquals("ok", cell(cells, "rpc127.0.0.1-" + a).path("status").asText(), "the cell on the live server ran after the failure");
        JsonNode gone = cell(cells, "rpc127.0.0.1-" + b);
        assertEquals("failed", gone.path("status").asText(), gone.toString());
        assertTrue(gone.path("reason").asText().contains("does not answer"), gone.path("reason").asText());
        assertTrue(stderr.contains("FAILED"), stderr);
    }
}
