package dev.minillm.nativelib;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.minillm.common.RunFailedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JNA direct-mapped binding of the llama.cpp C API exported by java-llama.cpp's libjllama (b4916).
 * Direct mapping (static natives) is used because the decode loop calls into it per token and
 * interface mapping costs several microseconds per call. C {@code bool} results are declared as
 * {@code byte}: only the low byte of the return register is defined.
 */
public final class LlamaLibrary {
    private static volatile boolean loaded;
    private static volatile LogSink logSink;
    private static final List<Object> KEEP_ALIVE = new ArrayList<>();
    /** minillm's log callback; it forwards to {@link #logSink}. */
    private static LogCallback callback;

    private LlamaLibrary() {
    }

    /** Receives llama.cpp / ggml log lines when logging is switched on. */
    public interface LogSink {
        void line(int level, String text);
    }

    public interface LogCallback extends Callback {
        void invoke(int level, Pointer text, Pointer userData);
    }

    /**
     * Loads the library (the same file java-llama.cpp uses), initialises the backend and verifies
     * struct layouts. Safe to call repeatedly. The native log starts silent and only
     * {@link #setLogSink} / {@link #logToStderr} change it, so a probe that loads the library can
     * never silence a {@code --verbose} run.
     */
    public static synchronized void load() {
        if (!loaded) {
            NativeLibrary nl = NativeLibraryLocator.open();
            Native.register(LlamaLibrary.class, nl);
            callback = (level, text, user) -> {
                if (text == null) {
                    return;
                }
                String line = text.getString(0, "UTF-8");
                ERRORS.record(level, line);
                LogSink sink = logSink;
                if (sink != null) {
                    sink.line(level, line);
                }
            };
            KEEP_ALIVE.add(callback);
            llama_log_set(callback, null);
            llama_backend_init();
            LayoutCheck.verify();
            loaded = true;
        }
    }

    /** ggml_log_level values of b4916's ggml.h. */
    static final int LOG_LEVEL_ERROR = 4;
    static final int LOG_LEVEL_CONT = 5;

    private static final ErrorLines ERRORS = new ErrorLines();

    /**
     * The error lines llama.cpp logged since the last {@link #clearErrors()}, kept whether or not
     * the log is shown, so a refusal can be explained with llama.cpp's own words.
     */
    public static List<String> errors() {
        return ERRORS.snapshot();
    }

    public static void clearErrors() {
        ERRORS.clear();
    }

    /**
     * llama.cpp's reason for the last failure: the "error loading model: ..." line when there is
     * one (the lines after it only say that loading failed), else the first error line; null if none.
     */
    public static String lastErrorReason() {
        List<String> lines = ERRORS.snapshot();
        for (String l : lines) {
            int at = l.indexOf("error loading model: ");
            if (at >= 0) {
                return l.substring(at + "error loading model: ".length());
            }
        }
        return lines.isEmpty() ? null : lines.get(0);
    }

    /** The last few error lines; continuation pieces (level CONT) are appended to the line they continue. */
    static final class ErrorLines {
        private static final int KEEP = 8;
        private final java.util.ArrayDeque<String> lines = new java.util.ArrayDeque<>();
        private boolean continuing;

        synchronized void record(int level, String text) {
            if (level == LOG_LEVEL_CONT && continuing && !lines.isEmpty()) {
                lines.addLast(lines.pollLast() + text.strip());
                return;
            }
            continuing = level == LOG_LEVEL_ERROR;
            if (continuing) {
                String t = text.strip();
                if (!t.isEmpty()) {
                    if (lines.size() == KEEP) {
                        lines.pollFirst();
                    }
                    lines.addLast(t);
                }
            }
        }

        synchronized List<String> snapshot() {
            return List.copyOf(lines);
        }

        synchronized void clear() {
            lines.clear();
        }
    }

    /**
     * Routes the native log to {@code sink} (null silences it). The library has one global log
     * callback and java-llama.cpp replaces it with its own when it sets a logger, so this also
     * takes it back.
     */
    public static synchronized void setLogSink(LogSink sink) {
        load();
        logSink = sink;
        llama_log_set(callback, null);
    }

    /** Shows llama.cpp's log on stderr ({@code --verbose}); false silences it. */
    public static void logToStderr(boolean on) {
        setLogSink(on ? (level, text) -> System.err.print(text) : null);
    }

