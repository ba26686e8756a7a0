package dev.minillm.report;

import dev.minillm.eval.QualityResult;
import dev.minillm.eval.TaskAccuracy;
import dev.minillm.quant.WeightFidelity;
import dev.minillm.results.CellRecord;
import dev.minillm.results.ColdLoad;
import dev.minillm.results.Crosscheck;
import dev.minillm.results.Hardware;
import dev.minillm.results.Metric;
import dev.minillm.results.ModelInfo;
import dev.minillm.results.Settings;
import dev.minillm.results.Stat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
                          Double hallucinationAccuracy, Double hallucinationRate, Integer hallucinationQuestions,
                          Accuracy accuracy) {
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
                    h == null ? null : h.questions(), Accuracy.of(q));
        }

        /** True when any quality number is present (used to catch quality shown for synthetic weights). */
        public boolean hasFigures() {
            return ppl != null || kldMean != null || kldP99 != null || top1Agreement != null || deltaPpl != null
                    || hallucinationAccuracy != null || hallucinationRate != null
                    || (accuracy != null && accuracy.hasFigures());
        }
    }

    /**
     * Accuracy-type quality: multiple-choice tasks, the likelihood score of the facts, and weight
     * fidelity against the baseline. Each part may be null / empty.
     */
    public record Accuracy(List<TaskScore> tasks, Double factsPreferred, Double factsPreferredStderr, Double factsMargin,
                           Double meanCosine, Double minCosine, String worstTensor, Integer fidelityTensors) {
        public Accuracy {
            tasks = tasks == null ? List.of() : List.copyOf(tasks);
        }

        /** The accuracy figures of a quality block, or null when it has none. */
        static Accuracy of(QualityResult q) {
            List<TaskScore> tasks = new ArrayList<>();
            if (q.mc() != null) {
                for (TaskAccuracy t : q.mc()) {
                    if (t.task() == null) {
                        continue;
                    }
                    StringBuilder key = new StringBuilder(String.valueOf(t.dataSha256()));
                    if (t.sampleIds() != null) {
                        t.sampleIds().forEach(id -> key.append('|').append(id));
                    }
                    boolean norm = t.accNorm() != null;
                    tasks.add(new TaskScore(t.task(), norm ? "acc_norm" : "acc", norm ? t.accNorm() : t.acc(),
                            norm ? t.accNormStderr() : t.accStderr(), t.items(), digest(key.toString())));
                }
            }
            QualityResult.Likelihood lk = q.hallucination() == null ? null : q.hallucination().likelihood();
            WeightFidelity wf = q.weightFidelity();
            String worst = wf != null && wf.worst() != null && !wf.worst().isEmpty() ? wf.worst().get(0).name() : null;
            Accuracy a = new Accuracy(tasks, lk == null ? null : lk.accuracy(), lk == null ? null : lk.accuracyStderr(),
                    lk == null ? null : lk.meanMargin(), wf == null ? null : wf.meanCosine(), wf == null ? null : wf.minCosine(),
                    worst, wf == null ? null : wf.tensors());
            return a.hasFigures() ? a : null;
        }

        boolean hasFigures() {
            return !tasks.isEmpty() || factsPreferred != null || meanCosine != null;
        }

        public TaskScore task(String name) {
            return tasks.stream().filter(t -> t.task().equals(name)).findFirst().orElse(null);
        }
    }

    /**
     * One task's figures. {@code score} is what tables show: acc_norm where the task has it, else acc.
     * {@code itemsKey} identifies the items scored (data sha256 + the sample ids), so two cells can be
     * checked to be comparable.
     */
    public record TaskScore(String task, String metric, double score, Double stderr, int items, String itemsKey) {
    }

    /** A short fingerprint of the scored items (comparing the full id lists of 200+ items in memory is as good, but larger). */
    private static String digest(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
