package dev.minillm.gguf;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks llama.cpp's model loader makes after the file format: hyperparameters present and
 * sane, a usable vocabulary, and every tensor the architecture needs, in the shape the
 * hyperparameters imply. llama.cpp refuses such files with a bare "could not load" (or worse,
 * loads them and misbehaves), so each problem here names the key or tensor and what was expected.
 */
final class ModelContentCheck {
    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\..*");
    private static final List<String> SPECIAL_TOKENS = List.of("bos", "eos", "eot", "eom", "unknown", "seperator", "padding",
            "cls", "mask", "prefix", "suffix", "middle", "fim_pre", "fim_suf", "fim_mid", "fim_pad", "fim_rep", "fim_sep");

    private final GgufFile f;
    private final GgufMetadata m;
    private final String arch;
    private final List<String> out;

    private ModelContentCheck(GgufFile f, String arch, List<String> out) {
        this.f = f;
        this.m = f.metadata();
        this.arch = arch;
        this.out = out;
    }

    /** Appends the problems of a file whose architecture is known. */
    static void check(GgufFile f, String arch, List<String> out) {
        new ModelContentCheck(f, arch, out).run();
    }

    private void run() {
        KnownArchitectures.Rules rules = KnownArchitectures.rules(arch);
        boolean keysOk = true;
        for (String suffix : rules.requiredKeys()) {
            String key = arch + "." + suffix;
            GgufValue v = m.get(key);
            if (v == null) {
                out.add("missing " + key + " (llama.cpp requires it for a " + arch + " model" + hint(suffix) + ")");
                keysOk = false;
            } else if (!v.isNumber()) {
                out.add(key + " is a " + v.type() + ", expected a number");
                keysOk = false;
            }
        }
        long ctx = scalar("context_length");
        if (ctx == 0) {
            out.add(arch + ".context_length = 0, expected the positive context length the model was trained with");
        }
        long embd = scalar("embedding_length");
        if (embd == 0) {
            out.add(arch + ".embedding_length = 0, expected a positive embedding length");
        }
        long blocks = scalar("block_count");
        if (blocks == 0) {
            out.add(arch + ".block_count = 0, expected at least 1 layer");
        }
        long heads = -1;
        if (rules.attention()) {
            heads = heads();
        }
        long vocab = checkVocabulary();
        if (keysOk && embd > 0 && blocks > 0 && rules.layout() != KnownArchitectures.Layout.NONE && heads > 0) {
            checkBlockCount(blocks);
            checkLayout(rules.layout(), embd, blocks, heads, vocab);
        }
    }

    private static String hint(String suffix) {
        return switch (suffix) {
            case "block_count" -> ": the number of layers, blk.0 .. blk.N-1";
            case "embedding_length" -> ": the width of token_embd.weight";
            case "context_length" -> ": the training context length";
            default -> "";
        };
    }

    /** A scalar integer hyperparameter, -1 when absent or not a number. */
    private long scalar(String suffix) {
        GgufValue v = m.get(arch + "." + suffix);
        return v != null && v.isNumber() && v.type().isInteger() ? v.asLong() : -1;
    }

    /** attention.head_count: present and positive (per-layer arrays: at least one positive entry); -1 if unusable. */
    private long heads() {
        String key = arch + ".attention.head_count";
        GgufValue v = m.get(key);
        if (v == null) {
            out.add("missing " + key + " (llama.cpp needs the number of attention heads of a " + arch + " model)");
            return -1;
        }
        if (v.isArray()) {
            long max = 0;
            for (int i = 0; i < v.length(); i++) {
                max = Math.max(max, v.longAt(i));
            }
            if (max <= 0) {
                out.add(key + " is 0 for every layer, expected a positive number of attention heads");
            }
            return -1; // per-layer head counts: the layout check is for uniform models only
        }
        if (!v.type().isInteger()) {
            out.add(key + " is a " + v.type() + ", expected an integer");
            return -1;
        }
        if (v.asLong() <= 0) {
            out.add(key + " = " + v.asLong() + ", expected a positive number of attention heads");
            return -1;
        }
        return v.asLong();
    }

