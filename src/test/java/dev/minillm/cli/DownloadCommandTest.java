package dev.minillm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code minillm download} end to end through Main.execute, against a hub on 127.0.0.1. */
class DownloadCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;
    HttpServer server;
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    Path manifest;
    Path models;
    byte[] q4;
    byte[] f16;

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 8);
        server.createContext("/", ex -> {
            try (ex) {
                requests.add(ex.getRequestURI().getPath());
                byte[] body = files.get(ex.getRequestURI().getPath());
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        q4 = new byte[300_000];
        new Random(1).nextBytes(q4);
        f16 = new byte[500_000];
        new Random(2).nextBytes(f16);
        files.put("/org/Small-GGUF/resolve/main/small-q4_k_m.gguf", q4);
        files.put("/org/Small-GGUF/resolve/main/small-fp16.gguf", f16);
        models = tmp.resolve("models");
        manifest = Files.writeString(tmp.resolve("manifest.json"), """
                {"models": [{"id": "small", "repo": "org/Small-GGUF", "files": [
                   {"quant": "Q4_K_M", "file": "small-q4_k_m.gguf"},
                   {"quant": "Q8_0", "file": "small-q8_0.gguf"},
                   {"quant": "F16", "file": "small-fp16.gguf"}]}]}
                """);
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("download", "--manifest", manifest.toString(),
                "--models-dir", models.toString(), "--base-url", base(), "--attempts", "2"));
        all.addAll(Arrays.asList(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void downloadsTheRequestedQuantsIntoModelDirectory() throws Exception {
        CliRun r = run("--model", "small", "--quant", "q4_k_m,fp16");

        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(models.resolve("small/small-q4_k_m.gguf").toAbsolutePath().toString(),
                models.resolve("small/small-fp16.gguf").toAbsolutePath().toString()), r.out().strip().lines().toList());
        assertArrayEquals(q4, Files.readAllBytes(models.resolve("small/small-q4_k_m.gguf")));
        assertArrayEquals(f16, Files.readAllBytes(models.resolve("small/small-fp16.gguf")));
        assertTrue(Files.readString(models.resolve("manifest.lock.json")).contains("small/small-fp16.gguf"));
    }

    @Test
    void jsonNamesEachFileAndWhetherItWasFetched() throws Exception {
        JsonNode first = JSON.readTree(run("--model", "small", "--quant", "q4_k_m", "--json").out());
        assertEquals(1, first.size(), first.toString());
        assertEquals(models.resolve("small/small-q4_k_m.gguf").toAbsolutePath().toString(), first.get(0).path("path").asText());
        assertEquals("downloaded", first.get(0).path("outcome").asText());
        assertEquals(q4.length, first.get(0).path("size").asLong());
        assertEquals(q4.length, first.get(0).path("fetched_bytes").asLong());
        assertEquals(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(q4)),
                first.get(0).path("sha256").asText());

        JsonNode again = JSON.readTree(run("--model", "small", "--quant", "q4_k_m", "--json").out());
        assertEquals("already_present", again.get(0).path("outcome").asText());
        assertEquals(0, again.get(0).path("fetched_bytes").asLong());

        JsonNode plan = JSON.readTree(run("--model", "small", "--quant", "q4_k_m,f16", "--dry-run", "--json").out());
        assertEquals(2, plan.size(), plan.toString());
        assertEquals(base() + "/org/Small-GGUF/resolve/main/small-fp16.gguf", plan.get(1).path("url").asText());
        assertEquals("missing", plan.get(1).path("state").asText());

        manifest = Path.of("models/manifest.json");
        JsonNode list = JSON.readTree(run("--list", "--json").out());
        assertTrue(list.path("models").size() >= 3, list.toString());
        assertTrue(list.path("models").findValuesAsText("file").contains("qwen2.5-0.5b-instruct-q4_k_m.gguf"), list.toString());
        assertTrue(list.path("datasets").findValuesAsText("id").contains("wikitext-2-raw"), list.toString());
    }

    @Test
    void quantAllReachesEveryFileAndAMissingOneFailsTheRun() {
        CliRun r = run("--model", "small", "--quant", "all");

        assertEquals(1, r.code(), r.err());
        assertTrue(lastLine(r.err()).startsWith("minillm: HTTP 404 for " + base() + "/org/Small-GGUF/resolve/main/small-q8_0.gguf"),
                r.err());
        assertTrue(Files.exists(models.resolve("small/small-q4_k_m.gguf")), "files before the failure are kept");
        assertFalse(Files.exists(models.resolve("small/small-q8_0.gguf")));
        assertFalse(Files.exists(models.resolve(".partial")));
    }

    @Test
    void dryRunListsUrlsAndTargetsWithoutFetching() {
        CliRun r = run("--model", "small", "--quant", "Q4_K_M,f16", "--dry-run");

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(base() + "/org/Small-GGUF/resolve/main/small-q4_k_m.gguf"), r.out());
        assertTrue(r.out().contains(models.resolve("small").resolve("small-fp16.gguf").toString()), r.out());
        assertTrue(r.out().contains("missing"), r.out());
        assertTrue(requests.isEmpty());
        assertFalse(Files.exists(models));
    }

    @Test
    void listShowsTheShippedManifest() {
        manifest = Path.of("models/manifest.json");
        CliRun r = run("--list");

        assertEquals(0, r.code(), r.err());
        for (String id : List.of("qwen2.5-0.5b-instruct", "qwen2.5-1.5b-instruct", "llama-3.2-1b-instruct", "wikitext-2-raw")) {
            assertTrue(r.out().contains(id), r.out());
        }
        assertTrue(r.out().contains("qwen2.5-0.5b-instruct-q4_k_m.gguf"), r.out());
        assertTrue(requests.isEmpty());
    }

    @Test
    void badInputIsExitTwoWithOneLine() throws Exception {
        CliRun unknownModel = run("--model", "big", "--quant", "q4_k_m");
        assertEquals(2, unknownModel.code());
        assertEquals("minillm: unknown model 'big' in " + manifest + " (known: small)", unknownModel.err().strip());

        CliRun unknownQuant = run("--model", "small", "--quant", "q3_k_s");
        assertEquals(2, unknownQuant.code());
        assertTrue(unknownQuant.err().contains("available: Q4_K_M, Q8_0, F16, or all"), unknownQuant.err());

        assertEquals(2, run().code(), "nothing to do");
        assertEquals(2, run("--model", "small").code(), "no quant");

        Files.writeString(manifest, "{\"models\": [{\"id\": \"small\", \"repo\": \"org/x\", \"files\": "
                + "[{\"quant\": \"Q8_0\", \"file\": \"../../escape.gguf\"}]}]}");
        CliRun traversal = run("--model", "small", "--quant", "all");
        assertEquals(2, traversal.code());
        assertTrue(traversal.err().contains("not a plain file or directory name"), traversal.err());
        assertEquals(1, traversal.err().strip().lines().count());

        Files.writeString(manifest, "{\"models\": [");
        CliRun broken = run("--list");
        assertEquals(2, broken.code());
        assertTrue(broken.err().contains("not valid JSON"), broken.err());

        manifest = tmp.resolve("missing.json");
        assertEquals(2, run("--list").code());
        assertTrue(requests.isEmpty());
    }

    @Test
    void noServerIsExitOneWithOneLine() {
        String base = base();
        server.stop(0);
        List<String> args = List.of("download", "--manifest", manifest.toString(), "--models-dir", models.toString(),
                "--base-url", base, "--model", "small", "--quant", "q4_k_m");
        CliRun r = CliRun.of(args.toArray(String[]::new));
        String e = r.err();
        assertEquals(1, r.code(), e);
        assertEquals(1, e.strip().lines().count(), e);
        assertTrue(e.startsWith("minillm: cannot connect to 127.0.0.1:"), e);
        assertFalse(Files.exists(models.resolve("small")));
        assertFalse(Files.exists(models.resolve(".partial")));
    }

    @Test
    void badBaseUrlIsBadInput() {
        List<String> args = List.of("download", "--manifest", manifest.toString(), "--models-dir", models.toString(),
                "--base-url", "ftp://example", "--model", "small", "--quant", "q4_k_m");
        assertEquals(2, CliRun.of(args.toArray(String[]::new)).code());
    }
}
