package dev.minillm.results;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minillm.engine.gpu.GpuPlacement;
import dev.minillm.eval.QualityResult;
import java.util.List;
import java.util.Map;

/**
 * One cell result as stored in {@code results/raw/<model>/<cell>.json} (docs/cell-schema.md): the
 * bench writes it and the report and the audit read it, all through {@link CellRecords}.
 *
 * @param metrics         per-repetition statistics keyed by {@link Metric#key}
 * @param warmupDiscarded repetitions run and thrown away before the measured ones
 * @param repetitions     each measured repetition's raw values, keyed as {@code metrics}
 * @param tests           llama-bench tests, when asked for
 * @param ladder          the context ladder, when asked for
 * @param speculative     a speculative-decoding cell's draft and acceptance figures (docs/readme/speculative.md)
 * @param gpu             where a gpu cell put the model (devices, layer split, device memory); null for cpu cells
 */
public record CellRecord(int schemaVersion, Status status, String reason, Cell cell, EngineInfo engine,
                         ModelInfo modelInfo, Hardware hardware, Harness harness, Map<String, Stat> metrics,
                         ColdLoad coldLoad, Crosscheck crosscheck, Integer warmupDiscarded,
                         List<Map<String, Double>> repetitions, List<TestResult> tests, List<LadderPoint> ladder,
                         JsonNode speculative, QualityResult quality, Sample sample, GpuPlacement gpu) {

    public static final int SCHEMA_VERSION = 2;

    public CellRecord {
        // JSON null reads as a NullNode: the same as absent
        speculative = speculative == null || speculative.isNull() ? null : speculative;
    }

    /** A result with nothing measured (failed or skipped), to be completed by the writer. */
    public static CellRecord unmeasured(Status status, String reason, Cell cell, EngineInfo engine) {
        return new CellRecord(SCHEMA_VERSION, status, reason, cell, engine, null, null, null, Map.of(), null, null,
                null, List.of(), List.of(), List.of(), null, null, null, null);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    public Stat metric(Metric m) {
        return metric(m.key);
    }

    public Stat metric(String key) {
        return metrics == null ? null : metrics.get(key);
    }

    public Settings settings() {
        return cell == null ? null : cell.settings();
    }

    public CellRecord withFacts(ModelInfo m, Hardware h, Harness hs) {
        return new CellRecord(schemaVersion, status, reason, cell, engine, m, h, hs, metrics, coldLoad, crosscheck,
                warmupDiscarded, repetitions, tests, ladder, speculative, quality, sample, gpu);
    }
}