    /** Checks the vocabulary; returns its size, or -1 when there is none to check shapes against. */
    private long checkVocabulary() {
        GgufValue model = m.get("tokenizer.ggml.model");
        if (model == null) {
            out.add("missing tokenizer.ggml.model (llama.cpp needs the tokenizer type, one of "
                    + new TreeSet<>(KnownArchitectures.tokenizers()) + ")");
            return -1;
        }
        if (model.type() != GgufValueType.STRING) {
            out.add("tokenizer.ggml.model is a " + model.type() + ", expected a string");
            return -1;
        }
        String name = model.asString();
        if (!KnownArchitectures.isKnownTokenizer(name)) {
            out.add("tokenizer.ggml.model = '" + name + "' is not a tokenizer llama.cpp " + KnownArchitectures.NATIVE_BUILD
                    + " knows (expected one of " + new TreeSet<>(KnownArchitectures.tokenizers()) + ")");
            return -1;
        }
        if (name.equals("none") || name.equals("no_vocab")) {
            out.add("tokenizer.ggml.model = '" + name + "': the model has no vocabulary, so it cannot be given a prompt");
            return -1;
        }
        GgufValue tokens = m.get(GgufMetadata.TOKENS);
        if (tokens == null || !tokens.isArray() || tokens.elementType() != GgufValueType.STRING || tokens.length() == 0) {
            out.add(tokens == null ? "no vocabulary: " + GgufMetadata.TOKENS + " is missing (expected the token strings)"
                    : GgufMetadata.TOKENS + " is not a non-empty array of strings (no vocabulary)");
            return -1;
        }
        int n = tokens.length();
        for (String per : List.of("scores", "token_type")) {
            String key = "tokenizer.ggml." + per;
            GgufValue a = m.get(key);
            if (a == null) {
                continue;
            }
            if (!a.isArray()) {
                out.add(key + " is a " + a.type() + ", expected an array of " + n + " entries (one per token)");
            } else if (a.length() < n) {
                out.add(key + " has " + a.length() + " entries but the vocabulary has " + n
                        + " tokens (expected " + n + ": llama.cpp would read past its end)");
            }
        }
        if (name.equals("gpt2") && m.get("tokenizer.ggml.merges") == null) {
            out.add("missing tokenizer.ggml.merges (a gpt2/BPE tokenizer needs its merge list)");
        }
        for (String special : SPECIAL_TOKENS) {
            String key = "tokenizer.ggml." + special + "_token_id";
            GgufValue id = m.get(key);
            // -1 (0xFFFFFFFF as uint32) is how converters write "no such token"
            if (id != null && id.isNumber() && id.type().isInteger() && id.asLong() != -1 && id.asLong() != 0xFFFF_FFFFL
                    && (id.asLong() < 0 || id.asLong() >= n)) {
                out.add(key + " = " + id.asLong() + " is past the vocabulary of " + n + " tokens (expected 0.." + (n - 1) + ")");
            }
        }
        GgufValue declared = m.get(arch + ".vocab_size");
        if (declared != null && declared.isNumber() && declared.type().isInteger() && declared.asLong() != n) {
            out.add(arch + ".vocab_size = " + declared.asLong() + " but " + GgufMetadata.TOKENS + " has " + n
                    + " tokens (expected " + arch + ".vocab_size = " + n + ")");
        }
        return n;
    }

    /** block_count against the blk.N tensors present: far more blocks than tensors is one clear message, not hundreds. */
    private void checkBlockCount(long blocks) {
        long present = 0;
        for (TensorInfo t : f.tensors()) {
            Matcher mt = BLOCK.matcher(t.name());
            if (mt.matches()) {
                present = Math.max(present, Long.parseLong(mt.group(1)) + 1);
            }
        }
        if (present < blocks) {
            out.add(arch + ".block_count = " + blocks + " but the file has tensors for " + present + " blocks"
                    + (present > 0 ? " (blk.0 .. blk." + (present - 1) + ")" : "") + "; expected " + arch + ".block_count = " + present);
        }
    }

