package dev.minillm.bench;

import dev.minillm.common.BadInputException;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.gpu.RpcEndpoint;
import dev.minillm.metrics.HardwareSnapshot;
import dev.minillm.results.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The settings a bench run sweeps, in the order their tags appear in cell ids. Adding a dimension
 * is one entry in {@link #ALL} (and its field in {@link Settings}): the bench option, the product of
 * cells, the ids, the reuse check and the tables follow from it.
 */
public final class Dimensions {
    private Dimensions() {
    }

    public static final int DEFAULT_CTX = 2048;
    public static final int DEFAULT_BATCH = 512;
    public static final int DEFAULT_UBATCH = 512;
    public static final int DEFAULT_N_PREDICT = 80;
    /** Tokens per prompt of the quick job (bench without --thorough). */
    public static final int QUICK_N_PREDICT = 32;

    /** KV cache types llama-bench accepts for -ctk/-ctv. */
    public static final List<String> CACHE_TYPES = List.of("f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "iq4_nl", "q5_0", "q5_1");

    private static volatile Integer physicalCores;

    /** Physical cores, asked once (OSHI is slow to ask). */
    static int defaultThreads() {
        if (physicalCores == null) {
            physicalCores = HardwareSnapshot.defaultThreads();
        }
        return physicalCores;
    }

    public static final Dimension<Integer> THREADS = new Dimension<>("--threads", "t",
            "Threads (default: physical cores).", atLeast("--threads", 1), Settings.Builder::threads, Settings::threads,
            s -> defaultThreads(), String::valueOf);
    public static final Dimension<Integer> CTX = new Dimension<>("--ctx", "c",
            "Context size; must fit the longest prompt + --n-predict (default: " + DEFAULT_CTX + ").",
            atLeast("--ctx", 8), Settings.Builder::ctx, Settings::ctx, s -> DEFAULT_CTX, String::valueOf);
    public static final Dimension<Integer> BATCH = new Dimension<>("--batch", "b",
            "Logical batch size, tokens per llama_decode call (default: " + DEFAULT_BATCH + ").",
            atLeast("--batch", 1), Settings.Builder::batch, Settings::batch, s -> DEFAULT_BATCH, String::valueOf);
    public static final Dimension<Integer> UBATCH = new Dimension<>("--ubatch", "ub",
            "Physical batch size, at most --batch (default: the smaller of --batch and " + DEFAULT_UBATCH + ").",
            atLeast("--ubatch", 1), Settings.Builder::ubatch, Settings::ubatch, s -> Math.min(s.batch(), DEFAULT_UBATCH), String::valueOf);
    public static final Dimension<String> CACHE_TYPE_K = new Dimension<>("--cache-type-k", "ctk",
            "KV cache type of K: " + String.join(", ", CACHE_TYPES) + " (default: f16).",
            cacheType("--cache-type-k"), Settings.Builder::cacheTypeK, Settings::cacheTypeK, s -> "f16", Function.identity());
    public static final Dimension<String> CACHE_TYPE_V = new Dimension<>("--cache-type-v", "ctv",
            "KV cache type of V; a quantized V cache needs --flash-attn on (default: f16).",
            cacheType("--cache-type-v"), Settings.Builder::cacheTypeV, Settings::cacheTypeV, s -> "f16", Function.identity());
    public static final Dimension<Boolean> FLASH_ATTN = new Dimension<>("--flash-attn", "fa",
            "Flash attention: off or on (default: off).", Dimensions::onOff, Settings.Builder::flashAttn,
            Settings::flashAttn, s -> false, v -> v ? "1" : "0");
    public static final Dimension<Integer> N_PREDICT = new Dimension<>("--n-predict", "n",
            "Tokens generated per prompt, end-of-text ignored (default: " + QUICK_N_PREDICT + ", with --thorough "
                    + DEFAULT_N_PREDICT + ").",
            atLeast("--n-predict", 1), Settings.Builder::nPredict, Settings::nPredict, s -> DEFAULT_N_PREDICT, String::valueOf);

    public static final Dimension<Integer> GPU_LAYERS = new Dimension<>("--gpu-layers", "ngl",
            "Layers offloaded in gpu cells, like llama-bench's -ngl: a comma list such as 0,8,16,all sweeps them; each value "
                    + "is a column of its own beside the cpu cell (llama.cpp counts the output layer as one; default: all).",
            Dimensions::gpuLayers, Settings.Builder::gpuLayers, Settings::gpuLayers, s -> EngineSettings.ALL_LAYERS,
            v -> v >= EngineSettings.ALL_LAYERS ? "all" : String.valueOf(v), true, null);
    public static final Dimension<List<String>> RPC = new Dimension<>("--rpc", "rpc",
            "Also run the gpu cells with their layers offloaded to these llama.cpp RPC servers (see 'minillm rpc-server'), "
                    + "beside the local gpu cells: HOST:PORT[,HOST:PORT...] is one set of servers, ';' separates several sets. "
                    + "Native engine only (default: local only).",
            Dimensions::rpcServers, Settings.Builder::rpc, Settings::rpc, s -> List.of(),
            v -> String.join("+", v).replace("[", "").replace("]", "").replace(':', '-'), true,
            text -> {
                List<List<String>> sets = new ArrayList<>();
                sets.add(List.of()); // the local cells stay in the matrix, to compare with
                for (String set : text.split(";")) {
                    if (!set.isBlank()) {
                        sets.add(rpcServers(set));
                    }
                }
                return sets;
            });

    /** Every dimension, in cell-id order; the placement ones (gpu cells only) last. */
    public static final List<Dimension<?>> ALL = List.of(THREADS, CTX, BATCH, UBATCH, CACHE_TYPE_K, CACHE_TYPE_V,
            FLASH_ATTN, N_PREDICT, GPU_LAYERS, RPC);

    public static Dimension<?> byOption(String option) {
        return ALL.stream().filter(d -> d.option().equals(option)).findFirst().orElse(null);
    }

    /**
     * The tag of every setting that differs from its default, e.g. {@code t4_ctkq8_0_fa1}; empty for
     * the defaults. Placement settings are not part of it (see {@link #placementTag}).
     */
    public static String tag(Settings s) {
        return tags(s, false);
    }

    /** Where a gpu cell's layers go, when not all on the local GPU: {@code ngl8}, {@code rpc127.0.0.1-50052}; empty otherwise. */
    public static String placementTag(Settings s) {
        return tags(s, true);
    }

    private static String tags(Settings s, boolean placement) {
        StringBuilder b = new StringBuilder();
        for (Dimension<?> d : ALL) {
            if (d.placement() != placement) {
                continue;
            }
            String t = d.tagOf(s);
            if (t != null) {
                b.append(b.length() == 0 ? "" : "_").append(t);
            }
        }
        return b.toString();
    }

    /** The value of every dimension of these settings, for a table header ("threads 2, flash-attn on"). */
    public static String describe(Settings s, List<Dimension<?>> which) {
        StringBuilder b = new StringBuilder();
        for (Dimension<?> d : which) {
            b.append(b.length() == 0 ? "" : ", ").append(d.name()).append(' ').append(showValue(d, s));
        }
        return b.toString();
    }

    static <T> String showValue(Dimension<T> d, Settings s) {
        T v = d.get().apply(s);
        return v instanceof Boolean on ? (on ? "on" : "off") : d.show().apply(v);
    }

    private static Function<String, Integer> atLeast(String option, int min) {
        return text -> {
            int v;
            try {
                v = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new BadInputException(option + ": '" + text + "' is not a whole number");
            }
            if (v < min) {
                throw new BadInputException(option + " must be at least " + min + ", not " + v);
            }
            return v;
        };
    }

    private static Function<String, String> cacheType(String option) {
        return text -> {
            String t = text.toLowerCase(Locale.ROOT);
            if (!CACHE_TYPES.contains(t)) {
                throw new BadInputException(option + ": '" + text + "' is not a KV cache type (" + String.join(", ", CACHE_TYPES) + ")");
            }
            return t;
        };
    }

    private static Integer gpuLayers(String text) {
        if (text.equalsIgnoreCase("all")) {
            return EngineSettings.ALL_LAYERS;
        }
        try {
            return Math.min(atLeast("--gpu-layers", 0).apply(text), EngineSettings.ALL_LAYERS);
        } catch (BadInputException e) {
            throw new BadInputException(e.getMessage() + " (a layer count or all)");
        }
    }

    /** One set of RPC servers, each HOST:PORT as llama.cpp takes it. */
    private static List<String> rpcServers(String text) {
        return RpcEndpoint.parseList(text).stream().map(RpcEndpoint::toString).toList();
    }

    private static Boolean onOff(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "on", "1", "true", "yes" -> true;
            case "off", "0", "false", "no" -> false;
            default -> throw new BadInputException("--flash-attn: '" + text + "' is not on or off");
        };
    }

}
