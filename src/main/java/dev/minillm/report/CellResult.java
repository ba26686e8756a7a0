package dev.minillm.report;

import java.util.List;

import java.nio.file.Path;
import java.util.Map;

/**
 * One bench cell (model x variant x backend x settings) as read from its result JSON.
 * Only what the report and the audit use is kept; unknown fields are ignored on reading.
 */
public record CellResult(
        Path file,
        Integer schemaVersion,
        String status,
        String reason,
        String id,
        String model,
        String variant,
        String backend,
        String settingsTag,
        Map<String, String> settings,
        ModelInfo modelInfo,
        Hardware hardware,
        String harnessVersion,
        Map<String, Stat> metrics,
        Boolean coldLoadVerified,
        String coldLoadMethod,
        Double coldResidentFractionBefore,
        Crosscheck crosscheck,
        Integer warmupDiscarded,
        Integer repetitionCount,
        Quality quality) {

    public static final String OK = "ok";

    public record ModelInfo(Long fileSizeBytes, Long nParams, Double bitsPerWeight, String fileType,
                            String architecture, Boolean synthetic) {
    }

    public record Hardware(String cpuModel, String hostname, String os, String nativeBuild, String gpuBackend,
                           Integer logicalCores, Long ramBytes) {
        /** The identity used to tell machines apart in a merged report. */
        public String machineKey() {
            return (hostname == null ? "?" : hostname) + " | " + (cpuModel == null ? "?" : cpuModel);
        }
    }

    /** Project timing compared with llama.cpp's own (llama_perf_context) timing. */
    public record Crosscheck(Double decodeDiffPct, Double promptDiffPct, Double thresholdPct, Boolean flagged) {
    }

    /** Quality figures; each may be null. {@code synthetic} marks the "quality n/a" object. */
    public record Quality(Boolean synthetic, String baselineVariant, Double ppl, Double pplStderr,
                          Double kldMean, Double kldP99, Double top1Agreement, Double deltaPpl,
                          Double hallucinationAccuracy, Double hallucinationRate, Integer hallucinationQuestions,
                          Accuracy accuracy) {
        public Quality(Boolean synthetic, String baselineVariant, Double ppl, Double pplStderr,
                       Double kldMean, Double kldP99, Double top1Agreement, Double deltaPpl,
                       Double hallucinationAccuracy, Double hallucinationRate, Integer hallucinationQuestions) {
            this(synthetic, baselineVariant, ppl, pplStderr, kldMean, kldP99, top1Agreement, deltaPpl,
                    hallucinationAccuracy, hallucinationRate, hallucinationQuestions, null);
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

    public boolean ok() {
        return OK.equals(status);
    }

    /** Synthetic (random) weights: speed and memory are meaningful, quality is not. */
    public boolean synthetic() {
        return (modelInfo != null && Boolean.TRUE.equals(modelInfo.synthetic()))
                || (quality != null && Boolean.TRUE.equals(quality.synthetic()));
    }

    public Stat metric(String name) {
        return metrics.get(name);
    }

    public String machineKey() {
        return hardware == null ? "? | ?" : hardware.machineKey();
    }

    /** Cells with the same model and settings go into one comparison table. */
    public String tableKey() {
        return model + (settingsTag == null ? "" : "__" + settingsTag);
    }

    /** A short name for messages: the cell id, else the file name. */
    public String displayId() {
        if (id != null) {
            return id;
        }
        return file == null ? "?" : file.getFileName().toString();
    }
}