    private void checkLayout(KnownArchitectures.Layout layout, long embd, long blocks, long heads, long vocab) {
        long kvHeads = scalar("attention.head_count_kv");
        if (kvHeads < 0) {
            kvHeads = heads;
        }
        if (kvHeads == 0 || heads % kvHeads != 0) {
            out.add(arch + ".attention.head_count_kv = " + kvHeads + " does not divide " + arch + ".attention.head_count = "
                    + heads + " (expected a divisor, e.g. " + heads + ")");
            return;
        }
        long headK = scalar("attention.key_length");
        long headV = scalar("attention.value_length");
        if (headK < 0) {
            if (embd % heads != 0) {
                out.add(arch + ".embedding_length = " + embd + " is not a multiple of " + arch + ".attention.head_count = " + heads);
                return;
            }
            headK = embd / heads;
        }
        if (headV < 0) {
            headV = headK;
        }
        long ff = scalar("feed_forward_length");
        long nVocab = vocab > 0 ? vocab : -1;
        String src = "from " + arch + ".embedding_length = " + embd + ", " + arch + ".attention.head_count = " + heads
                + (kvHeads != heads ? ", head_count_kv = " + kvHeads : "");

        Map<String, long[]> need = new LinkedHashMap<>();
        Map<String, long[]> optional = new LinkedHashMap<>();
        need.put("token_embd.weight", new long[] {embd, nVocab});
        need.put("output_norm.weight", new long[] {embd});
        optional.put("output.weight", new long[] {embd, nVocab});
        for (long i = 0; i < blocks; i++) {
            String b = "blk." + i + ".";
            need.put(b + "attn_norm.weight", new long[] {embd});
            need.put(b + "attn_q.weight", new long[] {embd, headK * heads});
            need.put(b + "attn_k.weight", new long[] {embd, headK * kvHeads});
            need.put(b + "attn_v.weight", new long[] {embd, headV * kvHeads});
            need.put(b + "attn_output.weight", new long[] {headV * heads, embd});
            Map<String, long[]> biases = layout == KnownArchitectures.Layout.QWEN2 ? need : optional;
            if (layout != KnownArchitectures.Layout.QWEN3) {
                biases.put(b + "attn_q.bias", new long[] {headK * heads});
                biases.put(b + "attn_k.bias", new long[] {headK * kvHeads});
                biases.put(b + "attn_v.bias", new long[] {headV * kvHeads});
            } else {
                need.put(b + "attn_q_norm.weight", new long[] {headK});
                need.put(b + "attn_k_norm.weight", new long[] {headK});
            }
            need.put(b + "ffn_norm.weight", new long[] {embd});
            if (scalar("expert_count") <= 0 && ff > 0) {
                need.put(b + "ffn_gate.weight", new long[] {embd, ff});
                need.put(b + "ffn_down.weight", new long[] {ff, embd});
                need.put(b + "ffn_up.weight", new long[] {embd, ff});
            }
        }
        int reported = 0;
        for (Map.Entry<String, long[]> e : need.entrySet()) {
            TensorInfo t = f.tensor(e.getKey());
            if (t == null) {
                if (reported++ < 5) {
                    out.add("missing tensor '" + e.getKey() + "' (a " + arch + " model with " + arch + ".block_count = " + blocks
                            + " needs it, shape " + shape(e.getValue()) + ")");
                }
                continue;
            }
            if (!matches(t.dims(), e.getValue()) && reported++ < 5) {
                out.add(wrongShape(t, e.getValue(), src));
            }
        }
        for (Map.Entry<String, long[]> e : optional.entrySet()) {
            TensorInfo t = f.tensor(e.getKey());
            if (t != null && !matches(t.dims(), e.getValue()) && reported++ < 5) {
                out.add(wrongShape(t, e.getValue(), src));
            }
        }
    }

    private static String wrongShape(TensorInfo t, long[] expected, String src) {
        String why = t.name().startsWith("token_embd") || t.name().startsWith("output.")
                ? src.substring(0, src.indexOf(',')) + " and the vocabulary" : src;
        return "tensor '" + t.name() + "' has shape " + shape(t.dims()) + ", expected " + shape(expected) + " (" + why + ")";
    }

    /** Shapes agree where the expectation is known (-1 = any) and in rank. */
    private static boolean matches(long[] actual, long[] expected) {
        if (actual.length != expected.length) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            if (expected[i] >= 0 && actual[i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static String shape(long[] dims) {
        return Arrays.toString(Arrays.stream(dims).mapToObj(d -> d < 0 ? "?" : Long.toString(d)).toArray());
    }
}
