package dev.minillm.gguf;

import java.util.Locale;

/**
 * {@code general.file_type} values (enum llama_ftype in llama.h at b4916). {@link #label()} is the
 * upper-case variant name used throughout minillm (F16, Q4_K_M, ...). This class owns what minillm
 * knows about variant names: spellings, the order by precision, the baseline rule and how a name
 * appears in a file name.
 */
public enum LlamaFileType {
    ALL_F32(0, "F32"),
    MOSTLY_F16(1, "F16"),
    MOSTLY_Q4_0(2, "Q4_0"),
    MOSTLY_Q4_1(3, "Q4_1"),
    MOSTLY_Q8_0(7, "Q8_0"),
    MOSTLY_Q5_0(8, "Q5_0"),
    MOSTLY_Q5_1(9, "Q5_1"),
    MOSTLY_Q2_K(10, "Q2_K"),
    MOSTLY_Q3_K_S(11, "Q3_K_S"),
    MOSTLY_Q3_K_M(12, "Q3_K_M"),
    MOSTLY_Q3_K_L(13, "Q3_K_L"),
    MOSTLY_Q4_K_S(14, "Q4_K_S"),
    MOSTLY_Q4_K_M(15, "Q4_K_M"),
    MOSTLY_Q5_K_S(16, "Q5_K_S"),
    MOSTLY_Q5_K_M(17, "Q5_K_M"),
    MOSTLY_Q6_K(18, "Q6_K"),
    MOSTLY_IQ2_XXS(19, "IQ2_XXS"),
    MOSTLY_IQ2_XS(20, "IQ2_XS"),
    MOSTLY_Q2_K_S(21, "Q2_K_S"),
    MOSTLY_IQ3_XS(22, "IQ3_XS"),
    MOSTLY_IQ3_XXS(23, "IQ3_XXS"),
    MOSTLY_IQ1_S(24, "IQ1_S"),
    MOSTLY_IQ4_NL(25, "IQ4_NL"),
    MOSTLY_IQ3_S(26, "IQ3_S"),
    MOSTLY_IQ3_M(27, "IQ3_M"),
    MOSTLY_IQ2_S(28, "IQ2_S"),
    MOSTLY_IQ2_M(29, "IQ2_M"),
    MOSTLY_IQ4_XS(30, "IQ4_XS"),
    MOSTLY_IQ1_M(31, "IQ1_M"),
    MOSTLY_BF16(32, "BF16"),
    MOSTLY_TQ1_0(36, "TQ1_0"),
    MOSTLY_TQ2_0(37, "TQ2_0");

    private final int id;
    private final String label;

    LlamaFileType(int id, String label) {
        this.id = id;
        this.label = label;
    }

    public int id() {
        return id;
    }

    /** Variant name as used in results ("Q4_K_M", "F16"). */
    public String label() {
        return label;
    }

    /** The file type with this id, or null. */
    public static LlamaFileType fromId(long id) {
        for (LlamaFileType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }

    /** File types from most to least precise (bits per weight, roughly); "Q4_K" etc. are dominant tensor types. */
    private static final java.util.List<String> PRECISION_ORDER = java.util.List.of("F32", "F16", "BF16", "Q8_0", "Q6_K",
            "Q5_K_M", "Q5_K_S", "Q5_1", "Q5_0", "Q5_K", "Q4_K_M", "Q4_K_S", "Q4_1", "IQ4_XS", "IQ4_NL", "Q4_K", "Q4_0", "Q3_K_L",
            "Q3_K_M", "IQ3_M", "IQ3_S", "Q3_K_S", "Q3_K", "IQ3_XS", "IQ3_XXS", "Q2_K", "Q2_K_S", "IQ2_M", "IQ2_S", "IQ2_XS",
            "IQ2_XXS", "IQ1_M", "IQ1_S", "TQ2_0", "TQ1_0");

    /** Position in the precision order, 0 = most precise; unknown names (and null) after all known ones. */
    public static int precisionRank(String label) {
        int i = label == null ? -1 : PRECISION_ORDER.indexOf(normalize(label));
        return i < 0 ? PRECISION_ORDER.size() : i;
    }

    /**
     * The one baseline rule (quality divergence, speedups, size ratios): F16 when present, the usual
     * reference, else the most precise variant. Smaller ranks are better baselines.
     */
    public static int baselineRank(String label) {
        return label != null && normalize(label).equals("F16") ? -1 : precisionRank(label);
    }

    /**
     * A variant name inside a GGUF file name ("qwen2.5-0.5b-instruct-q4_k_m", "Model.F16"), delimited
     * by '-', '_', '.' or the ends; group 1 is the name. Besides the labels: fp16/fp32 and the
     * *_K_XL mixes some uploaders publish.
     */
    public static final java.util.regex.Pattern FILE_NAME_TOKEN = fileNameToken();

    private static java.util.regex.Pattern fileNameToken() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (LlamaFileType t : values()) {
            names.add(t.label);
        }
        names.addAll(java.util.List.of("FP16", "FP32", "Q2_K_XL", "Q3_K_XL", "Q4_K_XL", "Q5_K_XL", "Q6_K_XL", "Q8_K_XL"));
        names.sort(java.util.Comparator.comparingInt(String::length).reversed());
        return java.util.regex.Pattern.compile("(?i)(?<=^|[-_.])(" + String.join("|", names) + ")(?=[-_.]|$)");
    }

    /** Parses a label ("q4_k_m", "F16", "fp16", "q4-k-m") or the enum name; null if unknown. */
    public static LlamaFileType fromLabel(String label) {
        String l = normalize(label);
        for (LlamaFileType t : values()) {
            if (t.label.equals(l) || t.name().equals(l)) {
                return t;
            }
        }
        return null;
    }

    /**
     * The upper-case label a user's spelling stands for: case, surrounding blanks and '-' for '_'
     * do not matter, and "fp16"/"fp32" (Qwen's file names) mean F16/F32.
     */
    public static String normalize(String text) {
        String q = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return switch (q) {
            case "FP16" -> "F16";
            case "FP32" -> "F32";
            default -> q;
        };
    }

    /**
     * The variant a {@code --quant} value names; anything else is bad input that lists the valid
     * names and, when one is close, asks "did you mean ...?".
     */
    public static LlamaFileType parse(String text, String option) {
        LlamaFileType t = fromLabel(text);
        if (t != null) {
            return t;
        }
        String closest = closest(text, java.util.Arrays.stream(values()).map(LlamaFileType::label).toList());
        throw new dev.minillm.common.BadInputException(option + ": unknown quantization '" + text.strip() + "'"
                + (closest != null ? " (did you mean " + closest.toLowerCase(Locale.ROOT) + "?)" : "")
                + "; valid: " + String.join(", ", java.util.Arrays.stream(values()).map(v -> v.label.toLowerCase(Locale.ROOT)).toList()));
    }

    /** The name among {@code names} closest to {@code text} (separators ignored, at most 2 edits), or null. */
    public static String closest(String text, java.util.List<String> names) {
        String want = squeeze(normalize(text));
        String best = null;
        int bestDistance = 3;
        for (String n : names) {
            int d = editDistance(want, squeeze(normalize(n)));
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        return best;
    }

    private static String squeeze(String s) {
        return s.replace("_", "");
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
