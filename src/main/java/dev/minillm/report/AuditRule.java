package dev.minillm.report;

/** The checks the self-audit applies to every cell; the code is what reports and tests name. */
public enum AuditRule {
    WARMUP_NOT_DISCARDED("warmup-not-discarded", "warmup repetitions were not discarded (warmup_discarded < 1)"),
    TOO_FEW_REPETITIONS("too-few-repetitions", "fewer than 3 measured repetitions"),
    HIGH_CV("high-cv", "coefficient of variation above 10 % on decode tok/s, prompt tok/s or TTFT"),
    COLD_LOAD_NOT_COLD("cold-load-not-cold", "the cold load was not verified cold (page cache not dropped)"),
    MIXED_HARDWARE("mixed-hardware", "cells from different machines in one table without --allow-mixed"),
    MIXED_ENGINE("mixed-engine", "cells of one engine column measured by different builds of it (another llama.cpp release, commit or variant): their ratios would mix engines"),
    MIXED_HARNESS("mixed-harness", "cells from different harness versions in one table without --allow-mixed"),
    QUALITY_ON_SYNTHETIC("quality-on-synthetic", "quality figures recorded for synthetic weights (shown as n/a)"),
    CROSSCHECK_DISAGREES("crosscheck-disagrees", "project tok/s disagrees with llama.cpp's own timing by more than the threshold"),
    ABOVE_ROOFLINE("above-roofline", "decode tok/s above the memory-bandwidth roofline beyond noise, for weights too large to stay in the CPU caches"),
    UNREADABLE_RESULT("unreadable-result", "a result file that cannot be read (empty, truncated, not JSON, not a cell result): its cell is missing from the tables"),
    MC_DIFFERENT_ITEMS("mc-different-items", "variants in one table scored a multiple-choice task on different items (not comparable)"),
    SOFTWARE_GPU("software-gpu", "a gpu cell ran on a CPU-emulated device (Mesa's lavapipe): the GPU code path, not GPU speed"),
    MC_WITHIN_NOISE("mc-within-noise", "every variant's accuracy on a task is within noise of every other's: the sample cannot rank them");

    private final String code;
    private final String description;

    AuditRule(String code, String description) {
        this.code = code;
        this.description = description;
    }

    public String code() {
        return code;
    }

    public String description() {
        return description;
    }
}
