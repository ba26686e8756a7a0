package dev.minillm.gguf.synth;

import dev.minillm.gguf.GgufMetadata;
import dev.minillm.gguf.GgufValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A generated SentencePiece-style ("llama") vocabulary of an exact size. llama.cpp's SPM tokenizer
 * falls back to the 256 byte tokens for anything not in the vocabulary, so every prompt
 * tokenizes. Pieces after the byte tokens are ASCII characters and lower-case letter n-grams,
 * each also with the SentencePiece word-start marker, so ordinary English text merges into
 * multi-character tokens roughly as a real vocabulary would.
 */
final class SyntheticVocab {
    static final String WORD_START = "\u2581";
    // llama.cpp token types
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int BYTE = 6;
    static final int SPECIALS = 3;
    /** Smallest vocabulary: 3 specials + 256 bytes + word-start marker. */
    static final int MIN_SIZE = SPECIALS + 256 + 1;

    private SyntheticVocab() {
    }

    static void addTo(GgufMetadata m, int size) {
        List<String> tokens = tokens(size);
        float[] scores = new float[size];
        int[] types = new int[size];
        types[0] = UNKNOWN;
        types[1] = CONTROL;
        types[2] = CONTROL;
        for (int i = SPECIALS; i < size; i++) {
            boolean isByte = i < SPECIALS + 256;
            types[i] = isByte ? BYTE : NORMAL;
            // SPM merges the highest-scoring adjacent pair first; shorter pieces come first here.
            scores[i] = isByte ? 0f : -(i - SPECIALS - 256);
        }
        m.putString("tokenizer.ggml.model", "llama");
        m.put("tokenizer.ggml.tokens", GgufValue.stringArray(tokens));
        m.put("tokenizer.ggml.scores", GgufValue.float32Array(scores));
        m.put("tokenizer.ggml.token_type", GgufValue.int32Array(types));
        m.putUint32("tokenizer.ggml.unknown_token_id", 0);
        m.putUint32("tokenizer.ggml.bos_token_id", 1);
        m.putUint32("tokenizer.ggml.eos_token_id", 2);
        m.putBool("tokenizer.ggml.add_bos_token", true);
        m.putBool("tokenizer.ggml.add_eos_token", false);
    }

    /** Exactly {@code size} distinct pieces (llama.cpp asserts the token strings are unique). */
    static List<String> tokens(int size) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("vocabulary must have at least " + MIN_SIZE + " tokens");
        }
        Set<String> t = new LinkedHashSet<>(size * 2);
        t.add("<unk>");
        t.add("<s>");
        t.add("</s>");
        for (int b = 0; b < 256; b++) {
            t.add(String.format("<0x%02X>", b));
        }
        t.add(WORD_START);
        for (char c = 0x21; c < 0x7F && t.size() < size; c++) {
            addPair(t, String.valueOf(c), size);
        }
        char[] buf = new char[16];
        for (int len = 2; t.size() < size; len++) {
            // All lower-case strings of this length in lexicographic order.
            java.util.Arrays.fill(buf, 0, len, 'a');
            while (t.size() < size) {
                addPair(t, new String(buf, 0, len), size);
                int k = len - 1;
                while (k >= 0 && buf[k] == 'z') {
                    buf[k] = 'a';
                    k--;
                }
                if (k < 0) {
                    break;
                }
                buf[k]++;
            }
        }
        return new ArrayList<>(t);
    }

    private static void addPair(Set<String> t, String s, int size) {
        if (t.size() < size) {
            t.add(WORD_START + s);
        }
        if (t.size() < size) {
            t.add(s);
        }
    }
}
