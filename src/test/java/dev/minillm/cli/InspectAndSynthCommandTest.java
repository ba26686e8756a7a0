package dev.minillm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectAndSynthCommandTest {
    static final Path STORIES = dev.minillm.TestModel.STORIES;

    @TempDir
    Path dir;

    @Test
    void inspectStoriesAsText() {
        CliRun r = CliRun.of("inspect", STORIES.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("architecture:    llama\n"), r.out());
        assertTrue(r.out().contains("parameters:      292,800 (292.8K)\n"), r.out());
        assertTrue(r.out().contains("vocabulary:      512\n"), r.out());
        assertTrue(r.out().contains("tensor types:    F32 48\n"), r.out());
        assertTrue(r.out().contains("validation:      ok"), r.out());
        assertTrue(r.out().contains("  tokenizer.ggml.tokens = array[STRING x 512]\n"), r.out());
    }

    @Test
    void inspectJsonUsesCellSchemaKeys() throws IOException {
        CliRun r = CliRun.of("inspect", "--json", STORIES.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("valid").asBoolean());
        JsonNode mi = j.get("model_info");
        assertEquals(292_800, mi.get("n_params").asLong());
        assertEquals(Files.size(STORIES), mi.get("file_size_bytes").asLong());
        assertEquals(512, mi.get("n_vocab").asLong());
        assertEquals(5, mi.get("n_layers").asLong());
        assertEquals(2048, mi.get("n_ctx_train").asLong());
        assertEquals("llama", mi.get("architecture").asText());
        assertEquals(1e-5, j.get("metadata").get("llama.attention.layer_norm_rms_epsilon").asDouble(), 0.0);
        assertEquals(512, j.get("metadata").get("tokenizer.ggml.scores").get("length").asInt());
    }

    @Test
    void badFilesGiveOneLineAndExitCode2() throws IOException {
        Path cut = dir.resolve("cut.gguf");
        byte[] all = Files.readAllBytes(STORIES);
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 100));
        CliRun r = CliRun.of("inspect", cut.toString());
        assertEquals(2, r.code());
        assertEquals("minillm: " + cut + ": truncated: tensor 'blk.4.ffn_norm.weight' data ends at byte " + all.length
                + " but file has " + (all.length - 100) + " bytes\n", r.err());
        assertTrue(r.out().contains("validation:      FAILED: truncated"), "the report still shows what was read");

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "just some text");
        CliRun t = CliRun.of("inspect", text.toString());
        assertEquals(2, t.code());
        assertEquals("minillm: " + text + ": not a GGUF file (bad magic 0x6a757374, expected 0x47475546 \"GGUF\")\n", t.err());
        assertEquals("", t.out());

        CliRun d = CliRun.of("inspect", dir.toString());
        assertEquals(2, d.code());
        assertEquals("minillm: " + dir + ": is a directory, not a GGUF file\n", d.err());
    }

    @Test
    void synthWritesTinyThatInspects() {
        Path out = dir.resolve("sub/tiny.gguf");
        CliRun s = CliRun.of("synth", "--shape", "tiny", "--out", out.toString(), "--seed", "3");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().startsWith("wrote " + out + ": synthetic tiny (llama), 4,196,608 parameters"), s.out());
        CliRun i = CliRun.of("inspect", out.toString());
        assertEquals(0, i.code(), i.err());
        assertTrue(i.out().contains("[synthetic weights"), i.out());
        assertTrue(i.out().contains("file type:       F16 (general.file_type 1)"), i.out());
        assertTrue(i.out().contains("  minillm.synthetic.seed = 3\n"), i.out());

        CliRun bad = CliRun.of("synth", "--shape", "qwen3-8b", "--out", out.toString());
        assertEquals(2, bad.code());
        assertEquals("minillm: unknown shape 'qwen3-8b' (choose one of qwen2.5-0.5b, qwen2.5-1.5b, qwen2.5-3b, "
                + "llama-3.2-1b, qwen3-0.6b, tiny)\n", bad.err());
    }
}
