package dev.minillm.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.eval.HeadPadded;
import dev.minillm.quant.ProgressListener;
import dev.minillm.quant.QuantType;
import dev.minillm.quant.Quantizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench --quality over a swept KV cache through the packaged jar: every KV setting gets its own
 * quality evaluation against the f16-cache baseline. stories260K's heads (8 values) do not fit a
 * q8_0 cache's 32-value blocks, so the family is stories260K with 32-value heads (same function),
 * in F32 and Q8_0 weights.
 */
class KvQualityJarIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachKvSettingGetsItsOwnQualityAndAQuantizedVWithoutFlashAttentionIsSkipped(@TempDir Path dir) throws Exception {
        Path family = Files.createDirectories(dir.resolve("models/head32"));
        Path f32 = HeadPadded.write(JarEndToEndIT.STORIES, family.resolve("head32-f32.gguf"));
        Quantizer.quantize(f32, family.resolve("head32-q8_0.gguf"), QuantType.valueOf("Q8_0"), 1, ProgressListener.NONE);

        JarEndToEndIT.Run r = JarEndToEndIT.jar(dir, "bench", "--models-dir", dir.resolve("models").toString(), "--out", "res",
                "--quality", "--cache-type-k", "f16,q8_0", "--cache-type-v", "f16,q8_0", "--backend", "cpu", "--threads", "1",
                "--repetitions", "1", "--warmup", "0", "--n-predict", "8", "--no-wrapper");
        assertEquals(0, r.code(), r.err());
        Path raw = dir.resolve("res/raw/head32");

        JsonNode f32f16 = cell(raw, "F32__cpu__t1_n8.json");
        JsonNode f32q8 = cell(raw, "F32__cpu__t1_ctkq8_0_n8.json");
        JsonNode q8f16 = cell(raw, "Q8_0__cpu__t1_n8.json");
        for (JsonNode c : new JsonNode[] {f32f16, f32q8, q8f16}) {
            assertEquals("ok", c.path("status").asText(), c.path("reason").asText());
        }
        JsonNode kv = f32q8.path("quality").path("kv_cache");
        assertEquals("q8_0", kv.path("type_k").asText(), kv.toString());
        assertEquals("f16", kv.path("type_v").asText(), kv.toString());
        assertFalse(kv.path("flash_attn").asBoolean());
        assertEquals("f16", f32f16.path("quality").path("kv_cache").path("type_k").asText());
        // K in q8_0 (34 bytes per 32 values), V in f16: 5 layers x 4 KV heads x 32 values.
        assertEquals(5 * 4 * 32 * (34.0 / 32 + 2), kv.path("bytes_per_token").asDouble(), 1e-9);

        double kvKld = f32q8.path("quality").path("kld").path("mean").asDouble();
        double weightsKld = q8f16.path("quality").path("kld").path("mean").asDouble();
        System.out.printf("KLD vs F32 with the f16 cache: q8_0 K cache %.6g, Q8_0 weights %.6g (ratio %.3f); F32 f16 %.3g%n",
                kvKld, weightsKld, kvKld / weightsKld, f32f16.path("quality").path("kld").path("mean").asDouble());
        assertTrue(kvKld > 0, "a q8_0 K cache rounds the keys: KLD above 0, got " + kvKld);
        assertTrue(weightsKld > 0, "Q8_0 weights: KLD above 0, got " + weightsKld);
        assertTrue(kvKld < 10 * weightsKld, "q8_0 K-cache KLD " + kvKld + " should stay below 10 x the Q8_0 weights' " + weightsKld);

        // A quantized V cache needs flash attention: skipped with llama.cpp's reason, nothing run.
        for (String id : new String[] {"F32__cpu__t1_ctvq8_0_n8.json", "F32__cpu__t1_ctkq8_0_ctvq8_0_n8.json"}) {
            JsonNode skipped = cell(raw, id);
            assertEquals("skipped", skipped.path("status").asText(), id);
            assertTrue(skipped.path("reason").asText().contains("flash"), skipped.path("reason").asText());
            assertTrue(skipped.path("quality").isMissingNode() || skipped.path("quality").isNull(), id);
        }

        // The report's KV-cache section: a q8_0 row whose KLD is the cell's.
        String out = r.out();
        assertTrue(out.contains("KV cache: quality vs bytes"), out);
        Matcher row = Pattern.compile("\\| head32 \\| F32 \\| K q8_0, V f16 \\|[^\\n]*\\| ([0-9.]+) \\| [^|]+ \\|\\n").matcher(out);
        assertTrue(row.find(), "a q8_0 row in the KV-cache section:\n" + out);
        assertEquals(kvKld, Double.parseDouble(row.group(1)), 1e-6);
    }

    private static JsonNode cell(Path raw, String name) throws Exception {
        Path f = raw.resolve(name);
        assertTrue(Files.exists(f), "no " + f + "; there are: " + (Files.isDirectory(raw) ? Files.list(raw).toList() : "none"));
        return JSON.readTree(f.toFile());
    }
}
