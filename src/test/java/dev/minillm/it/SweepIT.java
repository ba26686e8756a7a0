package dev.minillm.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The matrix through the packaged jar: a 2x2x2 sweep with llama-bench tests, then a resume after one setting changed. */
class SweepIT {
    static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, JsonNode> byId(JsonNode array) {
        Map<String, JsonNode> out = new HashMap<>();
        array.forEach(c -> out.put(c.path("cell").path("id").asText(), c));
        return out;
    }

    @Test
    void aSweepIsTheProductOfItsSettingsAndAResumeMeasuresOnlyWhatChanged(@TempDir Path dir) throws Exception {
        Path model = Files.copy(JarEndToEndIT.STORIES, Files.createDirectories(dir.resolve("m")).resolve("stories260K.gguf"));
        String[] common = {"bench", "--model", model.toString(), "--out", "res", "--backend", "cpu", "--repetitions", "2",
                "--warmup", "0", "--n-predict", "8", "--no-wrapper", "-p", "32", "-n", "8", "--cache-type-k", "f16,q8_0"};
        JarEndToEndIT.Run r = JarEndToEndIT.jar(dir, concat(common, "--threads", "1,2", "--flash-attn", "off,on", "-o", "json"));
        assertEquals(0, r.code(), r.err());
        JsonNode cells = JSON.readTree(r.out());
        assertEquals(8, cells.size(), "2 threads x 2 K cache types x 2 flash attention");
        Map<String, JsonNode> ids = byId(cells);
        assertEquals(8, ids.size(), "distinct ids: " + ids.keySet());
        Set<String> files = new HashSet<>();
        try (var walk = Files.walk(dir.resolve("res/raw"))) {
            walk.filter(Files::isRegularFile).forEach(p -> files.add(p.getFileName().toString()));
        }
        assertEquals(8, files.size(), files.toString());
        int ok = 0;
        for (JsonNode c : cells) {
            JsonNode s = c.path("cell").path("settings");
            String id = c.path("cell").path("id").asText();
            assertEquals(2, c.path("schema_version").asInt());
            if (s.path("cache_type_k").asText().equals("q8_0")) {
                // stories260K's heads have 8 elements: a q8_0 block of 32 does not fit, llama.cpp would abort
                assertEquals("skipped", c.path("status").asText(), id);
                assertTrue(c.path("reason").asText().contains("n_embd_head_k % ggml_blck_size(type_k)"), c.path("reason").asText());
                assertTrue(id.contains("ctkq8_0"), id);
            } else {
                assertEquals("ok", c.path("status").asText(), id + ": " + c.path("reason").asText());
                ok++;
                List<String> names = c.path("tests").findValuesAsText("name");
                assertEquals(List.of("pp32", "tg8"), names);
                for (JsonNode t : c.path("tests")) {
                    assertEquals(2, t.path("tps").path("n").asInt());
                    assertTrue(t.path("tps").path("mean").asDouble() > 0, t.toString());
                }
                assertEquals(s.path("flash_attn").asBoolean(), id.contains("fa1"), id);
            }
        }
        assertEquals(4, ok);
        assertTrue(r.err().contains("skipped: llama.cpp: GGML_ASSERT"), r.err());

        // Resume with one setting changed (threads 2 -> 3): only the t3 cells are measured, the t1 ones are reused.
        Map<String, Long> pids = new HashMap<>();
        ids.forEach((id, c) -> pids.put(id, c.path("harness").path("child_pid").asLong()));
        JarEndToEndIT.Run again = JarEndToEndIT.jar(dir, concat(common, "--threads", "1,3", "--flash-attn", "off,on", "-o", "jsonl",
                "--output-file", "run2.jsonl"));
        assertEquals(0, again.code(), again.err());
        assertEquals("", again.out(), "--output-file takes what stdout would have had");
        List<String> lines = Files.readAllLines(dir.resolve("run2.jsonl"));
        assertEquals(8, lines.size());
        int measured = 0;
        int reused = 0;
        for (String line : lines) {
            JsonNode c = JSON.readTree(line);
            String id = c.path("cell").path("id").asText();
            if (!"ok".equals(c.path("status").asText())) {
                continue;
            }
            if (pids.containsKey(id) && pids.get(id) == c.path("harness").path("child_pid").asLong()) {
                reused++;
                assertEquals(1, c.path("cell").path("settings").path("threads").asInt(), id);
            } else {
                measured++;
                assertEquals(3, c.path("cell").path("settings").path("threads").asInt(), id);
            }
        }
        assertEquals(2, reused, again.err());
        assertEquals(2, measured, again.err());
        assertTrue(again.err().contains("2 measured, 2 reused (same settings), 4 skipped, 0 failed"), again.err());
        assertTrue(again.err().contains("already measured with the same settings"), again.err());

        String md = Files.readString(dir.resolve("res/tables/comparison.md"));
        assertTrue(md.contains("| pp32 |") && md.contains("| tg8 |") && md.contains("Range (min … max)"), md);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
