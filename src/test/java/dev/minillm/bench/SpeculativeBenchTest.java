package dev.minillm.bench;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.cli.CliRun;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.GgufMetadata;
import dev.minillm.gguf.GgufValue;
import dev.minillm.gguf.GgufWriter;
import dev.minillm.gguf.Vocabularies;
import dev.minillm.quant.ProgressListener;
import dev.minillm.quant.QuantType;
import dev.minillm.quant.Quantizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench --draft / --draft-max end to end: child JVMs, result files, the report section. */
class SpeculativeBenchTest {
    static final Path STORIES = dev.minillm.TestModel.STORIES;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** stories260K with token {@code id} renamed: same shapes, another vocabulary. */
    public static Path otherVocabulary(Path dir) throws IOException {
        GgufWriter w = GgufWriter.copyOf(GgufFile.open(STORIES));
        List<String> tokens = new ArrayList<>(w.metadata().get(GgufMetadata.TOKENS).asStrings());
        tokens.set(100, tokens.get(100) + "x");
        w.metadata().put(GgufMetadata.TOKENS, GgufValue.stringArray(tokens));
        Path out = dir.resolve("other-vocab.gguf");
        w.write(out);
        return out;
    }

    /** stories260K's Q4_0 copy: a draft that agrees with its F32 target most of the time, not always. */
    private Path q4Draft() throws IOException {
        Path q4 = tmp.resolve("stories260K-q4_0.gguf");
        Quantizer.quantize(STORIES, q4, QuantType.valueOf("Q4_0"), 1, ProgressListener.NONE);
        return q4;
    }

