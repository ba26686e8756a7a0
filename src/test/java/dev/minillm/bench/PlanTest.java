package dev.minillm.bench;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.common.BadInputException;
import dev.minillm.engine.KvCache;
import dev.minillm.gguf.GgufFile;
import dev.minillm.results.Settings;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameters -> instances: every setting a comma list, the cells their product, each cell named by its settings. */
class PlanTest {
    @TempDir
    Path tmp;

    private static final ModelCandidate STORIES = new ModelCandidate("stories260K", "F32",
            BenchEndToEndTest.STORIES.toAbsolutePath(), "llama", false, 292_160, 1_185_376, 32);

    private List<Bench.Cell> plan(BenchConfig.Builder b) {
        BenchConfig c = b.out(tmp).build();
        return Bench.plan(c, PromptSet.load(null), List.of(STORIES), new ResultStore(tmp));
    }

    @Test
    void theCellsAreTheProductOfTheSweptSettingsWithDistinctIdsAndFiles() {
        List<Bench.Cell> cells = plan(BenchConfig.builder()
                .sweepText(Dimensions.THREADS, "1,2").sweepText(Dimensions.CACHE_TYPE_K, "f16,q8_0").sweepText(Dimensions.FLASH_ATTN, "off,on"));
        assertEquals(8, cells.size());
        Set<String> ids = new HashSet<>();
        Set<Path> files = new HashSet<>();
        Set<Settings> settings = new HashSet<>();
        for (Bench.Cell c : cells) {
            ids.add(c.spec().id());
            files.add(c.file());
            settings.add(c.spec().settings());
            assertEquals(c.file().toAbsolutePath().toString(), c.spec().output().resultPath());
        }
        assertEquals(8, ids.size());
        assertEquals(8, files.size());
        assertEquals(8, settings.size());
        int cores = Dimensions.defaultThreads();
        String t1 = cores == 1 ? "" : "t1";
        assertTrue(ids.contains("stories260K/F32__cpu" + (t1.isEmpty() ? "__ctkq8_0_fa1" : "__t1_ctkq8_0_fa1")), ids.toString());
        // The last dimension varies fastest: ... fa off, fa on, then the next cache type.
        assertFalse(cells.get(0).spec().settings().flashAttn());
        assertTrue(cells.get(1).spec().settings().flashAttn());
        assertEquals("q8_0", cells.get(2).spec().settings().cacheTypeK());
    }

    @Test
    void withNothingSweptThereIsOneCellAtTheDefaultsAndIdsKeepTheirOldForm() {
        List<Bench.Cell> cells = plan(BenchConfig.builder().backends(Set.of("cpu", "gpu")));
        assertEquals(List.of("stories260K/F32__cpu", "stories260K/F32__gpu"), cells.stream().map(c -> c.spec().id()).toList());
        Settings s = cells.get(0).spec().settings();
        assertEquals(512, s.batch());
        assertEquals(512, s.ubatch());
        assertEquals("f16", s.cacheTypeV());
        assertEquals(64, s.promptsSha256().length());
        assertEquals(0, s.gpuLayers());
        assertEquals(999, cells.get(1).spec().settings().gpuLayers());
    }

    @Test
    void gpuLayersAndRpcPlaceGpuCellsInColumnsOfTheirOwnWhileTheCpuCellStaysOne() {
        List<Bench.Cell> cells = plan(BenchConfig.builder().backends(Set.of("cpu", "gpu"))
                .sweepText(Dimensions.GPU_LAYERS, "0,8,all").sweepText(Dimensions.RPC, "127.0.0.1:50052,127.0.0.1:50053"));
        List<String> ids = cells.stream().map(c -> c.spec().id()).toList();
        String rpc = "rpc127.0.0.1-50052+127.0.0.1-50053";
        assertEquals(List.of("stories260K/F32__cpu",
                "stories260K/F32__gpu-ngl0", "stories260K/F32__gpu-ngl0_" + rpc,
                "stories260K/F32__gpu-ngl8", "stories260K/F32__gpu-ngl8_" + rpc,
                "stories260K/F32__gpu", "stories260K/F32__gpu-" + rpc), ids);
        Settings cpu = cells.get(0).spec().settings();
        assertEquals(0, cpu.gpuLayers());
        assertEquals(List.of(), cpu.rpc());
        assertNull(cells.get(0).spec().cell().placement(), "a cpu cell has no placement");
        Bench.Cell split = cells.get(4);
        assertEquals(8, split.spec().settings().gpuLayers());
        assertEquals(List.of("127.0.0.1:50052", "127.0.0.1:50053"), split.spec().settings().rpc());
        assertEquals("ngl8_" + rpc, split.spec().cell().placement());
        assertEquals("gpu-ngl8_" + rpc, split.spec().cell().backendColumn(), "the report's column");
        assertTrue(split.file().getFileName().toString().startsWith("F32__gpu-ngl8_" + rpc), split.file().toString());
        assertNull(cells.get(5).spec().cell().placement(), "all layers on the local GPU: the column keeps its old name");
        assertEquals(999, cells.get(5).spec().settings().gpuLayers());
    }

