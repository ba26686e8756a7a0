package dev.minillm.report;

import dev.minillm.eval.QualityResult;
import dev.minillm.results.CellRecord;
import dev.minillm.results.ColdLoad;
import dev.minillm.results.Crosscheck;
import dev.minillm.results.Hardware;
import dev.minillm.results.Metric;
import dev.minillm.results.ModelInfo;
import dev.minillm.results.Settings;
import dev.minillm.results.Stat;
import java.nio.file.Path;

/**
 * One bench cell (model x variant x backend x settings) as read from its result file: the stored
 * {@link CellRecord} and where it came from, with the names the report groups by.
 *
 * @param settingsTag the settings part of the cell id ("t1_fa1"), null for the default settings
 */
public record CellResult(Path file, CellRecord record, String model, String variant, String backend, String settingsTag) {

    public static final String OK = "ok";

    /** Quality figures flattened for the table; each may be null. {@code synthetic} marks the "quality n/a" object. */
    public record Quality(Boolean synthetic, String baselineVariant, Double ppl, Double pplStderr,
                          Double kldMean, Double kldP99, Double top1Agreement, Double deltaPpl,
                          Double hallucinationAccuracy, Double hallucinationRate, Integer hallucinationQuestions) {
        static Quality of(QualityResult q) {
            if (q == null) {
                return null;
            }
            QualityResult.Ppl p = q.ppl();
            QualityResult.Kld k = q.kld();
            QualityResult.Hallucination h = q.hallucination();
            return new Quality(q.synthetic(), q.baselineVariant(), p == null ? null : p.value(), p == null ? null : p.stderr(),
                    k == null ? null : k.mean(), k == null ? null : k.p99(), k == null ? null : k.top1Agreement(),
                    k == null ? null : k.deltaPpl(), h == null ? null : h.accuracy(), h == null ? null : h.hallucinationRate(),
                    h == null ? null : h.questions());
        }

        /** True when any quality number is present (used to catch quality shown for synthetic weights). */
        public boolean hasFigures() {
            return ppl != null || kldMean != null || kldP99 != null || top1Agreement != null || deltaPpl != null
                    || hallucinationAccuracy != null || hallucinationRate != null;
        }
    }

    public Integer schemaVersion() {
        return record.schemaVersion();
    }

    public String status() {
        return record.status() == null ? OK : record.status().json();
    }

    public String reason() {
        return record.reason();
    }

    public String id() {
        return record.cell() == null ? null : record.cell().id();
    }

    /** The cell's settings; null in a file that recorded none. */
    public Settings settings() {
        return record.settings();
    }

    public ModelInfo modelInfo() {
        return record.modelInfo();
    }

    public Hardware hardware() {
        return record.hardware();
    }

    public String harnessVersion() {
        return record.harness() == null ? null : record.harness().version();
    }

    public Boolean coldLoadVerified() {
        ColdLoad c = record.coldLoad();
        return c == null ? null : c.verified();
    }

    public String coldLoadMethod() {
        ColdLoad c = record.coldLoad();
        return c == null ? null : c.method();
    }

    public Double coldResidentFractionBefore() {
        ColdLoad c = record.coldLoad();
        return c == null ? null : c.residentFractionBefore();
    }

    public Crosscheck crosscheck() {
        return record.crosscheck();
    }

    public Integer warmupDiscarded() {
        return record.warmupDiscarded();
    }

    /** Measured repetitions stored, or null when the file has no repetitions array. */
    public Integer repetitionCount() {
        return record.repetitions() == null || record.repetitions().isEmpty() && !ok() ? null : record.repetitions().size();
    }

    public Quality quality() {
        return Quality.of(record.quality());
    }

    public boolean ok() {
        return OK.equals(status());
    }

    /** Synthetic (random) weights: speed and memory are meaningful, quality is not. */
    public boolean synthetic() {
        return (modelInfo() != null && Boolean.TRUE.equals(modelInfo().synthetic()))
                || (record.quality() != null && record.quality().synthetic());
    }

    public Stat metric(String name) {
        return record.metric(name);
    }

    public Stat metric(Metric m) {
        return record.metric(m);
    }

    public String machineKey() {
        return hardware() == null ? "? | ?" : hardware().machineKey();
    }

    /** Cells with the same model and settings go into one comparison table. */
    public String tableKey() {
        return model + (settingsTag == null ? "" : "__" + settingsTag);
    }

    /** A short name for messages: the cell id, else the file name. */
    public String displayId() {
        if (id() != null) {
            return id();
        }
        return file == null ? "?" : file.getFileName().toString();
    }
}
