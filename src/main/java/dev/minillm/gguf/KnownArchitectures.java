package dev.minillm.gguf;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the validator knows about model architectures, in one table: which names llama.cpp b4916
 * (the build bundled by java-llama.cpp 4.2.0) loads, and for each architecture the
 * hyperparameters llama.cpp requires and the tensor layout it expects. A newer engine's
 * architectures are added here; the rules of an architecture do not depend on the engine.
 */
public final class KnownArchitectures {
    public static final String NATIVE_BUILD = "b4916";

    /**
     * The tensors llama.cpp's loader creates for an architecture. LLAMA: llama/mistral-style
     * decoder (attention biases optional, output.weight optional when tied); QWEN2: the same with
     * q/k/v biases required; QWEN3: q/k norms, no biases. NONE: only the generic checks.
     */
    public enum Layout { LLAMA, QWEN2, QWEN3, NONE }

    /**
     * @param requiredKeys  keys (after "{arch}.") llama.cpp reads without a default
     * @param attention     the model has attention heads (not a recurrent-only architecture)
     * @param layout        the tensor layout checked tensor by tensor
     */
    public record Rules(List<String> requiredKeys, boolean attention, Layout layout) {
    }

    /** Keys every architecture needs: llama.cpp's load_hparams reads them without a default. */
    static final List<String> COMMON_KEYS = List.of("context_length", "embedding_length", "block_count");
    private static final List<String> RMS = List.of("context_length", "embedding_length", "block_count",
            "attention.layer_norm_rms_epsilon");
    private static final Set<String> RECURRENT = Set.of("mamba", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7", "wavtokenizer-dec");

    /**
     * LLM_ARCH_NAMES of src/llama-arch.cpp in b4916, read from the string table of the bundled
     * libjllama.so; later architectures such as qwen3, llama4 or glm4 are not in it. "mistral" is
     * not an architecture: Mistral models are stored as "llama".
     */
    private static final Set<String> NAMES = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "llama", "deci", "falcon", "grok", "gpt2", "gptj", "gptneox", "mpt", "baichuan", "starcoder",
            "refact", "bert", "nomic-bert", "jina-bert-v2", "bloom", "stablelm", "qwen", "qwen2", "qwen2moe",
            "qwen2vl", "phi2", "phi3", "phimoe", "plamo", "codeshell", "orion", "internlm2", "minicpm",
            "minicpm3", "gemma", "gemma2", "gemma3", "starcoder2", "mamba", "xverse", "command-r", "cohere2",
            "dbrx", "olmo", "olmo2", "olmoe", "openelm", "arctic", "deepseek", "deepseek2", "chatglm", "bitnet",
            "t5", "t5encoder", "jais", "nemotron", "exaone", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7",
            "granite", "granitemoe", "chameleon", "wavtokenizer-dec")));

    /** Per-architecture rules beyond the generic ones (layouts written out for the families minillm benchmarks). */
    private static final Map<String, Rules> RULES = Map.of(
            "llama", new Rules(RMS, true, Layout.LLAMA),
            "qwen2", new Rules(RMS, true, Layout.QWEN2),
            "qwen3", new Rules(RMS, true, Layout.QWEN3));

    /**
     * Tokenizer models (tokenizer.ggml.model) llama.cpp b4916's vocabulary loader accepts; "none"
     * and "no_vocab" load but leave the model without a vocabulary.
     */
    private static final Set<String> TOKENIZERS = Set.of("llama", "bert", "gpt2", "t5", "rwkv", "none", "no_vocab");

    private KnownArchitectures() {
    }

    public static boolean isKnown(String arch) {
        return NAMES.contains(arch);
    }

    public static Set<String> all() {
        return NAMES;
    }

    /** The rules for an architecture: its own entry, else the generic ones. */
    public static Rules rules(String arch) {
        Rules r = RULES.get(arch);
        return r != null ? r : new Rules(COMMON_KEYS, !RECURRENT.contains(arch), Layout.NONE);
    }

    public static boolean isKnownTokenizer(String model) {
        return TOKENIZERS.contains(model);
    }

    public static Set<String> tokenizers() {
        return TOKENIZERS;
    }
}
