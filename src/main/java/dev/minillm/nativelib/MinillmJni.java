package dev.minillm.nativelib;

import dev.minillm.common.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's own JNI library (native/minillm_jni.c) over a current llama.cpp, built by
 * scripts/build-native.sh. Handles are native pointers as longs; arrays carry whole results (a
 * timed generation comes back as one long[]), so no llama.cpp struct layout reaches Java.
 *
 * <p>One library per JVM: {@link #load} binds these natives to the first library loaded.
 */
public final class MinillmJni {
    /** The interface version this Java side speaks; the library's {@link #abiVersion()} must match. */
    public static final int ABI = 4;
    private static volatile Path loadedDir;

    private MinillmJni() {
    }

    /** File name of the JNI library on this OS. */
    public static String libraryFileName() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        return os.contains("mac") ? "libminillm_jni.dylib" : os.contains("win") ? "minillm_jni.dll" : "libminillm_jni.so";
    }

    /**
     * Loads the library in {@code dir} and checks its interface version. Every way this can fail
     * (no file, not a loadable library, another CPU architecture, a library of another minillm
     * version) is a {@link BadInputException} with one line naming the file and the reason.
     */
    public static synchronized void load(Path dir, boolean verbose) {
        Path lib = dir.resolve(libraryFileName()).toAbsolutePath().normalize();
        if (loadedDir != null) {
            if (!loadedDir.equals(dir.toAbsolutePath().normalize())) {
                throw new IllegalStateException("native engine already loaded from " + loadedDir + ", cannot also load " + dir);
            }
            setVerbose(verbose);
            return;
        }
        if (!Files.isRegularFile(lib)) {
            throw new BadInputException(lib + ": no native engine library there (build it with: bash scripts/build-native.sh)");
        }
        String notForHere = elfMismatch(lib);
        if (notForHere != null) {
            throw new BadInputException(lib + ": " + notForHere + "; rebuild it with: bash scripts/build-native.sh");
        }
        try {
            System.load(lib.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new BadInputException(lib + ": not a loadable native engine library for this machine ("
                    + loadErrorReason(e.getMessage()) + "); rebuild it with: bash scripts/build-native.sh");
        }
        int abi;
        try {
            abi = abiVersion();
        } catch (UnsatisfiedLinkError e) {
            throw new BadInputException(lib + ": not a minillm native engine library (no interface version); "
                    + "rebuild it with: bash scripts/build-native.sh");
        }
        if (abi != ABI) {
            throw new BadInputException(lib + ": native engine library speaks interface version " + abi
                    + ", this minillm needs version " + ABI + "; rebuild it with: bash scripts/build-native.sh");
        }
        init(verbose);
        loadedDir = dir.toAbsolutePath().normalize();
    }

    /**
     * On Linux, why the file cannot be this machine's shared library (not ELF, 32-bit, another CPU
     * architecture), or null. Checked before dlopen: the JVM warns on stderr about files it fails
     * to load, and the reason is clearer this way.
     */
    static String elfMismatch(Path lib) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return null;
        }
        byte[] h = new byte[20];
        int n;
        try (java.io.InputStream in = Files.newInputStream(lib)) {
            n = in.readNBytes(h, 0, h.length);
        } catch (java.io.IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
        if (n < h.length || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') {
            return "not a shared library (no ELF header)";
        }
        if (h[4] != 2) {
            return "a 32-bit library; this JVM is 64-bit";
        }
        int machine = (h[18] & 0xff) | (h[19] & 0xff) << 8;
        String arch = System.getProperty("os.arch", "");
        int expected = switch (arch) {
            case "amd64", "x86_64" -> 62;
            case "aarch64", "arm64" -> 183;
            case "riscv64" -> 243;
            case "ppc64le" -> 21;
            case "s390x" -> 22;
            default -> -1;
        };
        if (expected >= 0 && machine != expected) {
            String built = switch (machine) {
                case 62 -> "x86_64";
                case 183 -> "aarch64";
                case 243 -> "riscv64";
                case 40 -> "arm";
                default -> "ELF machine " + machine;
            };
            return "built for another CPU architecture (" + built + "); this machine is " + arch;
        }
        return null;
    }

    /** The dlopen reason without the repeated path. */
    private static String loadErrorReason(String message) {
        if (message == null) {
            return "unknown reason";
        }
        int colon = message.lastIndexOf(": ");
        return colon >= 0 ? message.substring(colon + 2) : message;
    }

    public static Path loadedDir() {
        return loadedDir;
    }

    // ---- library and build facts
    public static native int abiVersion();

    static native void init(boolean verbose);

    public static native void setVerbose(boolean verbose);

    /** The last error or warning line llama.cpp logged, or null. */
    public static native String lastLogError();

    /** {llama.cpp tag, commit, build variant, llama_version(), llama_print_system_info()}. */
    public static native String[] buildInfo();

    /** One entry per device: name, type (cpu|gpu|igpu|accel), description, free bytes, total bytes, backend — tab-separated. */
    public static native String[] devices();

    /** Names of the ggml backends registered (CPU, RPC, CUDA, ...). */
    public static native String[] backends();

    public static native boolean supportsGpuOffload();

    // ---- model
    /** @param devices comma-separated device names to offload to, null for llama.cpp's choice, "" for none (CPU only); returns 0 on failure */
    public static native long loadModel(String path, int nGpuLayers, boolean mmap, boolean mlock, String devices);

    public static native void freeModel(long model);

    /** {n_params, size bytes, n_layer, n_embd, n_ctx_train, n_vocab, n_head, n_head_kv}. */
    public static native long[] modelFacts(long model);

    public static native String modelDescription(long model);

    public static native String chatTemplate(long model);

    public static native String modelMeta(long model, String key);

    public static native int[] tokenize(long model, byte[] utf8, boolean addSpecial, boolean parseSpecial);

    public static native byte[] detokenize(long model, int[] tokens, boolean special);

    public static native boolean isEndOfGeneration(long model, int token);

    // ---- context
    /** @param flashAttn -1 auto, 0 off, 1 on; typeK/typeV ggml type ids or -1 for the default; returns 0 on failure */
    public static native long newContext(long model, int nCtx, int nBatch, int nUbatch, int threads, int threadsBatch,
                                         int typeK, int typeV, int flashAttn, int nSeqMax);

    public static native void freeContext(long ctx);

    /** {n_ctx, n_batch, n_ubatch, n_threads}. */
    public static native int[] contextFacts(long ctx);

    public static native void clearCache(long ctx);

    /** Waits for the work queued on the context. */
    public static native void synchronize(long ctx);

    /** llama.cpp's serialised size of what the KV cache holds for sequence {@code seq}. */
    public static native long sequenceStateBytes(long ctx, int seq);

    /** Drops cached positions [p0, p1) of the sequence (p1 &lt; 0: to the end). */
    public static native boolean trimCache(long ctx, int p0, int p1);

    /** llama_decode's code (0 ok) after running the tokens at positions startPos.. in batch-size chunks. */
    public static native int forward(long ctx, int[] tokens, int startPos, boolean[] wantLogits);

    /** Adds sequence dst to src's cells in [p0, p1) (negative: open end); no data is copied. */
    public static native void copySequence(long ctx, int src, int dst, int p0, int p1);

    /** One batch (at most n_batch tokens) with explicit positions and sequences; llama_decode's code, -100 if too large. */
    public static native int decodeBatch(long ctx, int[] tokens, int[] pos, int[] seq, boolean[] wantLogits);

    public static native float[] logits(long ctx, int batchIndex);

    public static native int[] argmaxAt(long ctx, int[] batchIndexes);

    /**
     * The timed greedy loop in C: {rc, produced, prompt-done ns, summed llama_decode + synchronize ns
     * and summed greedy-pick ns of the tokens after the first, then n_predict pick times (ns after
     * start), then n_predict token ids}.
     */
    /** Header slots before the pick times in {@link #generateGreedy}'s result. */
    public static final int GENERATION_HEADER = 5;

    public static native long[] generateGreedy(long ctx, int[] prompt, int nPredict, boolean ignoreEos);

    /** llama.cpp's counters: {t_load_ms, t_p_eval_ms, n_p_eval, t_eval_ms, n_eval}. */
    public static native double[] perf(long ctx);

    public static native void perfReset(long ctx);

    // ---- quantization
    /** llama_model_quantize with llama.cpp's own policy for the llama_ftype id; 0 = ok. */
    public static native int quantize(String in, String out, int ftype, int threads);

    /** The llama_context behind a context handle, for the GPU facts of native/minillm_gpu.cpp. */
    public static native long llamaContext(long ctx);
}
