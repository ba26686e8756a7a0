package dev.minillm.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader (or a run killed with -9) sees either the old content or the
 * complete new content, never a partial file: write a temp file in the same directory, fsync,
 * then rename over the target.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writer callback that may throw IOException. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    public static void writeString(Path target, String content) throws IOException {
        write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    public static void writeBytes(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    public static void write(Path target, StreamWriter writer) throws IOException {
        writeChannel(target, channel -> {
            OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16);
            writer.write(out);
            out.flush();
            return null;
        });
    }

    /** Channel writer callback (for large binary files written with positioned or bulk transfers). */
    @FunctionalInterface
    public interface ChannelWriter<T> {
        T write(java.nio.channels.FileChannel channel) throws IOException;
    }

    /** Writes through a FileChannel into a temp file, fsyncs, renames over the target; returns the writer's value. */
    public static <T> T writeChannel(Path target, ChannelWriter<T> writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            makeShareable(tmp);
            T result;
            try (var channel = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                result = writer.write(channel);
                channel.force(true);
            }
            moveIntoPlace(tmp, target);
            return result;
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * Temp files are created owner-only (0600); a result or model is an ordinary file, so give it
     * the usual rw-r--r-- before it takes the target's name.
     */
    public static void makeShareable(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Renames a finished temp file over the target, atomically where the file system allows. */
    public static void moveIntoPlace(Path finishedTemp, Path target) throws IOException {
        try {
            Files.move(finishedTemp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(finishedTemp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
