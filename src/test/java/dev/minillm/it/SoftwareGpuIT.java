package dev.minillm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real gpu cells without a GPU: the native engine's Vulkan variant on Mesa's lavapipe (a software
 * Vulkan device) offloads stories260K through the jar; the --gpu-layers sweep moves layers and
 * device memory, and each cell records the device, its driver and memory, labelled as a software
 * device. Runs when scripts/test.sh could prepare the Vulkan variant; skipped otherwise.
 */
class SoftwareGpuIT {
    static final Path VULKAN = Path.of("target/native/vulkan-prebuilt");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Bench(int code, String out, String err, Map<String, JsonNode> cells) {
    }

    /** {@code lavapipe}: make the software device visible (llama.cpp leaves CPU-type Vulkan devices out by default). */
    private static Bench bench(Path dir, boolean lavapipe, String... args) throws Exception {
        assumeTrue(Files.isRegularFile(VULKAN.resolve("libminillm_jni.so")),
                "no Vulkan variant built (scripts/test.sh prepares it when Debian's mesa-vulkan-drivers is installed)");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JarEndToEndIT.JAR.toAbsolutePath().toString(), "bench", "--model", JarEndToEndIT.STORIES.toAbsolutePath().toString(),
                "--engine", VULKAN.toAbsolutePath().toString(), "--repetitions", "1", "--warmup", "0", "--n-predict", "16",
                "--threads", "1", "--no-wrapper", "--out", "res"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("GGML_VK_VISIBLE_DEVICES");
        if (lavapipe) {
            pb.environment().put("GGML_VK_VISIBLE_DEVICES", "0");
        }
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "bench did not finish");
        Map<String, JsonNode> cells = new HashMap<>();
        try (Stream<Path> files = Files.list(dir.resolve("res/raw/stories260K"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".json")).toList()) {
                JsonNode c = JSON.readTree(f.toFile());
                String placement = c.path("cell").path("placement").asText("");
                cells.put(c.path("cell").path("backend").asText() + (placement.isEmpty() ? "" : "-" + placement), c);
            }
        }
        return new Bench(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8), cells);
    }

    @Test
    void theGpuLayersSweepOffloadsToTheSoftwareDeviceBesideAPureCpuCell(@TempDir Path dir) throws Exception {
        Bench b = bench(dir, true, "--backend", "both", "--gpu-layers", "2,all");
        assertEquals(0, b.code(), b.err());
        JsonNode cpu = b.cells().get("cpu");
        JsonNode partial = b.cells().get("gpu-ngl2");
        JsonNode all = b.cells().get("gpu");
        assertNotNull(partial, b.cells().keySet().toString());
        assertNotNull(all, b.cells().keySet().toString());
        assertEquals("ok", cpu.path("status").asText(), cpu.path("reason").asText());
        assertTrue(cpu.path("gpu").isNull(), "the cpu cell uses no device: " + cpu.path("gpu"));
        for (JsonNode c : List.of(partial, all)) {
            assertEquals("ok", c.path("status").asText(), c.path("reason").asText());
            JsonNode gpu = c.path("gpu");
            JsonNode dev = gpu.path("devices").get(0);
            assertEquals("Vulkan0", dev.path("name").asText(), gpu.toString());
            assertTrue(dev.path("description").asText().contains("llvmpipe"), dev.toString());
            assertTrue(dev.path("software").asBoolean() && gpu.path("software_device").asBoolean(), gpu.toString());
            assertTrue(dev.path("driver").asText().contains("Mesa"), dev.toString());
            assertTrue(dev.path("runtime").asText().startsWith("Vulkan 1."), dev.toString());
            assertTrue(dev.path("memory_total_bytes").asLong() > 0 && dev.path("memory_free_bytes").asLong() > 0, dev.toString());
            assertTrue(gpu.path("kv_bytes_offloaded").asLong() > 0, gpu.toString());
            assertTrue(c.path("cold_load").path("evicted").asText().contains("Vulkan0"), c.path("cold_load").toString());
            assertTrue(c.path("metrics").path("decode_tps").path("mean").asDouble() > 0);
        }
        assertEquals(2, partial.path("gpu").path("layers_offloaded").asInt(), partial.path("gpu").toString());
        assertEquals(4, partial.path("gpu").path("split").path("CPU").asInt(), partial.path("gpu").toString());
        assertEquals(6, all.path("gpu").path("split").path("Vulkan0").asInt(), all.path("gpu").toString());
        assertTrue(all.path("gpu").path("model_bytes_offloaded").asLong() > partial.path("gpu").path("model_bytes_offloaded").asLong());
        assertTrue(all.path("gpu").path("kv_bytes_offloaded").asLong() > partial.path("gpu").path("kv_bytes_offloaded").asLong());
        // one table: the cpu cell, then the gpu cells as their layers leave the CPU, the device named as software
        String header = b.out().lines().filter(l -> l.startsWith("| Metric |")).findFirst().orElseThrow();
        assertTrue(header.indexOf("F32 cpu") < header.indexOf("F32 gpu-ngl2") && header.indexOf("F32 gpu-ngl2") < header.indexOf("F32 gpu "),
                header);
        assertTrue(b.out().contains("software device") && b.out().contains("| Layers offloaded (split) |"), b.out());
    }

    @Test
    void withTheSoftwareDeviceLeftOutTheGpuCellIsSkippedNotRunOnTheCpu(@TempDir Path dir) throws Exception {
        Bench b = bench(dir, false, "--backend", "gpu");
        assertEquals(0, b.code(), b.err());
        JsonNode c = b.cells().get("gpu");
        assertEquals("skipped", c.path("status").asText(), c.toString());
        assertTrue(c.path("reason").asText().contains("found no GPU device"), c.path("reason").asText());
        assertTrue(c.path("reason").asText().contains("GGML_VK_VISIBLE_DEVICES"), c.path("reason").asText());
    }
}
