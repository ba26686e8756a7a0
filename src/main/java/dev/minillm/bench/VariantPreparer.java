package dev.minillm.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes a quantized variant of an F16 model for the synthetic default family. The seam between
 * bench and the quantizer ({@code dev.minillm.quant}): bench only asks for the variants it can have.
 */
public interface VariantPreparer {
    /** The variants besides F16 this preparer can make, in benchmark order. */
    List<String> variants();

    /** Writes {@code target} (atomically) as {@code variant} of {@code f16}. */
    void prepare(Path f16, Path target, String variant, int threads) throws IOException;

    /** The quantizer when this build has one; otherwise a preparer of no variants (F16 only). */
    static VariantPreparer available() {
        return new VariantPreparer() {
            @Override
            public List<String> variants() {
                return List.of();
            }

            @Override
            public void prepare(Path f16, Path target, String variant, int threads) {
                throw new UnsupportedOperationException("no quantizer in this build");
            }
        };
    }
}
