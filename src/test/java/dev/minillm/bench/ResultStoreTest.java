package dev.minillm.bench;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.common.AtomicFiles;
import dev.minillm.results.CellRecord;
import dev.minillm.results.EngineInfo;
import dev.minillm.results.ModelInfo;
import dev.minillm.results.Settings;
import dev.minillm.results.Status;
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

    private static final EngineInfo BUNDLED = EngineInfo.named("bundled", "b4916");

    private static Settings settings() {
        return Settings.builder().threads(2).promptsFile("prompts/prompts.txt").promptCount(1).promptsSha256("abc")
                .repetitions(3).warmup(1).build();
    }

    private CellSpec spec(Path model, Path result, Settings s, EngineInfo engine) {
        return new CellSpec(new CellSpec.Target("fam/F16__cpu", "fam", "F16", "cpu", model.toString(), false, "llama"),
                new CellSpec.Measure(s, List.of("hello"), engine, model.toString(), tmp.resolve("baseline").toString(), null),
                new CellSpec.Output(result.toString(), 60, false));
    }

    private static CellRecord ok(CellSpec spec, long size) {
        return CellRecord.unmeasured(Status.OK, null, spec.cell(), spec.measure().engine())
                .withFacts(ModelInfo.ofFile(size, 10, 16, "F16", "llama", false), null, null);
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
        CellSpec spec = spec(model, file, settings(), BUNDLED);
        ResultStore.write(file, ok(spec, 100));
        assertTrue(ResultStore.isDone(file, spec));
        byte[] before = Files.readAllBytes(file);

        // The writer dies half-way (as a killed process would): the target keeps its old content.
        assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("{\"schema_version\": 2, \"status\": \"ok\", \"cell\"".getBytes());
            throw new IOException("killed mid-write");
        }));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertEquals(List.of(file.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList(), "no temp file left");
        }
    }

    @Test
    void onlyAnOkResultOfTheSameModelFileEngineAndEverySettingIsReused() throws Exception {
        Path model = Files.write(tmp.resolve("m.gguf"), new byte[100]);
        Path file = new ResultStore(tmp).cellFile("fam", "F16", "cpu", "");
        CellSpec spec = spec(model, file, settings(), BUNDLED);
        assertEquals(new ResultStore.Reuse(false, null), ResultStore.reuse(file, spec), "nothing there");
        ResultStore.write(file, CellRecord.unmeasured(Status.FAILED, "boom", spec.cell(), BUNDLED));
        assertEquals("the stored result is failed", ResultStore.reuse(file, spec).why(), "failed cells are measured again");
        ResultStore.write(file, ok(spec, 100));
        assertTrue(ResultStore.isDone(file, spec));

        // Each of these alone makes the stored result stale.
        ResultStore.Reuse moreReps = ResultStore.reuse(file, spec(model, file, settings().toBuilder().repetitions(5).build(), BUNDLED));
        assertFalse(moreReps.reusable(), "--repetitions 5 after a 3-repetition run measures again");
        assertEquals("settings changed: repetitions 3 -> 5", moreReps.why());
        assertFalse(ResultStore.isDone(file, spec(model, file, settings().toBuilder().warmup(0).build(), BUNDLED)));
        assertFalse(ResultStore.isDone(file, spec(model, file, settings().toBuilder().promptsSha256("abd").build(), BUNDLED)),
                "an edited prompt file");
        assertFalse(ResultStore.isDone(file, spec(model, file, settings().toBuilder().wrapper(true).build(), BUNDLED)),
                "measured without the wrapper figure, which is wanted now");
        assertFalse(ResultStore.isDone(file, spec(model, file, settings().toBuilder().flashAttn(true).build(), BUNDLED)));
        assertTrue(ResultStore.reuse(file, spec(model, file, settings(), EngineInfo.named("bundled", "b9999"))).why()
                .startsWith("it was measured by another engine"));

        Files.write(model, new byte[200]);
        assertEquals("the model file changed size", ResultStore.reuse(file, spec).why());
        Files.writeString(file, "{not json");
        assertFalse(ResultStore.isDone(file, spec));
    }

    @Test
    void settingsTagNamesEverySettingThatDiffersFromTheDefaults() {
        int cores = dev.minillm.metrics.HardwareSnapshot.defaultThreads();
        PromptSet defaults = PromptSet.load(null);
        Settings base = Settings.builder().threads(cores).build();
        assertEquals("", Bench.settingsTag(base, defaults));
        Settings d = base.toBuilder().threads(cores + 2).ctx(4096).nPredict(128).repetitions(3).warmup(0).build();
        assertEquals("t" + (cores + 2) + "_c4096_n128", Bench.settingsTag(d, defaults), "repetitions and warmup are no part of it");
        Settings kv = base.toBuilder().ubatch(256).cacheTypeK("q8_0").cacheTypeV("q4_0").flashAttn(true).build();
        assertEquals("ub256_ctkq8_0_ctvq4_0_fa1", Bench.settingsTag(kv, defaults));
        PromptSet other = new PromptSet("x.txt", List.of("a prompt"), false);
        assertTrue(Bench.settingsTag(base, other).matches("p[0-9a-f]{8}"));
        assertEquals(64, other.sha256().length());
        assertNotEquals(other.sha256(), new PromptSet("x.txt", List.of("a prompt."), false).sha256());
        assertEquals(5, defaults.prompts().size());
    }
}
