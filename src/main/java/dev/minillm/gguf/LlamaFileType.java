package dev.minillm.gguf;

import java.util.Locale;

/**
 * {@code general.file_type} values (enum llama_ftype in llama.h at b4916). {@link #label()} is the
 * upper-case variant name used throughout minillm (F16, Q4_K_M, ...).
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
