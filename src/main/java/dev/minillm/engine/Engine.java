package dev.minillm.engine;

import java.nio.file.Path;

/**
 * A llama.cpp build minillm can measure with: the bundled b4916 binding (java-llama.cpp) or the
 * project's own native library built from a current llama.cpp. One engine per process: cells run
 * in child JVMs, each loading only its own engine.
 */
public interface Engine {
    /** The value given to --engine that selects this engine ("bundled", "native" or a folder). */
    String spec();

    EngineIdentity identity();

    /**
     * Null when {@code architecture} (GGUF general.architecture) can be loaded, else the one-line
     * reason it cannot (checked before llama.cpp sees the file).
     */
    String refusal(String architecture);

    /** Whether java-llama.cpp's own decode loop (the wrapper's figure) can be measured beside this engine's. */
    default boolean hasWrapperFigure() {
        return false;
    }

    /**
     * Null when {@link Session#speculativeLlamaCpp} runs llama.cpp's own speculative decoding on this
     * engine, else why its figure cannot be measured beside the project's.
     */
    default String llamaCppSpeculativeRefusal() {
        return "not measured: this engine cannot run llama.cpp's own speculative decoding";
    }

    /** Why GPU cells cannot run on this engine/machine, or null when they can. */
    String gpuUnavailableReason();

    default Session open(Path model, EngineSettings settings) {
        return open(model, settings, 1);
    }

    /** A session with room for {@code maxSequences} KV sequences (one unified cache of ctx cells). */
    Session open(Path model, EngineSettings settings, int maxSequences);

    /** Quantizes with llama.cpp's own llama_model_quantize, or throws when the engine cannot. */
    void quantize(Path in, Path out, int llamaFtype, int threads);
}
