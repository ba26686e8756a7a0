package dev.minillm.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-tensor cosine similarity and max absolute error of dequantized weights, on stories260K. */
class WeightFidelityTest {
    static final Path STORIES = dev.minillm.TestModel.STORIES;

    @TempDir
    Path dir;

    @Test
    void anF16CopyIsExactAndQ4_0IsNot() {
        Path f16 = dir.resolve("f16.gguf");
        Quantizer.quantize(STORIES, f16, QuantType.parse("f16"), 1, ProgressListener.NONE);
        Path copy = dir.resolve("f16-copy.gguf");
        Quantizer.quantize(f16, copy, QuantType.parse("f16"), 1, ProgressListener.NONE);

        WeightFidelity same = QuantError.compare(f16, copy).fidelity();
        assertEquals(0, same.converted(), "F16 -> F16 converts nothing");
        assertTrue(same.tensors() > 40, "every tensor compared: " + same.tensors());
        assertEquals(1.0, same.meanCosine(), 0.0);
        assertEquals(1.0, same.minCosine(), 0.0);
        assertEquals(0.0, same.maxAbsError(), 0.0);

        Path q4 = dir.resolve("q4_0.gguf");
        Quantizer.quantize(STORIES, q4, QuantType.parse("q4_0"), 1, ProgressListener.NONE);
        QuantError.Report report = QuantError.compare(STORIES, q4);
        WeightFidelity f = report.fidelity();
        assertEquals(report.tensors().size(), f.converted());
        assertEquals(f.converted(), f.tensors(), "the statistics cover the converted tensors");
        assertTrue(f.meanCosine() < 1 && f.meanCosine() > 0.95, "4-bit: close but not equal: " + f.meanCosine());
        assertTrue(f.minCosine() <= f.meanCosine());
        assertTrue(f.maxAbsError() > 0);
        assertEquals(WeightFidelity.WORST_SHOWN, f.worst().size());
        assertEquals(f.minCosine(), f.worst().get(0).cosine(), 0.0);
        for (int i = 1; i < f.worst().size(); i++) {
            assertTrue(f.worst().get(i - 1).cosine() <= f.worst().get(i).cosine(), "lowest first");
        }
        assertFalse(f.worst().get(0).name().endsWith(".weight"));
        assertTrue(f.summary().matches("mean cosine 0\\.\\d{5}, worst tensor \\S+ 0\\.\\d{5}"), f.summary());

        // The cosine by its definition, for one tensor: x.q / (|x| |q|) from the sums the comparison kept.
        QuantError.TensorError t = report.tensor("blk.0.attn_q.weight");
        assertEquals(t.sumProduct() / Math.sqrt(t.sumSquaredSource()) / Math.sqrt(t.sumSquaredQuantized()), t.cosine(), 1e-12);
        // F16 of F32 weights: still converted, far closer than 4 bits.
        Path f16Of32 = f16;
        WeightFidelity half = QuantError.compare(STORIES, f16Of32).fidelity();
        assertTrue(half.meanCosine() > f.meanCosine() && half.meanCosine() < 1.0 + 1e-15, half.meanCosine() + " vs " + f.meanCosine());
        assertTrue(half.minCosine() > 0.99999, "F16 rounding only: " + half.minCosine());
    }
}
