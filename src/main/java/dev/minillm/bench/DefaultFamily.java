package dev.minillm.bench;

import dev.minillm.common.BadInputException;
import java.util.List;

/**
 * The family benchmarked when no model is found locally: a synthetic qwen2.5-0.5b (real shape,
 * random weights), prepared once under {@code models/synthetic/}.
 */
public final class DefaultFamily {
    public static final String FAMILY = "qwen2.5-0.5b";

    private DefaultFamily() {
    }

    public static List<ModelCandidate> prepare(BenchConfig c) {
        throw new BadInputException(c.modelDir() + ": no GGUF models found; download real weights with 'minillm download' or pass --model FILE");
    }
}
