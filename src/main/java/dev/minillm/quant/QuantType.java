package dev.minillm.quant;

import dev.minillm.common.BadInputException;
import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.LlamaFileType;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A quantization mix as llama.cpp's {@code llama-quantize} names it: the {@code general.file_type}
 * written to the output and the default ggml type of the quantizable tensors (per-tensor rules in
 * {@link TensorTypeRules} then give some tensors more bits). Only mixes that need no importance
 * matrix are offered.
 */
public enum QuantType {
    F16(LlamaFileType.MOSTLY_F16, GgmlType.F16),
    BF16(LlamaFileType.MOSTLY_BF16, GgmlType.BF16),
    Q8_0(LlamaFileType.MOSTLY_Q8_0, GgmlType.Q8_0),
    Q6_K(LlamaFileType.MOSTLY_Q6_K, GgmlType.Q6_K),
    Q5_K_M(LlamaFileType.MOSTLY_Q5_K_M, GgmlType.Q5_K),
    Q5_K_S(LlamaFileType.MOSTLY_Q5_K_S, GgmlType.Q5_K),
    Q5_1(LlamaFileType.MOSTLY_Q5_1, GgmlType.Q5_1),
    Q5_0(LlamaFileType.MOSTLY_Q5_0, GgmlType.Q5_0),
    Q4_K_M(LlamaFileType.MOSTLY_Q4_K_M, GgmlType.Q4_K),
    Q4_K_S(LlamaFileType.MOSTLY_Q4_K_S, GgmlType.Q4_K),
    Q4_1(LlamaFileType.MOSTLY_Q4_1, GgmlType.Q4_1),
    Q4_0(LlamaFileType.MOSTLY_Q4_0, GgmlType.Q4_0),
    IQ4_NL(LlamaFileType.MOSTLY_IQ4_NL, GgmlType.IQ4_NL),
    IQ4_XS(LlamaFileType.MOSTLY_IQ4_XS, GgmlType.IQ4_XS),
    Q3_K_L(LlamaFileType.MOSTLY_Q3_K_L, GgmlType.Q3_K),
    Q3_K_M(LlamaFileType.MOSTLY_Q3_K_M, GgmlType.Q3_K),
    Q3_K_S(LlamaFileType.MOSTLY_Q3_K_S, GgmlType.Q3_K),
    Q2_K(LlamaFileType.MOSTLY_Q2_K, GgmlType.Q2_K);

    private final LlamaFileType fileType;
    private final GgmlType defaultType;

    QuantType(LlamaFileType fileType, GgmlType defaultType) {
        this.fileType = fileType;
        this.defaultType = defaultType;
    }

    /** The {@code general.file_type} of the output (llama_ftype). */
    public LlamaFileType fileType() {
        return fileType;
    }

    /** The type most quantizable tensors get (llama.cpp's default_type for the ftype). */
    public GgmlType defaultType() {
        return defaultType;
    }

    /** Upper-case name as llama.cpp prints it ("Q4_K_M"). */
    public String label() {
        return name();
    }

    /** Lower-case name used on the command line and in file names ("q4_k_m"). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for mixes whose tensors are block-quantized (as opposed to plain F16/BF16). */
    public boolean isQuantized() {
        return defaultType.isQuantized();
    }

    /** Parses "q4_k_m", "Q4_K_M" or "q4-k-m"; a BadInputException lists the valid names otherwise. */
    public static QuantType parse(String text) {
        String norm = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (QuantType t : values()) {
            if (t.name().equals(norm)) {
                return t;
            }
        }
        String closest = text == null ? null : LlamaFileType.closest(text, Arrays.stream(values()).map(QuantType::cliName).toList());
        throw new BadInputException("--quant: unknown quantization type '" + text + "'"
                + (closest != null ? " (did you mean " + closest + "?)" : "") + "; choose one of " + names());
    }

    /** All accepted names, comma separated. */
    public static String names() {
        return Arrays.stream(values()).map(QuantType::cliName).collect(Collectors.joining(", "));
    }
}
