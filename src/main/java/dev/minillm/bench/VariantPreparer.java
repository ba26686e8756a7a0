package dev.minillm.bench;

import dev.minillm.common.Progress;
import dev.minillm.quant.QuantType;
import dev.minillm.quant.Quantizer;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes a quantized variant of an F16 model for the synthetic default family. The seam between
 * bench and the quantizer ({@code dev.minillm.quant}): bench only asks for the variants it wants.
 */
public interface VariantPreparer {
    /** The variants besides F16 this preparer makes, in benchmark order. */
    List<String> variants();

    /** Writes {@code target} (atomically) as {@code variant} of {@code f16}. */
    void prepare(Path f16, Path target, String variant, int threads);

    /** minillm's own quantizer (ggml kernels, llama.cpp b4916 tensor-type rules): Q8_0, Q5_K_M, Q4_K_M. */
    static VariantPreparer available() {
        return new VariantPreparer() {
            @Override
            public List<String> variants() {
                return List.of("Q8_0", "Q5_K_M", "Q4_K_M");
            }

            @Override
            public void prepare(Path f16, Path target, String variant, int threads) {
                try (Progress.Deferred bar = new Progress.Deferred("quantize " + variant, "MB", 1_000_000)) {
                    Quantizer.quantize(f16, target, QuantType.parse(variant), threads, bar::report);
                }
            }
        };
    }
}
