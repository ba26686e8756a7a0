package dev.minillm.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-assembles GGUF bytes field by field, so tests can produce files our writer never would. */
final class RawGguf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    RawGguf u8(int v) {
        out.write(v);
        return this;
    }

    RawGguf u32(long v) {
        return put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }

    RawGguf u64(long v) {
        return put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    RawGguf str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(b.length);
        return put(b);
    }

    RawGguf put(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    /** Header: magic, version, tensor count, kv count. */
    RawGguf header(int version, long nTensors, long nKv) {
        return put("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(version).u64(nTensors).u64(nKv);
    }

    RawGguf kvString(String key, String value) {
        return str(key).u32(GgufValueType.STRING.id()).str(value);
    }

    RawGguf tensorInfo(String name, long[] dims, int type, long offset) {
        str(name).u32(dims.length);
        for (long d : dims) {
            u64(d);
        }
        return u32(type).u64(offset);
    }

    RawGguf padTo(int alignment) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return this;
    }

    RawGguf zeros(int n) {
        return put(new byte[n]);
    }

    int size() {
        return out.size();
    }

    Path writeTo(Path p) throws IOException {
        Files.write(p, out.toByteArray());
        return p;
    }
}
