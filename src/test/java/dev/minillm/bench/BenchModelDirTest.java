package dev.minillm.bench;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.cli.CliRun;
import dev.minillm.gguf.synth.ModelShape;
import dev.minillm.gguf.synth.SyntheticModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --model-dir scanning, --quant filtering by GGUF file type, synthetic labelling and the --quality hook. */
class BenchModelDirTest {
    @TempDir
    Path tmp;

    @Test
    void scansTheModelDirFiltersByQuantAndLabelsSyntheticWeights() throws Exception {
        Path family = Files.createDirectories(tmp.resolve("models").resolve("tiny"));
        Path f16 = family.resolve("tiny-f16.gguf");
        SyntheticModels.write(ModelShape.TINY, f16, 7);
        VariantPreparer.available().prepare(f16, family.resolve("tiny-q8_0.gguf"), "Q8_0", 2);
        // Named like Q4_K_M but holding F16: the GGUF file type decides, so --quant q4_k_m must not pick it.
        Files.copy(f16, family.resolve("tiny-q4_k_m.gguf"));

        String out = tmp.resolve("results").toString();
        CliRun run = CliRun.of("bench", "--model-dir", tmp.resolve("models").toString(), "--quant", "q8_0,q4_k_m", "--out", out,
                "--backend", "cpu", "--repetitions", "2", "--warmup", "0", "--n-predict", "8", "--no-wrapper", "--quality");
        assertEquals(0, run.code(), run.err());
        try (var files = Files.walk(Path.of(out, "raw"))) {
            assertEquals(1, files.filter(p -> p.toString().endsWith(".json")).count(), "only the real Q8_0 file was selected");
        }
        JsonNode doc = new ObjectMapper().readTree(Path.of(out, "raw", "tiny", "Q8_0__cpu__n8.json").toFile());
        assertEquals("ok", doc.path("status").asText());
        assertEquals("Q8_0", doc.path("model_info").path("file_type").asText());
        assertTrue(doc.path("model_info").path("synthetic").asBoolean());
        assertEquals(8.5, doc.path("model_info").path("bits_per_weight").asDouble(), 0.6, "Q8_0 is 8.5 bits per weight");
        assertTrue(doc.path("quality").path("synthetic").asBoolean(), doc.path("quality").toString());
        assertEquals("synthetic weights: quality n/a", doc.path("quality").path("note").asText());
        assertTrue(run.err().contains("SYNTHETIC"), "says the figures are from synthetic weights");
        assertTrue(doc.path("metrics").path("decode_tps").path("mean").asDouble() > 0);
    }
}