    // ---- backend / system ----
    static native void llama_backend_init();

    static native void llama_log_set(LogCallback callback, Pointer userData);

    public static native String llama_print_system_info();

    public static native byte llama_supports_gpu_offload();

    public static native byte llama_supports_mmap();

    public static native long llama_time_us();

    public static native long ggml_backend_dev_count();

    public static native Pointer ggml_backend_dev_get(long index);

    public static native String ggml_backend_dev_name(Pointer device);

    public static native String ggml_backend_dev_description(Pointer device);

    /** 0 = CPU, 1 = GPU, 2 = ACCEL. */
    public static native int ggml_backend_dev_type(Pointer device);

    // ---- defaults ----
    public static native LlamaStructs.ModelParams llama_model_default_params();

    public static native LlamaStructs.ContextParams llama_context_default_params();

    // ---- model ----
    public static native Pointer llama_model_load_from_file(String path, LlamaStructs.ModelParams params);

    public static native void llama_model_free(Pointer model);

    public static native Pointer llama_model_get_vocab(Pointer model);

    public static native long llama_model_n_params(Pointer model);

    public static native long llama_model_size(Pointer model);

    public static native int llama_model_n_layer(Pointer model);

    public static native int llama_model_n_embd(Pointer model);

    public static native int llama_model_n_ctx_train(Pointer model);

    public static native int llama_model_desc(Pointer model, byte[] buf, long bufSize);

    public static native String llama_model_chat_template(Pointer model, String name);

    // ---- context ----
    public static native Pointer llama_init_from_model(Pointer model, LlamaStructs.ContextParams params);

    public static native void llama_free(Pointer ctx);

    public static native int llama_n_ctx(Pointer ctx);

    public static native int llama_n_batch(Pointer ctx);

    public static native void llama_set_n_threads(Pointer ctx, int nThreads, int nThreadsBatch);

    public static native void llama_kv_self_clear(Pointer ctx);

    /** Removes sequence {@code seqId}'s cells at positions [p0, p1) (p1 &lt; 0: to the end); false when it cannot. */
    public static native byte llama_kv_self_seq_rm(Pointer ctx, int seqId, int p0, int p1);

    /** Adds sequence {@code dst} to the cells of {@code src} in [p0, p1) (negative: open end); no data is copied. */
    public static native void llama_kv_self_seq_cp(Pointer ctx, int src, int dst, int p0, int p1);

    /** Bytes llama.cpp's serialisation of sequence {@code seqId} takes: its KV cells and their positions. */
    public static native long llama_state_seq_get_size(Pointer ctx, int seqId);

    public static native int llama_decode(Pointer ctx, LlamaStructs.Batch batch);

    public static native Pointer llama_get_logits_ith(Pointer ctx, int i);

    public static native LlamaStructs.PerfContextData llama_perf_context(Pointer ctx);

    public static native void llama_perf_context_reset(Pointer ctx);

    public static native void llama_synchronize(Pointer ctx);

    // ---- batch ----
    public static native LlamaStructs.Batch llama_batch_init(int nTokens, int embd, int nSeqMax);

    public static native void llama_batch_free(LlamaStructs.Batch batch);

    // ---- vocab ----
    public static native int llama_vocab_n_tokens(Pointer vocab);

    public static native int llama_vocab_bos(Pointer vocab);

    public static native int llama_vocab_eos(Pointer vocab);

    public static native byte llama_vocab_is_eog(Pointer vocab, int token);

    public static native byte llama_vocab_get_add_bos(Pointer vocab);

    public static native int llama_tokenize(Pointer vocab, byte[] text, int textLen, int[] tokens, int nTokensMax,
                                            byte addSpecial, byte parseSpecial);

    public static native int llama_token_to_piece(Pointer vocab, int token, byte[] buf, int length, int lstrip,
                                                  byte special);

    // ---- sampling ----
    public static native Pointer llama_sampler_init_greedy();

    public static native int llama_sampler_sample(Pointer sampler, Pointer ctx, int idx);

    public static native void llama_sampler_free(Pointer sampler);

    public static native void llama_sampler_reset(Pointer sampler);

    // ---- chat template ----
    public static native int llama_chat_apply_template(String tmpl, Pointer chat, long nMsg, byte addAss,
                                                       byte[] buf, int length);

    static boolean isTrue(byte b) {
        return b != 0;
    }
}
