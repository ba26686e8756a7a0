package dev.minillm.bench;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultStoreTest {
    @TempDir
    Path tmp;

    private CellSpec spec(Path model, Path result) {
        return new CellSpec("fam/F16__cpu", "fam", "F16", "cpu", model.toString(), false, "llama", 2, 2048, 512, 0, 80, 5, 1,
                "prompts/prompts.txt", List.of("hello"), 60, false, false, result.toString(), null,
                false, model.toString(), tmp.resolve("baseline").toString());
    }

    @Test
    void layoutOfResultFiles() {
        ResultStore store = new ResultStore(tmp);
        assertEquals(tmp.resolve("raw/qwen2.5-0.5b/Q4_K_M__cpu.json"), store.cellFile("qwen2.5-0.5b", "Q4_K_M", "cpu", ""));
        assertEquals(tmp.resolve("raw/m/F16__gpu__t4_n128.json"), store.cellFile("m", "F16", "gpu", "t4_n128"));
    }

    @Test
    void anInterruptedWriteLeavesNoPartialResultAndKeepsTheOldOne() throws Exception {
        Path model = Files.write(tmp.resolve("m.gguf"), new byte[100]);
        Path file = new ResultStore(tmp).cellFile("fam", "F16", "cpu", "");
        CellSpec spec = spec(model, file);
        var ok = CellJson.base(spec, "ok", null);
        ok.putObject("model_info").put("file_size_bytes", 100);
        ResultStore.write(file, ok);
        assertTrue(ResultStore.isDone(file, spec));
        byte[] before = Files.readAllBytes(file);

        // The writer dies half-way (as a killed process would): the target keeps its old content.
        assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("{\"schema_version\": 1, \"status\": \"ok\", \"cell\"".getBytes());
            throw new IOException("killed mid-write");
        }));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertEquals(List.of(file.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList(), "no temp file left");
        }
    }

    @Test
    void onlyAnOkResultOfTheSameModelFileCountsAsDone() throws Exception {
        Path model = Files.write(tmp.resolve("m.gguf"), new byte[100]);
        Path file = new ResultStore(tmp).cellFile("fam", "F16", "cpu", "");
        CellSpec spec = spec(model, file);
        assertFalse(ResultStore.isDone(file, spec), "nothing there");
        ResultStore.write(file, CellJson.base(spec, "failed", "boom"));
        assertFalse(ResultStore.isDone(file, spec), "failed cells are measured again");
        var ok = CellJson.base(spec, "ok", null);
        ok.putObject("model_info").put("file_size_bytes", 100);
        ResultStore.write(file, ok);
        assertTrue(ResultStore.isDone(file, spec));
        CellSpec withWrapper = new CellSpec(spec.id(), spec.model(), spec.variant(), spec.backend(), spec.modelPath(), false, "llama",
                2, 2048, 512, 0, 80, 5, 1, "prompts/prompts.txt", List.of("hello"), 60, true, false, file.toString(), null,
                false, spec.baselinePath(), spec.baselineDir());
        assertFalse(ResultStore.isDone(file, withWrapper), "measured without the wrapper figure, which is wanted now");
        Files.write(model, new byte[200]);
        assertFalse(ResultStore.isDone(file, spec), "the model file was replaced");
        Files.writeString(file, "{not json");
        assertFalse(ResultStore.isDone(file, spec));
    }

    @Test
    void settingsTagNamesOnlyWhatDiffersFromTheDefaults() {
        int cores = dev.minillm.metrics.HardwareSnapshot.defaultThreads();
        PromptSet defaults = PromptSet.load(null);
        BenchConfig c = new BenchConfig(List.of(), Path.of("models"), false, java.util.Set.of(), java.util.Set.of("cpu"), cores,
                2048, 512, 80, null, 5, 1, tmp, 60, false, false, true, false);
        assertEquals("", Bench.settingsTag(c, defaults));
        BenchConfig d = new BenchConfig(List.of(), Path.of("models"), false, java.util.Set.of(), java.util.Set.of("cpu"), cores + 2,
                4096, 512, 128, null, 3, 0, tmp, 60, false, false, true, false);
        assertEquals("t" + (cores + 2) + "_c4096_n128", Bench.settingsTag(d, defaults));
        PromptSet other = new PromptSet("x.txt", List.of("a prompt"), false);
        assertTrue(Bench.settingsTag(c, other).matches("p[0-9a-f]+"));
        assertEquals(5, defaults.prompts().size());
    }
}
