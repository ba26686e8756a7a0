package dev.minillm.engine;

import dev.minillm.common.RunFailedException;
import java.nio.file.Path;

/** What both engines' {@code forwardBranches} require of their arguments, checked before any work. */
final class BranchChecks {
    private BranchChecks() {
    }

    static void require(Path modelPath, int[] prefix, int[][] branches, int maxSequences, int contextSize) {
        int k = branches.length;
        if (prefix.length == 0 || k == 0) {
            throw new IllegalArgumentException("need a non-empty prefix and at least one branch");
        }
        if (k > maxSequences) {
            throw new IllegalArgumentException(k + " branches, but the session was opened for " + maxSequences + " sequences");
        }
        long cells = prefix.length;
        for (int[] b : branches) {
            cells += b.length;
        }
        if (cells > contextSize) {
            throw new RunFailedException(modelPath + ": a prefix of " + prefix.length + " tokens and " + k + " branches ("
                    + cells + " tokens in all) do not fit the context of " + contextSize + " tokens");
        }
    }
}
