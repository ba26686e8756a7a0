package dev.minillm.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.GgufWriter;
import dev.minillm.gguf.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeCommandTest {
    static final Path STORIES = dev.minillm.TestModel.STORIES;

    @TempDir
    Path dir;

    @Test
    void quantizesToTheDefaultNameAndReportsError() throws IOException {
        Path in = dir.resolve("stories-f32.gguf");
        Files.copy(STORIES, in);
        CliRun r = CliRun.of("quantize", "--model", in.toString(), "--quant", "q8_0", "--threads", "2", "--error");
        assertEquals(0, r.code(), r.err());
        Path expected = dir.resolve("stories-q8_0.gguf");
        assertTrue(Files.exists(expected), r.out());
        assertTrue(r.out().contains("general.file_type 7"), r.out());
        assertTrue(r.out().contains("relative RMS weight error"), r.out());
        assertTrue(r.err().contains("ffn_down.weight"), "fallback is reported: " + r.err());
        assertEquals(7L, GgufFile.open(expected).metadata().getLong("general.file_type").orElseThrow());
    }

    @Test
    void refusesAlreadyQuantizedInputOutputEqualToInputAndUnknownTypes() throws IOException {
        Path q = dir.resolve("q.gguf");
        assertEquals(0, CliRun.of("quantize", "--model", STORIES.toString(), "--out", q.toString(), "--quant", "q4_0").code());

        CliRun again = CliRun.of("quantize", "--model", q.toString(), "--out", dir.resolve("qq.gguf").toString(), "--quant", "q4_k_m");
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already quantized"), again.err());
        assertEquals(1, again.err().strip().lines().count(), "one line: " + again.err());
        assertFalse(Files.exists(dir.resolve("qq.gguf")));

        long before = Files.size(q);
        CliRun same = CliRun.of("quantize", "--model", q.toString(), "--out", dir.resolve(".").resolve("q.gguf").toString(), "--quant", "q8_0");
        assertEquals(2, same.code());
        assertTrue(same.err().contains("overwrite the input"), same.err());
        assertEquals(before, Files.size(q));

        CliRun f32Same = CliRun.of("quantize", "--model", STORIES.toString(), "--out", STORIES.toString(), "--quant", "q8_0");
        assertEquals(2, f32Same.code());

        CliRun unknown = CliRun.of("quantize", "--model", STORIES.toString(), "--quant", "q7_k");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("q4_k_m"), unknown.err());

        CliRun missing = CliRun.of("quantize", "--model", dir.resolve("nope.gguf").toString(), "--quant", "q8_0");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.gguf"), missing.err());
    }

    @Test
    void infiniteWeightsFailValidationAndLeaveNoFileBehind() throws IOException {
        GgufFile src = GgufFile.open(STORIES);
        GgufWriter w = new GgufWriter(src.metadata().copy());
        for (TensorInfo t : src.tensors()) {
            if (t.name().equals("blk.1.attn_q.weight")) {
                assertEquals(GgmlType.F32, t.type());
                ByteBuffer data = ByteBuffer.allocate((int) t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < t.elementCount(); i++) {
                    data.putFloat(i == 100 ? Float.POSITIVE_INFINITY : 0.01f * (i % 7));
                }
                data.flip();
                w.addTensor(t.name(), t.type(), t.dims(), out -> out.write(data));
            } else {
                w.copyTensor(src, t);
            }
        }
        Path bad = dir.resolve("inf.gguf");
        w.write(bad);
        Path out = dir.resolve("inf-q8_0.gguf");
        CliRun r = CliRun.of("quantize", "--model", bad.toString(), "--out", out.toString(), "--quant", "q8_0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("blk.1.attn_q.weight"), r.err());
        assertFalse(Files.exists(out));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "temp file removed");
        }
    }

    @Test
    void planListsEveryTensorWithoutWriting() throws IOException {
        CliRun r = CliRun.of("quantize", "--model", STORIES.toString(), "--quant", "q4_k_m", "--plan", "--out", dir.resolve("never.gguf").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1 + 48, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("blk.2.attn_v.weight") && l.contains("-> Q8_0")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("blk.0.attn_norm.weight") && l.contains("copied")), r.out());
        assertFalse(Files.exists(dir.resolve("never.gguf")));
    }

    @Test
    void benchmarkPrintsThroughputForOneAndNThreads() {
        CliRun r = CliRun.of("quantize", "--model", STORIES.toString(), "--quant", "q4_0", "--threads", "2", "--benchmark", "--repetitions", "1");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].contains("MB/s"), r.out());
        assertTrue(lines[1].startsWith("1 "), r.out());
        assertTrue(lines[2].startsWith("2 "), r.out());
        double mbps = Double.parseDouble(lines[1].trim().split("\\s+")[2]);
        assertTrue(mbps > 0, r.out());
    }
}