    @Test
    void draftMaxSweepGivesOneCellPerKWithIdenticalOutput() throws Exception {
        Path q4 = q4Draft();
        String out = tmp.resolve("results").toString();
        CliRun run = CliRun.of("bench", "--model", STORIES.toString(), "--draft", q4.toString(), "--draft-max", "1,2,3,4",
                "--backend", "cpu", "--threads", "1", "--repetitions", "2", "--warmup", "0", "--n-predict", "32", "--out", out);
        assertEquals(0, run.code(), run.err());
        List<Path> cells;
        try (var s = Files.list(Path.of(out, "raw", "stories260K"))) {
            cells = s.sorted().toList();
        }
        assertEquals(4, cells.size(), "K=1..4 without --draft none: four speculative cells, no ordinary one: " + cells);
        for (int k = 1; k <= 4; k++) {
            Path file = Path.of(out, "raw", "stories260K", "F32__cpu__t1_n32_draft-stories260K-q4_0-k" + k + ".json");
            JsonNode doc = JSON.readTree(file.toFile());
            assertEquals("ok", doc.path("status").asText(), doc.path("reason").asText());
            assertEquals(k, doc.path("cell").path("settings").path("draft_max").asInt());
            JsonNode sp = doc.path("speculative");
            assertTrue(sp.path("identical_to_target").asBoolean());
            assertEquals(2 * 5, sp.path("generations_checked").asInt(), "every prompt of every repetition checked");
            JsonNode m = doc.path("metrics");
            double rate = m.path("spec_accept_rate").path("mean").asDouble();
            assertTrue(rate > 0 && rate < 1, "Q4_0 draft: accept rate strictly between 0 and 1, got " + rate);
            assertTrue(m.path("spec_mean_accepted").path("mean").asDouble() <= k);
            assertTrue(m.path("spec_speedup").path("mean").asDouble() > 0);
            assertTrue(m.path("spec_draft_ms_per_step").path("mean").asDouble() > 0);
            assertTrue(m.path("spec_verify_ms_per_step").path("mean").asDouble() > 0);
            assertEquals(5, sp.path("per_prompt").size());
            assertEquals(k + 1, sp.path("accepted_length_histogram").size());
        }
        assertTrue(run.out().contains("## Speculative decoding"), run.out());
        assertTrue(run.out().contains("| stories260K F32 cpu | stories260K-q4_0 | 4 | ok, output identical |"), run.out());
        assertTrue(Files.exists(Path.of(out, "tables", "charts", "speculative-speedup-vs-k.svg")));
        assertTrue(Files.exists(Path.of(out, "tables", "charts", "speculative-accept-per-prompt.svg")));
        assertTrue(Files.readString(Path.of(out, "tables", "report.html")).contains("id=\"speculative\""));

        // Re-run: every cell is found done, none measured again.
        CliRun again = CliRun.of("bench", "--model", STORIES.toString(), "--draft", q4.toString(), "--draft-max", "1,2,3,4",
                "--backend", "cpu", "--threads", "1", "--repetitions", "2", "--warmup", "0", "--n-predict", "32", "--out", out);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("0 measured, 4 reused (same settings)"), again.err());
    }

    @Test
    void nativeEngineCellsCarryLlamaCppsOwnSpeculativeFigureBesideOurs() throws Exception {
        Path q4 = q4Draft();
        String out = tmp.resolve("results").toString();
        CliRun run = CliRun.of("bench", "--model", STORIES.toString(), "--draft", q4.toString(), "--draft-max", "3",
                "--engine", "native", "--backend", "cpu", "--threads", "1", "--repetitions", "2", "--warmup", "1",
                "--n-predict", "32", "--out", out);
        assertEquals(0, run.code(), run.err());
        JsonNode doc = JSON.readTree(Path.of(out, "raw", "stories260K", "F32__cpu-native__t1_n32_draft-stories260K-q4_0-k3.json").toFile());
        assertEquals("ok", doc.path("status").asText(), doc.path("reason").asText());
        assertEquals("native", doc.path("engine").path("name").asText());
        JsonNode sp = doc.path("speculative");
        assertTrue(sp.path("identical_to_target").asBoolean());
        assertEquals(3 * 5, sp.path("generations_checked").asInt(), "every prompt of every repetition, warmup included");
        JsonNode m = doc.path("metrics");
        double rate = m.path("spec_accept_rate").path("mean").asDouble();
        assertTrue(rate > 0 && rate < 1, "Q4_0 draft on the native engine: accept rate strictly between 0 and 1, got " + rate);

        // llama.cpp's own speculative decoding on the same two contexts, its output checked the same way.
        assertTrue(sp.path("llama_cpp").isNull(), sp.path("llama_cpp").toString());
        JsonNode own = sp.path("llama_cpp_own");
        assertTrue(own.path("identical_to_target").asBoolean(), own.toString());
        assertEquals(3 * 5, own.path("generations_checked").asInt());
        assertTrue(own.path("method").asText().contains("common_speculative_draft"), own.toString());
        long proposed = own.path("proposed").asLong();
        long accepted = own.path("accepted").asLong();
        assertTrue(proposed > 0 && accepted > 0 && accepted < proposed, own.toString());
        double llamaRate = m.path("llama_spec_accept_rate").path("mean").asDouble();
        assertTrue(llamaRate > 0 && llamaRate < 1, "llama.cpp's accept rate " + llamaRate);
        assertEquals((double) accepted / proposed, llamaRate, 0.05, "the metric and the totals agree (per-repetition mean)");
        // Both loops run greedy drafts of the same draft model against the same target: the same proposals.
        assertEquals(rate, llamaRate, 1e-9, "same greedy draft, same target: the same accept rate");
        assertTrue(m.path("llama_spec_speedup").path("mean").asDouble() > 0);
        assertTrue(m.path("llama_spec_draft_ms_per_step").path("mean").asDouble() > 0);

        assertTrue(run.out().contains("| stories260K F32 cpu native | stories260K-q4_0 | 3 | ok, output identical |"), run.out());
        assertTrue(run.out().contains("| stories260K F32 cpu native | stories260K-q4_0 | 3 | llama.cpp's own speculative "
                + "(common_speculative): ok, output identical |"), run.out());
    }

    @Test
    void draftOfAnotherVocabularyIsRefusedBeforeAnyWork() throws Exception {
        Path other = otherVocabulary(tmp);
        assertNotNull(Vocabularies.difference(GgufFile.open(STORIES).metadata(), GgufFile.open(other).metadata()));
        assertNull(Vocabularies.difference(GgufFile.open(STORIES).metadata(), GgufFile.open(STORIES).metadata()));
        Path out = tmp.resolve("results");
        CliRun run = CliRun.of("bench", "--model", STORIES.toString(), "--draft", other.toString(), "--backend", "cpu", "--out", out.toString());
        assertEquals(2, run.code(), run.err());
        String[] lines = run.err().strip().split("\n");
        assertEquals(1, lines.length, run.err());
        assertTrue(lines[0].contains("other-vocab.gguf") && lines[0].contains("vocabulary") && lines[0].contains("token 100"), lines[0]);
        assertFalse(Files.exists(out.resolve("raw")), "refused before any cell ran");
    }

    @Test
    void badDraftOptions() {
        CliRun k0 = CliRun.of("bench", "--model", STORIES.toString(), "--draft", STORIES.toString(), "--draft-max", "0");
        assertEquals(2, k0.code());
        assertTrue(k0.err().contains("--draft-max"), k0.err());
        CliRun batch = CliRun.of("bench", "--model", STORIES.toString(), "--draft", STORIES.toString(), "--draft-max", "8", "--batch", "4");
        assertEquals(2, batch.code());
        assertTrue(batch.err().contains("--batch"), batch.err());
        CliRun missing = CliRun.of("bench", "--model", STORIES.toString(), "--draft", tmp.resolve("nope.gguf").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.gguf"), missing.err());
    }
}
