package dev.minillm.bench;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.cli.CliRun;
import dev.minillm.quant.ProgressListener;
import dev.minillm.quant.QuantType;
import dev.minillm.quant.Quantizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench --quality --tasks on two real-weight variants: accuracy, weight fidelity and the table rows. */
class BenchAccuracyTest {
    static final Path STORIES = dev.minillm.TestModel.STORIES;

    @TempDir
    Path tmp;

    @Test
    void everyVariantScoresTheSameItemsAndTheTableComparesThemWithTheNoiseRule() throws Exception {
        Path models = tmp.resolve("models");
        Path family = Files.createDirectories(models.resolve("stories"));
        Files.copy(STORIES, family.resolve("stories-f32.gguf"));
        Quantizer.quantize(STORIES, family.resolve("stories-q4_0.gguf"), QuantType.parse("q4_0"), 1, ProgressListener.NONE);
        // WinoGrande as its release zip holds it, under the directory 'minillm download --dataset winogrande' uses.
        Path zip = Files.createDirectories(models.resolve("winogrande")).resolve("winogrande_1.1.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("winogrande_1.1/dev.jsonl"));
            String[][] rows = {{"Lily gave _ a ball.", "Tom", "the"}, {"The dog ran to _ mom.", "his", "a"},
                    {"Tom was happy because _ had a new toy.", "he", "sun"}, {"_ was a big cat.", "There", "Lily"},
                    {"Mom said _ could play outside.", "Tim", "blue"}, {"The bird sang to _ friend.", "her", "run"}};
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < rows.length; i++) {
                b.append(String.format("{\"qID\":\"w%d\",\"sentence\":\"%s\",\"option1\":\"%s\",\"option2\":\"%s\",\"answer\":\"%d\"}%n",
                        i, rows[i][0], rows[i][1], rows[i][2], 1 + i % 2));
            }
            z.write(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Path prompts = tmp.resolve("p.txt");
        Files.writeString(prompts, "Once upon a time\n");
        String out = tmp.resolve("results").toString();
        CliRun run = CliRun.of("bench", "--model-dir", models.toString(), "--out", out, "--backend", "cpu", "--repetitions", "1",
                "--warmup", "0", "--n-predict", "8", "--prompts", prompts.toString(), "--no-wrapper", "--threads", "1",
                "--quality", "--tasks", "winogrande", "--limit", "4", "--seed", "3");
        assertEquals(0, run.code(), run.err());

        ObjectMapper json = new ObjectMapper();
        JsonNode base = null;
        JsonNode q4 = null;
        try (var files = Files.walk(Path.of(out, "raw"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode d = json.readTree(p.toFile());
                if ("F32".equals(d.path("cell").path("variant").asText())) {
                    base = d;
                } else {
                    q4 = d;
                }
            }
        }
        assertNotNull(base);
        assertNotNull(q4);
        JsonNode mcBase = base.path("quality").path("mc").get(0);
        JsonNode mcQ4 = q4.path("quality").path("mc").get(0);
        assertEquals("winogrande", mcBase.path("task").asText());
        assertEquals(4, mcBase.path("items").asInt());
        assertEquals(3, mcBase.path("seed").asInt());
        assertEquals(mcBase.path("sample_ids"), mcQ4.path("sample_ids"), "every variant scores the same items");
        assertEquals(mcBase.path("data_sha256"), mcQ4.path("data_sha256"));
        JsonNode wf = q4.path("quality").path("weight_fidelity");
        assertTrue(wf.path("mean_cosine").asDouble() < 1 && wf.path("mean_cosine").asDouble() > 0.9, wf.toString());
        assertEquals(1.0, base.path("quality").path("weight_fidelity").path("mean_cosine").asDouble(), 0.0);
        assertTrue(q4.path("quality").path("hallucination").path("likelihood").path("questions").asInt() > 30);

        String table = Files.readString(Path.of(out, "tables", "comparison.md"));
        assertTrue(table.contains("WinoGrande acc (%, ± stderr)"), table);
        assertTrue(table.contains("vs F32, within noise") || table.contains("vs F32, beyond noise"), table);
        assertTrue(table.contains("Weight fidelity vs F32 (cosine)"), table);
        assertTrue(table.contains("worst tensor blk."), table);
        assertTrue(table.contains("Facts by likelihood"), table);

        // Another sample asked for later is not taken as done: those cells are measured again.
        Path q4File;
        try (var files = Files.walk(Path.of(out, "raw"))) {
            q4File = files.filter(f -> f.getFileName().toString().startsWith("Q4_0")).findFirst().orElseThrow();
        }
        dev.minillm.results.CellRecord stored = dev.minillm.results.CellRecords.read(q4File);
        dev.minillm.eval.TaskSelection asked = stored.settings().tasks();
        assertEquals(new dev.minillm.eval.TaskSelection(java.util.List.of("winogrande"), 4, 3, models.toAbsolutePath().toString()), asked);
        assertTrue(ResultStore.isDone(q4File, specAsking(stored, q4File, asked)));
        assertFalse(ResultStore.isDone(q4File, specAsking(stored, q4File, new dev.minillm.eval.TaskSelection(java.util.List.of("winogrande"), 5, 3, asked.modelsDir()))));
        assertFalse(ResultStore.isDone(q4File, specAsking(stored, q4File, new dev.minillm.eval.TaskSelection(java.util.List.of("winogrande"), 4, 9, asked.modelsDir()))));
        assertFalse(ResultStore.isDone(q4File, specAsking(stored, q4File, new dev.minillm.eval.TaskSelection(java.util.List.of("piqa"), 4, 3, asked.modelsDir()))));

        CliRun noData = CliRun.of("bench", "--model-dir", models.toString(), "--out", out, "--quality", "--tasks", "hellaswag");
        assertEquals(2, noData.code());
        assertTrue(noData.err().contains("minillm download --dataset hellaswag"), noData.err());
        CliRun noQuality = CliRun.of("bench", "--model-dir", models.toString(), "--out", out, "--tasks", "winogrande");
        assertEquals(2, noQuality.code());
        assertTrue(noQuality.err().contains("add --quality"), noQuality.err());
    }

    /** The stored cell planned again, asking for {@code tasks}. */
    private static CellSpec specAsking(dev.minillm.results.CellRecord r, Path file, dev.minillm.eval.TaskSelection tasks) {
        dev.minillm.results.Cell c = r.cell();
        return new CellSpec(new CellSpec.Target(c.id(), c.model(), c.variant(), c.backend(), c.modelPath(), false, "llama"),
                new CellSpec.Measure(r.settings().toBuilder().tasks(tasks).build(), java.util.List.of("Once upon a time"), r.engine(),
                        null, null, null),
                new CellSpec.Output(file.toString(), 60, false));
    }
}
