package dev.minillm.gguf;

import java.util.List;
import java.util.Objects;

/**
 * Compares the tokenizers two GGUF headers describe. Speculative decoding hands token ids from a
 * draft model to a target, which only means something when both number the same strings the same
 * way and agree on the special tokens.
 */
public final class Vocabularies {
    private static final String MODEL = "tokenizer.ggml.model";
    private static final String[] SPECIAL = {"tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id"};

    private Vocabularies() {
    }

    /** Null when {@code a} and {@code b} tokenize alike, else the first difference, in words. */
    public static String difference(GgufMetadata a, GgufMetadata b) {
        String ma = a.getString(MODEL).orElse("?");
        String mb = b.getString(MODEL).orElse("?");
        if (!ma.equals(mb)) {
            return "tokenizer " + ma + " vs " + mb;
        }
        List<String> ta = tokens(a);
        List<String> tb = tokens(b);
        if (ta == null || tb == null) {
            return "no token list (" + GgufMetadata.TOKENS + ") in " + (ta == null ? "the first" : "the second") + " file";
        }
        if (ta.size() != tb.size()) {
            return ta.size() + " vs " + tb.size() + " tokens";
        }
        for (int i = 0; i < ta.size(); i++) {
            if (!ta.get(i).equals(tb.get(i))) {
                return "token " + i + " is '" + ta.get(i) + "' vs '" + tb.get(i) + "'";
            }
        }
        for (String key : SPECIAL) {
            Long va = a.getLong(key).orElse(null);
            Long vb = b.getLong(key).orElse(null);
            if (!Objects.equals(va, vb)) {
                return key + " " + va + " vs " + vb;
            }
        }
        return null;
    }

    private static List<String> tokens(GgufMetadata m) {
        GgufValue v = m.get(GgufMetadata.TOKENS);
        return v != null && v.isArray() ? v.asStrings() : null;
    }
}
