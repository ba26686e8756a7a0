package dev.minillm.gguf;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Model architectures (LLM_ARCH_NAMES of src/llama-arch.cpp) known to llama.cpp b4916, the build
 * bundled by java-llama.cpp 4.2.0. Read from the string table of the bundled libjllama.so; later
 * architectures such as qwen3, llama4 or glm4 are not in it. "mistral" is not an architecture:
 * Mistral models are stored as "llama".
 */
public final class KnownArchitectures {
    public static final String NATIVE_BUILD = "b4916";

    private static final Set<String> NAMES = Collections.unmodifiableSet(new LinkedHashSet<>(java.util.List.of(
            "llama", "deci", "falcon", "grok", "gpt2", "gptj", "gptneox", "mpt", "baichuan", "starcoder",
            "refact", "bert", "nomic-bert", "jina-bert-v2", "bloom", "stablelm", "qwen", "qwen2", "qwen2moe",
            "qwen2vl", "phi2", "phi3", "phimoe", "plamo", "codeshell", "orion", "internlm2", "minicpm",
            "minicpm3", "gemma", "gemma2", "gemma3", "starcoder2", "mamba", "xverse", "command-r", "cohere2",
            "dbrx", "olmo", "olmo2", "olmoe", "openelm", "arctic", "deepseek", "deepseek2", "chatglm", "bitnet",
            "t5", "t5encoder", "jais", "nemotron", "exaone", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7",
            "granite", "granitemoe", "chameleon", "wavtokenizer-dec")));

    private KnownArchitectures() {
    }

    public static boolean isKnown(String arch) {
        return NAMES.contains(arch);
    }

    public static Set<String> all() {
        return NAMES;
    }
}
