package dev.minillm.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Buffered little-endian reads from the header of a GGUF file. Every read is checked against the
 * file size first, so an untrusted length or count can never make us read past the end or
 * allocate more than the file could possibly hold.
 */
final class GgufInput {
    /** Longest string we accept (chat templates and embedded tokenizer JSON are far smaller). */
    static final long MAX_STRING_BYTES = 256L << 20;

    private final FileChannel channel;
    private final long fileSize;
    private final String fileLabel;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private long bufStart; // file offset of buf[0]

    GgufInput(FileChannel channel, long fileSize, String fileLabel) {
        this.channel = channel;
        this.fileSize = fileSize;
        this.fileLabel = fileLabel;
        buf.limit(0);
    }

    long position() {
        return bufStart + buf.position();
    }

    long fileSize() {
        return fileSize;
    }

    long remaining() {
        return fileSize - position();
    }

    GgufFormatException error(String reason) {
        return new GgufFormatException(fileLabel + ": " + reason);
    }

    /** Fails with a 'truncated' message unless n more bytes exist in the file. */
    void require(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw error("truncated: " + what + " at byte " + position() + " needs " + n
                    + " bytes but the file has " + fileSize + " bytes");
        }
    }

    private void fill(int n, String what) throws IOException {
        require(n, what);
        if (buf.remaining() >= n) {
            return;
        }
        bufStart += buf.position();
        buf.compact();
        while (buf.position() < n) {
            int r = channel.read(buf, bufStart + buf.position());
            if (r < 0) {
                throw error("truncated: unexpected end of file while reading " + what);
            }
        }
        buf.flip();
    }

    int u8(String what) throws IOException {
        fill(1, what);
        return buf.get() & 0xFF;
    }

    short i16(String what) throws IOException {
        fill(2, what);
        return buf.getShort();
    }

    int i32(String what) throws IOException {
        fill(4, what);
        return buf.getInt();
    }

    long u32(String what) throws IOException {
        return i32(what) & 0xFFFFFFFFL;
    }

    long i64(String what) throws IOException {
        fill(8, what);
        return buf.getLong();
    }

    float f32(String what) throws IOException {
        fill(4, what);
        return buf.getFloat();
    }

    double f64(String what) throws IOException {
        fill(8, what);
        return buf.getDouble();
    }

    void bytes(byte[] dst, String what) throws IOException {
        require(dst.length, what);
        int done = 0;
        while (done < dst.length) {
            if (!buf.hasRemaining()) {
                fill(Math.min(buf.capacity(), dst.length - done), what);
            }
            int n = Math.min(buf.remaining(), dst.length - done);
            buf.get(dst, done, n);
            done += n;
        }
    }

    /** A GGUF string: u64 byte length + UTF-8 bytes (no terminator). */
    String string(String what) throws IOException {
        fill(8, what); // no message building here: this runs once per token string
        long len = buf.getLong();
        if (len < 0 || len > remaining()) {
            throw error("truncated or corrupt: " + what + " at byte " + (position() - 8) + " claims "
                    + Long.toUnsignedString(len) + " bytes but the file has " + fileSize + " bytes");
        }
        if (len > MAX_STRING_BYTES) {
            throw error(what + " is " + len + " bytes long (limit " + MAX_STRING_BYTES + ")");
        }
        byte[] b = new byte[(int) len];
        bytes(b, what);
        // llama.cpp accepts any bytes; malformed UTF-8 becomes replacement characters here.
        return new String(b, StandardCharsets.UTF_8);
    }
}
