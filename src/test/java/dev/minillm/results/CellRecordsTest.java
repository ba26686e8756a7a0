package dev.minillm.results;

import dev.minillm.engine.gpu.GpuBuffer;
import dev.minillm.engine.gpu.GpuDevice;
import dev.minillm.engine.gpu.GpuPlacement;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.BadInputException;
import dev.minillm.eval.QualityResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed result model: written and read by the same code, version 1 converted, documented field by field. */
class CellRecordsTest {
    static final Path V1_FIXTURE = Path.of("src/test/resources/fixtures/realistic/raw/qwen2.5-0.5b/Q4_K_M__cpu.json");

    @TempDir
    Path tmp;

    static CellRecord full() {
        Settings s = Settings.builder().threads(2).cacheTypeK("q8_0").flashAttn(true).promptsFile("p.txt").promptCount(2)
                .promptsSha256("ab12").tests(List.of("prompts", "pp512", "tg128")).ladder(List.of(128, 256)).build();
        Map<String, Stat> metrics = new LinkedHashMap<>();
        metrics.put(Metric.DECODE_TPS.key, Stat.of(40.0, 41.0, 42.0));
        metrics.put(Metric.TTFT_MS.key, Stat.of(5.0)); // n = 1: stddev 0, cv undefined (null)
        QualityResult q = new QualityResult(false, null, "F16", new QualityResult.Ppl(7.9, 0.2, 4096, 512, "t.txt", 8, 2.06),
                new QualityResult.Kld(0.01, 0.1, 0.97, null, 0.001, 0.9, 7.85, 32, 4096), null, null, null, 1234.0, null, null, null);
        return new CellRecord(CellRecord.SCHEMA_VERSION, Status.OK, null,
                new Cell("m/F16__cpu__t2", "m", "F16", "cpu", "bundled", "m.gguf", s, null), EngineInfo.named("bundled", "b4916"),
                new ModelInfo(100L, 10L, 90L, 16.0, "F16", "llama", false, 5, 64, 512, 2048, "llama 260K F16", null),
                new Hardware("cpu", 2, 2, 1L << 34, "Linux", "17", "b4916", "AVX2 = 1", null, "host", null),
                new Harness("0.1.0", "a", "b", 1.5, 42L, "child", 60, "procfs", true), metrics,
                new ColdLoad("posix_fadvise", true, 0.0, "mincore", null, "the model file's pages (page cache)"),
                new Crosscheck(0.5, -0.2, 5.0, false, "llama_perf_context"), 1,
                List.of(Map.of("rep", 1.0, "decode_tps", 40.0)),
                List.of(new TestResult("pp512", 512, 0, 0, Stat.of(100.0, 110.0), List.of(100.0, 110.0))),
                List.of(new LadderPoint(128, 5120, 655360L, 655360L, 700000L, Stat.of(30.0, 31.0))), null, q,
                new Sample("Once", " upon"),
                new GpuPlacement(2, 6, 2, new LinkedHashMap<>(Map.of("CPU", 4, "Vulkan0", 2)), "Vulkan0", 900, 200, 100, 1000, 0,
                        List.of(new GpuDevice(0, "Vulkan0", "llvmpipe", "gpu", "Vulkan", 1L << 31, 1L << 31, null, "llvmpipe, Mesa",
                                "Vulkan 1.3.230", true)),
                        List.of(new GpuBuffer("Vulkan0", "Vulkan0", "gpu", false, 900, 200, 100)), List.of(), true, null));
    }

    @Test
    void whatIsWrittenReadsBackEqual() throws IOException {
        CellRecord r = full();
        Path file = tmp.resolve("c.json");
        CellRecords.write(file, r);
        assertEquals(r, CellRecords.read(file));
        String json = Files.readString(file);
        assertTrue(json.contains("\"cache_type_k\" : \"q8_0\"") && json.contains("\"status\" : \"ok\""), json);
        assertTrue(json.contains("\"cv\" : null"), "an undefined statistic is null, not NaN: " + json);
    }

