package dev.minillm.bench;

import dev.minillm.common.Progress;
import dev.minillm.common.RunFailedException;
import dev.minillm.gguf.synth.ModelShape;
import dev.minillm.gguf.synth.SyntheticModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The family benchmarked when no model is found locally: qwen2.5-0.5b with synthetic weights (the
 * real model's shape and tokenizer size, random values), prepared once under
 * {@code <model-dir>/synthetic/} as F16 plus the quantized variants a {@link VariantPreparer} makes.
 * Speed and memory are real for that shape; quality is not measurable.
 */
public final class DefaultFamily {
    public static final ModelShape SHAPE = ModelShape.QWEN2_5_0_5B;
    public static final String FAMILY = SHAPE.id();
    /** Fixed seed: the cached file is the same on every machine. */
    public static final long SEED = 20241129L;

    private DefaultFamily() {
    }

    public static List<ModelCandidate> prepare(BenchConfig.Selection c, int threads) {
        Path dir = c.modelDir().resolve(ModelSelector.SYNTHETIC_DIR);
        Progress.info("no GGUF models found under " + c.modelDir() + "; using the built-in default family "
                + FAMILY + " with SYNTHETIC weights (download real weights with 'minillm download')");
        Path f16 = dir.resolve(FAMILY + "-f16.gguf");
        List<Path> files = new ArrayList<>();
        boolean prepared = false;
        try {
            if (!Files.isRegularFile(f16)) {
                Progress.info("writing " + f16 + " (" + SHAPE.dataBytes() / (1 << 20) + " MiB, once)");
                try (Progress bar = Progress.start("synth " + FAMILY, SHAPE.dataBytes(), "MiB", 1 << 20)) {
                    SyntheticModels.write(SHAPE, f16, SEED, bar::stepTo);
                }
            }
            files.add(f16);
            VariantPreparer preparer = VariantPreparer.available();
            Files.createDirectories(dir);
            for (String variant : preparer.variants()) {
                if (!wanted(c.quants(), variant)) {
                    continue;
                }
                Path target = dir.resolve(FAMILY + "-" + variant.toLowerCase(Locale.ROOT) + ".gguf");
                if (!Files.isRegularFile(target)) {
                    Progress.info("quantizing " + f16.getFileName() + " to " + variant + " (once)");
                    preparer.prepare(f16, target, variant, threads);
                    prepared = true;
                }
                files.add(target);
            }
        } catch (IOException e) {
            throw new RunFailedException(dir + ": cannot prepare the synthetic default family: " + e.getMessage(), e);
        }
        if (prepared) {
            // The quantizer reads the F16 file through memory mappings that live until their buffers
            // are collected; mapped pages cannot be evicted, so the F16 cell's load would not be cold.
            System.gc();
        }
        List<ModelCandidate> out = new ArrayList<>();
        for (Path f : files) {
            ModelCandidate m = ModelSelector.candidate(f, FAMILY, true);
            if (wanted(c.quants(), m.variant())) {
                out.add(m);
            }
        }
        if (out.isEmpty()) {
            throw new dev.minillm.common.BadInputException("no model of the quantization(s) " + c.quants()
                    + " found under " + c.modelDir() + ", and the synthetic default family has none of them");
        }
        return out;
    }

    private static boolean wanted(Set<String> quants, String variant) {
        return quants.isEmpty() || quants.contains(variant);
    }
}
