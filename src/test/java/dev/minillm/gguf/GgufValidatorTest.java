package dev.minillm.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufValidatorTest {
    static final Path STORIES = dev.minillm.TestModel.STORIES;

    @TempDir
    Path dir;

    private String failure(Path p) {
        BadInputException e = assertThrows(BadInputException.class, () -> GgufValidator.check(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
        return e.getMessage().substring(p.toString().length() + 2);
    }

    /** A valid one-tensor llama file assembled by hand; callers vary one field. */
    private Path oneTensor(String name, String arch, long[] dims, int type, long offset, int dataBytes) throws IOException {
        RawGguf r = new RawGguf().header(3, 1, 1).kvString("general.architecture", arch)
                .tensorInfo(name, dims, type, offset).padTo(32).zeros(dataBytes);
        return r.writeTo(dir.resolve(name.replace('/', '_') + ".gguf"));
    }

    @Test
    void handAssembledValidFileIsAccepted() throws IOException {
        Path p = oneTensor("w", "llama", new long[] {8, 2}, GgmlType.F32.id(), 0, 64);
        GgufFile f = GgufFile.open(p);
        assertEquals(List.of(), GgufValidator.formatProblems(f), "a well-formed file");
        assertEquals(16, f.info().parameterCount());
        // ... but not a llama model llama.cpp could load: the model checks say what is missing first
        assertEquals("missing llama.context_length (llama.cpp requires it for a llama model: the training context length)",
                GgufValidator.problems(f).get(0));
    }

    @Test
    void truncatedTensorData() throws IOException {
        Path p = dir.resolve("cut.gguf");
        Files.copy(STORIES, p);
        long size = Files.size(p);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(size - 100);
        }
        // The last tensor (blk.4.ffn_norm.weight, 64 F32) ends at the old end of the file.
        assertEquals("truncated: tensor 'blk.4.ffn_norm.weight' data ends at byte " + size + " but file has "
                + (size - 100) + " bytes", failure(p));
    }

    @Test
    void truncatedHeader() throws IOException {
        Path p = dir.resolve("head.gguf");
        byte[] all = Files.readAllBytes(STORIES);
        Files.write(p, java.util.Arrays.copyOf(all, 3000));
        String msg = failure(p);
        assertTrue(msg.startsWith("truncated"), msg);
        assertTrue(msg.contains("3000 bytes"), msg);
    }

    @Test
    void badMagic() throws IOException {
        Path p = dir.resolve("text.gguf");
        Files.writeString(p, "hello world, not a model");
        assertEquals("not a GGUF file (bad magic 0x68656c6c, expected 0x47475546 \"GGUF\")", failure(p));
        Path tiny = dir.resolve("tiny.gguf");
        Files.write(tiny, new byte[] {'G', 'G'});
        assertEquals("not a GGUF file (only 2 bytes)", failure(tiny));
    }

    @Test
    void versions() throws IOException {
        Path v1 = new RawGguf().header(1, 0, 0).zeros(64).writeTo(dir.resolve("v1.gguf"));
        assertTrue(failure(v1).startsWith("unsupported GGUF version 1 "), failure(v1));
        Path v4 = new RawGguf().header(4, 0, 0).zeros(64).writeTo(dir.resolve("v4.gguf"));
        assertEquals("unsupported GGUF version 4 (supported: 2 and 3)", failure(v4));
        Path be = new RawGguf().header(0x03000000, 0, 0).zeros(64).writeTo(dir.resolve("be.gguf"));
        assertEquals("big-endian GGUF files are not supported", failure(be));
        Path v2 = new RawGguf().header(2, 1, 1).kvString("general.architecture", "llama")
                .tensorInfo("w", new long[] {4}, 0, 0).padTo(32).zeros(16).writeTo(dir.resolve("v2.gguf"));
        GgufFile f2 = GgufFile.open(v2);
        assertEquals(List.of(), GgufValidator.formatProblems(f2));
        assertEquals(2, f2.version());
    }

    @Test
    void absurdCountsAndLengths() throws IOException {
        Path tc = new RawGguf().header(3, 1L << 60, 0).zeros(64).writeTo(dir.resolve("tc.gguf"));
        assertEquals("corrupt header: tensor count 1152921504606846976 is impossible for a file of 88 bytes", failure(tc));
        Path kc = new RawGguf().header(3, 0, -1L).zeros(64).writeTo(dir.resolve("kc.gguf"));
        assertEquals("corrupt header: metadata key count 18446744073709551615 is impossible for a file of 88 bytes", failure(kc));
        // A key whose string length is far beyond the file.
        Path sl = new RawGguf().header(3, 0, 1).u64(1L << 40).zeros(64).writeTo(dir.resolve("sl.gguf"));
        assertEquals("truncated or corrupt: metadata key #0 at byte 24 claims 1099511627776 bytes but the file has 96 bytes",
                failure(sl));
        // An array claiming 2^40 elements in a tiny file.
        Path al = new RawGguf().header(3, 0, 1).str("tokenizer.ggml.tokens").u32(GgufValueType.ARRAY.id())
                .u32(GgufValueType.STRING.id()).u64(1L << 40).zeros(32).writeTo(dir.resolve("al.gguf"));
        assertEquals("truncated or corrupt: array 'tokenizer.ggml.tokens' claims 1099511627776 elements of STRING"
                + " but only 32 of the file's 101 bytes remain", failure(al));
        Path nd = new RawGguf().header(3, 1, 0).str("w").u32(5).zeros(64).writeTo(dir.resolve("nd.gguf"));
        assertEquals("corrupt tensor info: tensor 'w' has 5 dimensions (at most 4)", failure(nd));
        Path vt = new RawGguf().header(3, 0, 1).str("k").u32(13).zeros(8).writeTo(dir.resolve("vt.gguf"));
        assertEquals("corrupt metadata: key 'k' has invalid value type 13", failure(vt));
    }

    @Test
    void offsetsOutOfRangeMisalignedOrOutOfOrder() throws IOException {
        Path far = oneTensor("w", "llama", new long[] {8}, 0, 1L << 40, 32);
        String msg = failure(far);
        assertTrue(msg.startsWith("truncated: tensor 'w' data ends at byte " + ((1L << 40) + 128 + 32) + " but file has 160 bytes"), msg);
        Path neg = oneTensor("w", "llama", new long[] {8}, 0, -32, 32);
        assertEquals("truncated: tensor 'w' data starts at offset 18446744073709551584, beyond the end of the file"
                + " (160 bytes)", failure(neg));
        Path mis = oneTensor("w", "llama", new long[] {8}, 0, 4, 64);
        assertEquals("tensor 'w' offset 4 is not a multiple of the alignment 32", failure(mis));
        Path gap = oneTensor("w", "llama", new long[] {8}, 0, 32, 64);
        assertEquals("tensor 'w' has offset 32, expected 0 (llama.cpp requires tensors in header order, each padded"
                + " to the alignment 32)", failure(gap));
        Path overlap = new RawGguf().header(3, 2, 1).kvString("general.architecture", "llama")
                .tensorInfo("a", new long[] {16}, 0, 0).tensorInfo("b", new long[] {16}, 0, 32)
                .padTo(32).zeros(128).writeTo(dir.resolve("overlap.gguf"));
        assertEquals("tensors 'a' and 'b' overlap (data offsets 0..64 and 32)", failure(overlap));
    }

    @Test
    void duplicateNamesAndKeys() throws IOException {
        Path dt = new RawGguf().header(3, 2, 1).kvString("general.architecture", "llama")
                .tensorInfo("a", new long[] {8}, 0, 0).tensorInfo("a", new long[] {8}, 0, 32)
                .padTo(32).zeros(64).writeTo(dir.resolve("dt.gguf"));
        assertEquals("duplicate tensor name 'a'", failure(dt));
        Path dk = new RawGguf().header(3, 1, 2).kvString("general.architecture", "llama")
                .kvString("general.architecture", "gpt2")
                .tensorInfo("a", new long[] {8}, 0, 0).padTo(32).zeros(32).writeTo(dir.resolve("dk.gguf"));
        assertEquals("duplicate metadata key 'general.architecture'", failure(dk));
    }

    @Test
    void tensorTypesAndShapes() throws IOException {
        Path unknown = oneTensor("w", "llama", new long[] {32}, 31, 0, 64);
        assertEquals("tensor 'w' has unknown ggml type 31 (not supported by the bundled llama.cpp b4916)", failure(unknown));
        Path block = oneTensor("w", "llama", new long[] {100, 2}, GgmlType.Q4_K.id(), 0, 512);
        assertEquals("tensor 'w' of type Q4_K has rows of 100 elements, not a multiple of the block size 256", failure(block));
        Path zero = oneTensor("w", "llama", new long[] {8, 0}, 0, 0, 64);
        assertEquals("tensor 'w' has dimension 1 = 0 (must be positive)", failure(zero));
        Path longName = oneTensor("x".repeat(64), "llama", new long[] {8}, 0, 0, 64);
        assertEquals("tensor name '" + "x".repeat(64) + "' is 64 bytes long (llama.cpp allows at most 63)", failure(longName));
    }

    @Test
    void architectureMustBePresentAndTheBundledEngineKnowsItsOwn() throws IOException {
        // A well-formed file of a newer architecture is valid GGUF; the bundled engine refuses it by name.
        Path qwen3 = oneTensor("w", "qwen3", new long[] {8}, 0, 0, 32);
        assertFalse(failure(qwen3).contains("not supported"), "an architecture newer than b4916 is not a format error");
        assertEquals("architecture 'qwen3' is not supported by the bundled llama.cpp (b4916); build the native engine "
                + "(bash scripts/build-native.sh) and use --engine native", new dev.minillm.engine.BundledEngine().refusal("qwen3"));
        assertNull(new dev.minillm.engine.BundledEngine().refusal("llama"));
        Path none = new RawGguf().header(3, 1, 1).kvString("general.name", "x")
                .tensorInfo("w", new long[] {8}, 0, 0).padTo(32).zeros(32).writeTo(dir.resolve("none.gguf"));
        assertEquals("missing general.architecture", failure(none));
        for (String arch : new String[] {"llama", "qwen2", "qwen2moe", "phi3", "gemma2", "gemma3"}) {
            assertTrue(KnownArchitectures.isKnown(arch), arch);
        }
    }

    @Test
    void missingFileAndDirectory() {
        Path missing = dir.resolve("nope.gguf");
        assertEquals("no such file", failure(missing));
        assertEquals("is a directory, not a GGUF file", failure(dir));
    }

    @Test
    void storiesModelInfo() {
        GgufFile f = GgufValidator.check(STORIES);
        ModelInfo i = f.info();
        assertEquals("llama", i.architecture());
        assertEquals(512, i.vocabSize());
        assertEquals(5, i.layers());
        assertEquals(64, i.embeddingLength());
        assertEquals(172, i.feedForwardLength());
        assertEquals(8, i.headCount());
        assertEquals(4, i.headCountKv());
        assertEquals(2048, i.contextLength());
        // Expected parameters from the shapes: token_embd + output (512x64 each), output_norm,
        // and per layer q,o (64x64), k,v (64x32), two norms (64) and three FFN matrices (64x172).
        long perLayer = 2 * 64 * 64 + 2 * 64 * 32 + 2 * 64 + 3 * 64 * 172;
        assertEquals(2 * 512 * 64 + 64 + 5 * perLayer, i.parameterCount());
        assertEquals(292_800, i.parameterCount());
        assertEquals(32.0, i.bitsPerWeight(), 1e-9);
        assertEquals(java.util.Map.of("F32", 48), i.tensorCountByType());
        assertEquals(false, i.synthetic());
    }

    @Test
    void validatorNeverReadsTensorDataIntoTheHeap() throws IOException {
        // A header claiming one 1 GiB F32 tensor in a small file must fail fast, not allocate.
        Path p = oneTensor("w", "llama", new long[] {1L << 28}, 0, 0, 32);
        assertEquals("truncated: tensor 'w' data ends at byte " + (128 + (1L << 30)) + " but file has 160 bytes", failure(p));
    }
}
