package dev.minillm.eval;

import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.LlamaFileType;
import dev.minillm.gguf.ModelInfo;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Which variant of a model serves as the quality baseline: F16 when present (the usual
 * reference), otherwise the highest-precision variant with real weights. Synthetic files never
 * qualify — divergence from random weights means nothing.
 */
public final class BaselineChoice {
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

    /** Smaller is a better baseline (the rule is {@link LlamaFileType#baselineRank}'s). */
    static int rank(String fileType) {
        return LlamaFileType.baselineRank(fileType);
    }
}
