package dev.minillm.quant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How faithfully a variant's weights reproduce the source's, tensor by tensor: the cosine
 * similarity of each dequantized tensor with its source and the largest absolute error, summarised
 * as min / mean over tensors with the worst tensors by name (the "weight_fidelity" block of a cell's
 * quality results). The statistics cover the tensors whose type changed; a file that converted
 * none (a same-type copy) is summarised over all its tensors.
 *
 * @param tensors       tensors the statistics cover
 * @param converted     tensors whose type changed
 * @param meanCosine    mean of the per-tensor cosines
 * @param minCosine     the lowest per-tensor cosine
 * @param maxAbsError   the largest absolute element error over those tensors
 * @param worst         the tensors with the lowest cosine, lowest first (at most {@link #WORST_SHOWN})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WeightFidelity(int tensors, int converted, double meanCosine, double minCosine, double maxAbsError,
                             List<Tensor> worst) {
    public static final int WORST_SHOWN = 5;

    /** One tensor's figures; {@code name} without the ".weight" suffix, as in "blk.0.attn_v". */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Tensor(String name, String type, double cosine, double maxAbsError, double relativeRms) {
    }

    public static WeightFidelity of(List<QuantError.TensorError> all) {
        List<QuantError.TensorError> converted = all.stream().filter(QuantError.TensorError::converted).toList();
        List<QuantError.TensorError> covered = converted.isEmpty() ? all : converted;
        if (covered.isEmpty()) {
            return new WeightFidelity(0, 0, Double.NaN, Double.NaN, Double.NaN, List.of());
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double maxAbs = 0;
        for (QuantError.TensorError t : covered) {
            double c = t.cosine();
            sum += c;
            min = Math.min(min, c);
            maxAbs = Math.max(maxAbs, t.maxAbsError());
        }
        List<Tensor> worst = covered.stream()
                .sorted(Comparator.comparingDouble(QuantError.TensorError::cosine).thenComparing(QuantError.TensorError::name))
                .limit(WORST_SHOWN)
                .map(t -> new Tensor(shortName(t.name()), t.type().name(), t.cosine(), t.maxAbsError(), t.relativeRms()))
                .toList();
        return new WeightFidelity(covered.size(), converted.size(), sum / covered.size(), min, maxAbs, worst);
    }

    static String shortName(String tensor) {
        return tensor.endsWith(".weight") ? tensor.substring(0, tensor.length() - ".weight".length()) : tensor;
    }

    /** "mean cosine 0.99995, worst tensor blk.0.attn_v 0.99910", the form tables show. */
    public String summary() {
        if (worst.isEmpty()) {
            return "no tensors compared";
        }
        Tensor w = worst.get(0);
        return String.format(Locale.ROOT, "mean cosine %s, worst tensor %s %s", cos(meanCosine), w.name(), cos(w.cosine()));
    }

    /** Enough digits to tell 0.99995 from 0.99999 (quantization error lives in the last places). */
    public static String cos(double c) {
        return c == 1.0 ? "1" : String.format(Locale.ROOT, "%.5f", c);
    }
}
