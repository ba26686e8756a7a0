package dev.minillm.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    static final String STORIES = dev.minillm.TestModel.STORIES.toString();

    @TempDir
    Path dir;

    private Path text() throws Exception {
        Path t = dir.resolve("text.txt");
        Files.writeString(t, Files.readString(Path.of("prompts/eval.txt")).substring(0, 3000));
        return t;
    }

    @Test
    void pplPrintsTheEstimateAndJsonOnRequest() throws Exception {
        CliRun r = CliRun.of("eval", "ppl", "--model", STORIES, "--threads", "1", "--ctx", "128", "--text", text().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)PPL = \\d+\\.\\d{4} \\+/- \\d+\\.\\d{5} .*"), r.out());
        CliRun j = CliRun.of("eval", "ppl", "--model", STORIES, "--threads", "1", "--ctx", "128", "--text", text().toString(), "--json");
        JsonNode n = new ObjectMapper().readTree(j.out());
        assertTrue(n.get("value").asDouble() > 1, j.out());
        assertEquals(128, n.get("ctx").asInt());
        CliRun two = CliRun.of("eval", "ppl", "--model", STORIES, "--threads", "1", "--ctx", "128", "--text", text().toString(),
                "--chunks", "2", "--json");
        JsonNode m = new ObjectMapper().readTree(two.out());
        assertEquals(2, m.get("chunks").asInt());
        assertEquals(2 * (128 - 1 - 64), m.get("tokens_scored").asInt(), "second half of each chunk, last token has no target");
    }

    @Test
    void allWritesTheQualityBlock() throws Exception {
        Path q = dir.resolve("q.jsonl");
        Files.writeString(q, """
                {"id":"capital-japan","question":"What is the capital of Japan?","completion":"The capital of Japan is","accept":["\\\\bTokyo\\\\b"],"wrong":["\\\\bKyoto\\\\b"]}
                {"id":"exam","kind":"free_form","question":"Explain what inflation is.","completion":"Inflation is"}
                """);
        Path out = dir.resolve("quality.json");
        Path piqa = java.nio.file.Files.createDirectories(dir.resolve("models/piqa")).resolve("physicaliqa-train-dev.zip");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(piqa))) {
            z.putNextEntry(new java.util.zip.ZipEntry("physicaliqa-train-dev/dev.jsonl"));
            z.write("{\"goal\":\"To open a jar\",\"sol1\":\"twist the lid\",\"sol2\":\"eat the lid\"}\n".getBytes());
            z.putNextEntry(new java.util.zip.ZipEntry("physicaliqa-train-dev/dev-labels.lst"));
            z.write("0\n".getBytes());
        }
        CliRun r = CliRun.of("eval", "all", "--model", STORIES, "--baseline", STORIES, "--threads", "1", "--ctx", "128",
                "--text", text().toString(), "--questions", q.toString(), "--answer-tokens", "8", "--free-form-tokens", "8",
                "--baseline-dir", dir.resolve("base").toString(), "--out", out.toString(),
                "--tasks", "piqa", "--models-dir", dir.resolve("models").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(out.toFile());
        assertFalse(n.get("synthetic").asBoolean());
        assertEquals(0.0, n.get("kld").get("mean").asDouble(), 1e-6);
        assertEquals(1.0, n.get("greedy").get("first_token_match").asDouble());
        assertEquals(1, n.get("hallucination").get("questions").asInt());
        assertEquals("exam", n.get("free_form").get(0).get("id").asText());
        assertTrue(Files.exists(dir.resolve("base/stories260K.kld")));
        assertEquals(1.0, n.get("weight_fidelity").get("mean_cosine").asDouble(), 0.0, "the baseline against itself");
        assertEquals(0.0, n.get("weight_fidelity").get("max_abs_error").asDouble(), 0.0);
        assertEquals("piqa", n.get("mc").get(0).get("task").asText());
        assertEquals(1, n.get("mc").get(0).get("items").asInt());
    }

    @Test
    void badInputIsOneLineWithExitCode2() throws Exception {
        CliRun missing = CliRun.of("eval", "ppl", "--model", dir.resolve("nope.gguf").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.gguf: no such model file"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());

        Path notGguf = dir.resolve("bad.gguf");
        Files.writeString(notGguf, "hello");
        CliRun bad = CliRun.of("eval", "halluc", "--model", notGguf.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("not a GGUF file"), bad.err());

        CliRun noBase = CliRun.of("eval", "kld", "--model", STORIES);
        assertEquals(2, noBase.code());
        assertTrue(noBase.err().contains("Missing required option: '--baseline=FILE'"), noBase.err());
        assertEquals(2, CliRun.of("eval").code(), "a subcommand is required");
        assertEquals(2, CliRun.of("eval", "ppl").code(), "--model is required");
    }

    @Test
    void mcScoresAWinograndeFileAndRescoresTheRecordedIds() throws Exception {
        Path data = dir.resolve("dev.jsonl");
        StringBuilder b = new StringBuilder();
        String[][] rows = {{"Lily gave _ a ball.", "Tom", "the"}, {"The dog ran to _ mom.", "his", "a"},
                {"Tom and Lily played in the park because _ was happy.", "Tom", "sun"}, {"_ was a big cat.", "There", "Lily"}};
        for (int i = 0; i < rows.length; i++) {
            b.append(String.format("{\"qID\":\"q%d\",\"sentence\":\"%s\",\"option1\":\"%s\",\"option2\":\"%s\",\"answer\":\"%d\"}%n",
                    i, rows[i][0], rows[i][1], rows[i][2], 1 + i % 2));
        }
        Files.writeString(data, b.toString());
        Path out = dir.resolve("mc.json");
        CliRun r = CliRun.of("eval", "mc", "--model", STORIES, "--threads", "1", "--task", "winogrande", "--data", data.toString(),
                "--limit", "3", "--seed", "5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("winogrande (0-shot, random sample of 3 of 4 items, seed 5"), r.out());
        assertTrue(r.out().contains("acc "), r.out());
        assertFalse(r.out().contains("acc_norm"), "WinoGrande reports acc only: " + r.out());
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile()).get(0);
        assertEquals(3, j.get("sample_ids").size());
        assertEquals(5, j.get("seed").asInt());

        Path ids = dir.resolve("ids.txt");
        StringBuilder idText = new StringBuilder();
        j.get("sample_ids").forEach(n -> idText.append(n.asText()).append('\n'));
        Files.writeString(ids, idText);
        CliRun again = CliRun.of("eval", "mc", "--model", STORIES, "--threads", "1", "--task", "winogrande", "--data", data.toString(),
                "--ids", ids.toString(), "--json");
        assertEquals(0, again.code(), again.err());
        com.fasterxml.jackson.databind.JsonNode k = new com.fasterxml.jackson.databind.ObjectMapper().readTree(again.out()).get(0);
        assertEquals(j.get("sample_ids"), k.get("sample_ids"));
        assertEquals(j.get("acc").asDouble(), k.get("acc").asDouble(), 0.0, "the same items score the same");

        CliRun unknown = CliRun.of("eval", "mc", "--model", STORIES, "--task", "mmlu", "--data", data.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown task 'mmlu'"), unknown.err());
        CliRun missing = CliRun.of("eval", "mc", "--model", STORIES, "--task", "hellaswag", "--models-dir", dir.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("minillm download --dataset hellaswag"), missing.err());
    }
}
