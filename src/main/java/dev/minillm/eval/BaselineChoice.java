package dev.minillm.eval;

import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.ModelInfo;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Which variant of a model serves as the quality baseline: F16 when present (the usual
 * reference), otherwise the highest-precision variant with real weights. Synthetic files never
 * qualify — divergence from random weights means nothing.
 */
public final class BaselineChoice {
    /** llama.cpp file types from most to least precise (bits per weight, roughly). */
    static final List<String> PRECISION_ORDER = List.of("F32", "F16", "BF16", "Q8_0", "Q6_K", "Q5_K_M", "Q5_K_S",
            "Q5_1", "Q5_0", "Q5_K", "Q4_K_M", "Q4_K_S", "Q4_1", "IQ4_XS", "IQ4_NL", "Q4_K", "Q4_0", "Q3_K_L", "Q3_K_M",
            "IQ3_M", "IQ3_S", "Q3_K_S", "Q3_K", "IQ3_XS", "IQ3_XXS", "Q2_K", "Q2_K_S", "IQ2_M", "IQ2_S", "IQ2_XS",
            "IQ2_XXS", "IQ1_M", "IQ1_S", "TQ2_0", "TQ1_0");

    private BaselineChoice() {
    }

    /** The baseline among {@code variants}, or null when none has real weights. */
    public static Path pick(Collection<Path> variants) {
        Path best = null;
        int bestRank = Integer.MAX_VALUE;
        for (Path p : variants) {
            ModelInfo info = GgufFile.open(p).info();
            if (info.synthetic()) {
                continue;
            }
            int r = rank(info.fileTypeOrDominant());
            if (r < bestRank) {
                best = p;
                bestRank = r;
            }
        }
        return best;
    }

    /** Smaller is a better baseline: F16 first, then by precision; unknown types last. */
    static int rank(String fileType) {
        if ("F16".equals(fileType)) {
            return -1;
        }
        int i = fileType == null ? -1 : PRECISION_ORDER.indexOf(fileType);
        return i < 0 ? PRECISION_ORDER.size() : i;
    }
}