    @Test
    void aVersion1FileIsConvertedOnRead() {
        CellRecord r = CellRecords.read(V1_FIXTURE);
        assertEquals(2, r.schemaVersion());
        assertEquals(Status.OK, r.status());
        assertNotNull(r.coldLoad(), "metrics.cold_load moved to cold_load");
        assertTrue(r.coldLoad().verified());
        assertNull(r.metric("cold_load"));
        assertEquals(5, r.metric(Metric.DECODE_TPS).n());
        Settings s = r.settings();
        assertEquals(2, s.threads());
        assertEquals(512, s.ubatch(), "what version 1 ran with: ubatch = min(batch, 512)");
        assertEquals("f16", s.cacheTypeK());
        assertFalse(s.flashAttn());
        assertEquals(List.of(Settings.PROMPT_SET_TEST), s.tests());
        assertNull(s.promptsSha256(), "version 1 recorded no prompt hash: never reused");
        assertTrue(EngineInfo.named("bundled", "b4916").sameBuild(r.engine()), String.valueOf(r.engine()));
        assertEquals(600, r.harness().timeoutS());
    }

    @Test
    void entriesThatAreNoStatisticAreLeftOutAndOtherDamageNamesTheFile() throws IOException {
        ObjectNode doc = (ObjectNode) CellRecords.mapper().readTree(V1_FIXTURE.toFile());
        ((ObjectNode) doc.get("metrics")).put("new_metric_ms", "not a stat");
        ((ObjectNode) doc.get("metrics").get("ttft_ms")).put("median", "n/a");
        CellRecord r = CellRecords.fromTree(doc);
        assertNull(r.metric("new_metric_ms"));
        assertNull(r.metric(Metric.TTFT_MS).median());
        assertNotNull(r.metric(Metric.TTFT_MS).mean());

        ((ObjectNode) doc.get("cell").get("settings")).put("threads", "two");
        Path bad = tmp.resolve("bad.json");
        Files.write(bad, CellRecords.mapper().writeValueAsBytes(doc));
        BadInputException e = assertThrows(BadInputException.class, () -> CellRecords.read(bad));
        assertTrue(e.getMessage().startsWith(bad + ": not a cell result of schema version 2"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    private static final Pattern FIELD_ROW = Pattern.compile("^\\| `([^`]+)` \\| (\\w+) \\|", Pattern.MULTILINE);
    private static final Pattern METRIC_ROW = Pattern.compile("^\\| `([a-z0-9_]+)` \\| [^|]+ \\| (higher|lower|-) \\|", Pattern.MULTILINE);

    @Test
    void theSchemaPageListsExactlyTheFieldsOfTheRecords() throws IOException {
        String page = Files.readString(Path.of("docs/cell-schema.md"));
        String doc = page.substring(page.indexOf("## Fields"), page.indexOf("## Metric names"));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher m = FIELD_ROW.matcher(doc);
        while (m.find()) {
            documented.put(m.group(1), m.group(2));
        }
        Map<String, String> actual = SchemaPaths.of(CellRecord.class);
        Set<String> missing = new LinkedHashSet<>(actual.keySet());
        missing.removeAll(documented.keySet());
        Set<String> stale = new LinkedHashSet<>(documented.keySet());
        stale.removeAll(actual.keySet());
        assertEquals(Set.of(), missing, "fields of the records that docs/cell-schema.md does not list");
        assertEquals(Set.of(), stale, "fields docs/cell-schema.md lists that the records do not have");
        assertEquals(actual, documented, "the documented types");
    }

    @Test
    void theSchemaPageListsEveryMetricWithItsDirection() throws IOException {
        String page = Files.readString(Path.of("docs/cell-schema.md"));
        String doc = page.substring(page.indexOf("## Metric names"));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher m = METRIC_ROW.matcher(doc);
        while (m.find()) {
            documented.put(m.group(1), m.group(2));
        }
        Map<String, String> registry = new LinkedHashMap<>();
        for (Metric metric : Metric.repetitionMetrics()) {
            registry.put(metric.key, switch (metric.better) {
                case HIGHER -> "higher";
                case LOWER -> "lower";
                case NEITHER -> "-";
            });
        }
        assertEquals(registry, documented);
    }
}
