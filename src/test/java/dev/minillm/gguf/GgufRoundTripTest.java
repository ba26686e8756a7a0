package dev.minillm.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufRoundTripTest {
    @TempDir
    Path dir;

    private static GgufMetadata everyValueType() {
        GgufMetadata m = new GgufMetadata();
        m.putString("general.architecture", "llama");
        m.put("t.u8", GgufValue.uint8(250));
        m.put("t.i8", GgufValue.int8(-7));
        m.put("t.u16", GgufValue.uint16(65000));
        m.put("t.i16", GgufValue.int16(-30000));
        m.put("t.u32", GgufValue.uint32(4_000_000_000L));
        m.put("t.i32", GgufValue.int32(-2_000_000_000));
        m.put("t.f32", GgufValue.float32(1e-6f));
        m.put("t.bool", GgufValue.bool(true));
        m.put("t.string", GgufValue.string("héllo ▁wörld \u4e16"));
        m.put("t.u64", GgufValue.uint64(-2L)); // 2^64 - 2
        m.put("t.i64", GgufValue.int64(Long.MIN_VALUE + 3));
        m.put("t.f64", GgufValue.float64(Math.PI));
        m.put("a.u8", GgufValue.uint8Array(new byte[] {0, 1, (byte) 255}));
        m.put("a.i8", GgufValue.int8Array(new byte[] {-128, 127}));
        m.put("a.u16", GgufValue.uint16Array(new short[] {(short) 65535, 2}));
        m.put("a.i16", GgufValue.int16Array(new short[] {-1, 300}));
        m.put("a.u32", GgufValue.uint32Array(new int[] {-1, 5}));
        m.put("a.i32", GgufValue.int32Array(new int[] {1, -2, 3}));
        m.put("a.f32", GgufValue.float32Array(new float[] {0.5f, Float.NaN, -0f}));
        m.put("a.bool", GgufValue.boolArray(new boolean[] {true, false, true}));
        m.put("a.string", GgufValue.stringArray(List.of("<s>", "", "▁the", "<0x0A>")));
        m.put("a.u64", GgufValue.uint64Array(new long[] {Long.MAX_VALUE, -1}));
        m.put("a.i64", GgufValue.int64Array(new long[] {-5}));
        m.put("a.f64", GgufValue.float64Array(new double[] {1e300, -2.5}));
        m.put("a.empty", GgufValue.float32Array(new float[0]));
        m.put("a.nested", GgufValue.arrayOfArrays(List.of(
                GgufValue.int32Array(new int[] {1, 2}),
                GgufValue.stringArray(List.of("x", "yz")),
                GgufValue.arrayOfArrays(List.of(GgufValue.uint8Array(new byte[] {9}))))));
        return m;
    }

    private static byte[] randomBytes(long n, long seed) {
        byte[] b = new byte[(int) n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void everyValueTypeAndTensorBytesSurviveARoundTrip() throws IOException {
        GgufMetadata m = everyValueType();
        m.putUint32(GgufMetadata.ALIGNMENT, 64);
        GgufWriter w = new GgufWriter(m);
        long[][] shapes = {{7}, {33, 3}, {64, 2}, {256, 2, 1}};
        GgmlType[] types = {GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_K};
        byte[][] data = new byte[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            data[i] = randomBytes(types[i].byteSize(shapes[i]), i);
            byte[] d = data[i];
            // Write in small odd-sized pieces to exercise the writer's buffering.
            w.addTensor("tensor." + i, types[i], shapes[i], out -> {
                for (int p = 0; p < d.length; p += 5) {
                    out.write(ByteBuffer.wrap(d, p, Math.min(5, d.length - p)));
                }
            });
        }
        Path file = dir.resolve("all.gguf");
        long written = w.write(file);
        assertEquals(Files.size(file), written);

        GgufFile f = GgufFile.open(file);
        assertEquals(3, f.version());
        assertEquals(64, f.alignment());
        assertEquals(0, f.dataStart() % 64);
        assertEquals(m, f.metadata());
        assertEquals(List.copyOf(m.keys()), List.copyOf(f.metadata().keys()), "key order is kept");
        assertEquals("18446744073709551614", f.metadata().get("t.u64").toString());
        assertEquals(250, f.metadata().getLong("t.u8").orElseThrow());
        assertEquals(4_294_967_295L, f.metadata().get("a.u32").longAt(0));
        assertEquals(4_000_000_000L, f.metadata().getLong("t.u32").orElseThrow());
        assertEquals("yz", f.metadata().get("a.nested").arrayAt(1).stringAt(1));
        assertEquals(9, f.metadata().get("a.nested").arrayAt(2).arrayAt(0).longAt(0));
        assertEquals(shapes.length, f.tensors().size());
        for (int i = 0; i < shapes.length; i++) {
            TensorInfo t = f.tensors().get(i);
            assertEquals("tensor." + i, t.name());
            assertEquals(types[i], t.type());
            assertArrayEquals(shapes[i], t.dims());
            assertEquals(0, t.offset() % 64);
            ByteBuffer b = f.tensorData(t);
            byte[] back = new byte[b.remaining()];
            b.get(back);
            assertArrayEquals(data[i], back, "bytes of " + t.name());
        }
        // Q4_K: 2 rows of 256 elements, 144 bytes per 256-block.
        assertEquals(2 * 144, f.tensors().get(3).byteSize());
        // The nested array is readable by us but not by llama.cpp b4916: the validator only flags that.
        f.metadata().remove("a.nested");
        assertTrue(GgufValidator.formatProblems(f).isEmpty());
    }

    @Test
    void nestedArraysAreReportedAsUnloadable() throws IOException {
        GgufMetadata m = everyValueType();
        GgufWriter w = new GgufWriter(m).addTensor("x", GgmlType.F32, new long[] {4}, out -> out.write(ByteBuffer.allocate(16)));
        Path file = dir.resolve("nested.gguf");
        w.write(file);
        GgufFile f = GgufFile.open(file);
        assertEquals(List.of("metadata key 'a.nested' is an array of arrays, which llama.cpp b4916 cannot read"),
                GgufValidator.formatProblems(f));
    }

    @Test
    void copyOfStoriesKeepsMetadataAndTensorBytes() throws IOException {
        GgufFile src = GgufFile.openValidated(dev.minillm.TestModel.STORIES);
        GgufWriter w = GgufWriter.copyOf(src);
        w.metadata().putString("general.name", "copy");
        Path copy = dir.resolve("copy.gguf");
        w.write(copy);
        GgufFile back = GgufFile.openValidated(copy);
        GgufMetadata expected = src.metadata().copy().putString("general.name", "copy");
        assertEquals(expected, back.metadata());
        assertEquals(src.tensors().size(), back.tensors().size());
        for (TensorInfo t : src.tensors()) {
            TensorInfo u = back.tensor(t.name());
            assertArrayEquals(t.dims(), u.dims());
            assertEquals(t.type(), u.type());
            assertEquals(src.tensorData(t), back.tensorData(u), t.name());
        }
        assertEquals(src.info().parameterCount(), back.info().parameterCount());
    }

    @Test
    void writerRejectsSourcesOfTheWrongLengthAndLeavesNoFile() {
        GgufMetadata m = new GgufMetadata().putString("general.architecture", "llama");
        GgufWriter w = new GgufWriter(m).addTensor("x", GgmlType.F32, new long[] {4}, out -> out.write(ByteBuffer.allocate(12)));
        Path file = dir.resolve("short.gguf");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.write(file));
        assertEquals("tensor 'x': source wrote 12 bytes, expected 16", e.getMessage());
        assertFalse(Files.exists(file));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "temp file removed");
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void fileTypeFallsBackToTheTypeMostTensorsHave() throws IOException {
        GgufMetadata m = new GgufMetadata().putString("general.architecture", "llama");
        GgufWriter w = new GgufWriter(m)
                .addTensor("big", GgmlType.F32, new long[] {64}, out -> out.write(ByteBuffer.allocate(256)))
                .addTensor("a", GgmlType.F16, new long[] {4}, out -> out.write(ByteBuffer.allocate(8)))
                .addTensor("b", GgmlType.F16, new long[] {4}, out -> out.write(ByteBuffer.allocate(8)));
        Path noType = dir.resolve("no-type.gguf");
        w.write(noType);
        ModelInfo info = GgufFile.open(noType).info();
        assertNull(info.fileType());
        assertEquals("F16", info.dominantTensorType(), "counted by tensors, as llama.cpp guesses, not by elements");
        assertEquals("F16", info.fileTypeOrDominant());

        w.metadata().putUint32(GgufMetadata.FILE_TYPE, LlamaFileType.MOSTLY_Q8_0.id());
        Path typed = dir.resolve("typed.gguf");
        w.write(typed);
        assertEquals("Q8_0", GgufFile.open(typed).info().fileTypeOrDominant());
    }

    @Test
    void writerRejectsRowsThatAreNotABlockMultiple() {
        GgufWriter w = new GgufWriter(new GgufMetadata());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("x", GgmlType.Q4_K, new long[] {128, 2}, out -> { }));
        assertTrue(e.getMessage().contains("not a multiple of Q4_K's block size 256"), e.getMessage());
    }

    @Test
    void floatDecoderReadsF32F16AndBf16() {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putFloat(-1.25f).putShort(Half.fromFloat(0.5f)).putShort((short) 0x3C00).putShort((short) 0x4049).putShort((short) 0xBF80);
        b.flip();
        float[] out = new float[5];
        FloatDecoder.decode(GgmlType.F32, b, out, 0, 1);
        FloatDecoder.decode(GgmlType.F16, b, out, 1, 2);
        FloatDecoder.decode(GgmlType.BF16, b, out, 3, 2);
        assertArrayEquals(new float[] {-1.25f, 0.5f, 1.0f, 3.140625f, -1.0f}, out);
        assertEquals(12, b.position());
        assertThrows(IllegalArgumentException.class, () -> FloatDecoder.decode(GgmlType.Q8_0, b, out, 0, 1));
    }
}
