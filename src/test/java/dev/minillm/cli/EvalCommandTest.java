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
        CliRun r = CliRun.of("eval", "all", "--model", STORIES, "--baseline", STORIES, "--threads", "1", "--ctx", "128",
                "--text", text().toString(), "--questions", q.toString(), "--answer-tokens", "8", "--free-form-tokens", "8",
                "--baseline-dir", dir.resolve("base").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(out.toFile());
        assertFalse(n.get("synthetic").asBoolean());
        assertEquals(0.0, n.get("kld").get("mean").asDouble(), 1e-6);
        assertEquals(1.0, n.get("greedy").get("first_token_match").asDouble());
        assertEquals(1, n.get("hallucination").get("questions").asInt());
        assertEquals("exam", n.get("free_form").get(0).get("id").asText());
        assertTrue(Files.exists(dir.resolve("base/stories260K.kld")));
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
}
