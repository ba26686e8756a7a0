package dev.minillm.eval;

import dev.minillm.gguf.GgufMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test variants of stories260K made without a quantizer: its F32 weight matrices rounded to a
 * coarser grid in place (symmetric blocks of 32 values with one scale each, like Q8_0 / Q4_0
 * but kept as F32 so llama.cpp loads the file unchanged), and a copy flagged as synthetic.
 */
final class TestModels {
    static final Path STORIES = dev.minillm.TestModel.STORIES;

    private TestModels() {
    }

    /** Byte layout of a GGUF file: where the KV section and tensor infos end, and the tensors. */
    record Layout(ByteBuffer buf, long kvCount, int kvStart, int kvEnd, int infoEnd, int dataStart, int alignment,
                  List<Tensor> tensors) {
    }

    record Tensor(String name, long[] dims, int type, long offset) {
        long elements() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }
    }

    static Layout parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        b.position(8);
        long tensorCount = b.getLong();
        long kvCount = b.getLong();
        int kvStart = b.position();
        int alignment = 32;
        for (long i = 0; i < kvCount; i++) {
            String key = str(b);
            int type = b.getInt();
            Object v = value(b, type);
            if (key.equals("general.alignment")) {
                alignment = ((Number) v).intValue();
            }
        }
        int kvEnd = b.position();
        List<Tensor> tensors = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = str(b);
            int nd = b.getInt();
            long[] dims = new long[nd];
            for (int d = 0; d < nd; d++) {
                dims[d] = b.getLong();
            }
            int type = b.getInt();
            long off = b.getLong();
            tensors.add(new Tensor(name, dims, type, off));
        }
        int infoEnd = b.position();
        int dataStart = (infoEnd + alignment - 1) / alignment * alignment;
        return new Layout(b, kvCount, kvStart, kvEnd, infoEnd, dataStart, alignment, tensors);
    }

    private static String str(ByteBuffer b) {
        int n = (int) b.getLong();
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static Object value(ByteBuffer b, int type) {
        switch (type) {
            case 0: case 1: case 7: return b.get();
            case 2: case 3: return b.getShort();
            case 4: case 5: return b.getInt();
            case 6: return b.getFloat();
            case 8: return str(b);
            case 9: {
                int et = b.getInt();
                long n = b.getLong();
                for (long i = 0; i < n; i++) {
                    value(b, et);
                }
                return null;
            }
            case 10: case 11: return b.getLong();
            case 12: return b.getDouble();
            default: throw new IllegalStateException("GGUF type " + type);
        }
    }

    /**
     * stories260K quantized to {@code type} ("Q8_0", "Q4_0"): with the project's quantizer
     * (dev.minillm.quant, another branch — looked up reflectively so this test uses it once the
     * branches are merged), otherwise with {@link #rounded} at 8 or 4 bits. Returns the file and
     * which of the two made it.
     */
    static Variant variant(Path dir, String type) throws IOException {
        try {
            Class<?> quantizer = Class.forName("dev.minillm.quant.Quantizer");
            Class<?> quantType = Class.forName("dev.minillm.quant.QuantType");
            Class<?> listener = Class.forName("dev.minillm.quant.ProgressListener");
            Object t = quantType.getMethod("valueOf", String.class).invoke(null, type);
            Object none = listener.getField("NONE").get(null);
            Path out = dir.resolve("stories260K-" + type + ".gguf");
            quantizer.getMethod("quantize", Path.class, Path.class, quantType, int.class, listener)
                    .invoke(null, STORIES, out, t, 1, none);
            return new Variant(out, "dev.minillm.quant.Quantizer " + type);
        } catch (ClassNotFoundException notMerged) {
            int bits = type.startsWith("Q8") ? 8 : 4;
            return new Variant(rounded(dir, bits), "F32 weights rounded to " + bits + "-bit blocks (quantizer not on this branch)");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the quantizer's API changed: " + e, e);
        }
    }

    record Variant(Path file, String madeBy) {
    }

    /**
     * A copy of stories260K whose 2-D weight matrices are rounded to {@code bits}-bit symmetric
     * levels per block of 32 (scale = block max / (2^(bits-1) - 1)). Norm vectors stay exact, as
     * llama.cpp's quantizer keeps 1-D tensors in F32.
     */
    static Path rounded(Path dir, int bits) throws IOException {
        byte[] file = Files.readAllBytes(STORIES);
        Layout l = parse(file);
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int levels = (1 << (bits - 1)) - 1;
        int matrices = 0;
        for (Tensor t : l.tensors()) {
            if (t.type() != 0 || t.dims().length != 2) {
                continue;
            }
            matrices++;
            int base = (int) (l.dataStart() + t.offset());
            int n = (int) t.elements();
            for (int blk = 0; blk < n; blk += 32) {
                int end = Math.min(n, blk + 32);
                float max = 0;
                for (int i = blk; i < end; i++) {
                    max = Math.max(max, Math.abs(b.getFloat(base + 4 * i)));
                }
                float scale = max / levels;
                for (int i = blk; i < end; i++) {
                    float x = b.getFloat(base + 4 * i);
                    b.putFloat(base + 4 * i, scale == 0 ? 0 : Math.round(x / scale) * scale);
                }
            }
        }
        if (matrices == 0) {
            throw new IllegalStateException("no F32 matrices found in " + STORIES);
        }
        Path out = dir.resolve("stories260K-r" + bits + ".gguf");
        Files.write(out, file);
        return out;
    }

    /** A copy of stories260K with the KV pair minillm.synthetic = true added to its header. */
    static Path flaggedSynthetic(Path dir) throws IOException {
        byte[] key = GgufMetadata.SYNTHETIC.getBytes(StandardCharsets.UTF_8);
        ByteBuffer kv = ByteBuffer.allocate(8 + key.length + 4 + 1).order(ByteOrder.LITTLE_ENDIAN);
        kv.putLong(key.length).put(key).putInt(7).put((byte) 1);
        return withKv(kv.array(), dir.resolve("stories260K-synthetic.gguf"));
    }

    /** A copy of stories260K carrying {@code template} as tokenizer.chat_template. */
    static Path withChatTemplate(Path dir, String template) throws IOException {
        byte[] key = "tokenizer.chat_template".getBytes(StandardCharsets.UTF_8);
        byte[] val = template.getBytes(StandardCharsets.UTF_8);
        ByteBuffer kv = ByteBuffer.allocate(8 + key.length + 4 + 8 + val.length).order(ByteOrder.LITTLE_ENDIAN);
        kv.putLong(key.length).put(key).putInt(8).putLong(val.length).put(val);
        return withKv(kv.array(), dir.resolve("stories260K-chat.gguf"));
    }

    /** stories260K with one encoded KV pair appended to its metadata; tensor data re-aligned. */
    private static Path withKv(byte[] kvBytes, Path target) throws IOException {
        byte[] file = Files.readAllBytes(STORIES);
        Layout l = parse(file);
        ByteBuffer kv = ByteBuffer.wrap(kvBytes);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer head = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        head.put(file, 0, 16).putLong(l.kvCount() + 1);
        out.write(head.array());
        out.write(file, l.kvStart(), l.kvEnd() - l.kvStart());
        out.write(kv.array());
        out.write(file, l.kvEnd(), l.infoEnd() - l.kvEnd());
        while (out.size() % l.alignment() != 0) {
            out.write(0);
        }
        out.write(file, l.dataStart(), file.length - l.dataStart());
        Files.write(target, out.toByteArray());
        return target;
    }
}