    @Test
    void gpuLayersAndRpcValuesAreChecked() {
        assertEquals(List.of(0, 8, 999), Dimensions.GPU_LAYERS.values("0,8,all"));
        assertEquals("--gpu-layers: 'some' is not a whole number (a layer count or all)",
                assertThrows(BadInputException.class, () -> Dimensions.GPU_LAYERS.values("some")).getMessage());
        assertEquals(List.of(List.of(), List.of("a:1", "b:2"), List.of("[::1]:3")), Dimensions.RPC.values("a:1,b:2;[::1]:3"));
        assertTrue(assertThrows(BadInputException.class, () -> Dimensions.RPC.values("host")).getMessage().startsWith("--rpc: 'host'"));
    }

    @Test
    void ubatchFollowsASmallerBatchUnlessGiven() {
        List<Bench.Cell> cells = plan(BenchConfig.builder().sweepText(Dimensions.BATCH, "128,1024"));
        assertEquals(128, cells.get(0).spec().settings().ubatch());
        assertEquals(512, cells.get(1).spec().settings().ubatch());
        assertEquals("stories260K/F32__cpu__b128", cells.get(0).spec().id(), "the derived ubatch is its default: not in the id");
    }

    @Test
    void badValuesAreRejectedNamingTheOption() {
        assertEquals("--threads must be at least 1, not 0",
                assertThrows(BadInputException.class, () -> Dimensions.THREADS.values("1,0")).getMessage());
        assertTrue(assertThrows(BadInputException.class, () -> Dimensions.CACHE_TYPE_K.values("q9_0")).getMessage()
                .startsWith("--cache-type-k: 'q9_0' is not a KV cache type"));
        assertTrue(assertThrows(BadInputException.class, () -> Dimensions.FLASH_ATTN.values("maybe")).getMessage()
                .contains("not on or off"));
        assertTrue(assertThrows(BadInputException.class, () -> Dimensions.CTX.values("512,,1024")).getMessage()
                .contains("empty value"));
        assertEquals(List.of(1, 2), Dimensions.THREADS.values(" 1, 2,1"), "distinct, in the order given");
    }

    @Test
    void combinationsLlamaCppRefusesAreNamedWithItsReason() {
        KvCache kv = KvCache.of(GgufFile.open(BenchEndToEndTest.STORIES).metadata());
        assertEquals(new KvCache(5, 4, 8, 8), kv, "stories260K: 5 layers, 4 KV heads of 8");
        assertEquals(5 * 4 * (8 * 2 + 8 * 2), kv.bytesPerToken("f16", "f16"));
        Settings base = Settings.builder().build();
        assertNull(Bench.unrunnable(base, kv));
        assertTrue(Bench.unrunnable(base.toBuilder().cacheTypeV("q8_0").build(), kv).contains("V cache quantization requires flash_attn"));
        assertTrue(Bench.unrunnable(base.toBuilder().cacheTypeK("q8_0").build(), kv).contains("n_embd_head_k % ggml_blck_size(type_k)"));
        KvCache qwen = new KvCache(24, 2, 64, 64);
        assertNull(qwen.unsupportedReason("q8_0", "q8_0", true));
        assertEquals(24L * 2 * (64 / 32 * 34) * 2, qwen.bytesPerToken("q8_0", "q8_0"));
        assertNull(Bench.unrunnable(base.toBuilder().cacheTypeV("bf16").build(), kv), "only a quantized V needs flash attention");
    }
}
