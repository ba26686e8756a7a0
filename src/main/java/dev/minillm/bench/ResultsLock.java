package dev.minillm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.BadInputException;
import dev.minillm.common.PrettyJson;
import dev.minillm.common.Progress;
import dev.minillm.common.RunFailedException;
import dev.minillm.metrics.HardwareSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An exclusive OS file lock on a results directory, held for a whole bench run: two runs measuring
 * at once ruin each other's figures and race on the same result files. The lock is the kernel's
 * (fcntl), so it goes away with the process on any exit, kill -9 included; the file only says who
 * holds it. A file still naming a process after its lock is gone is stale and is taken over.
 */
public final class ResultsLock implements AutoCloseable {
    public static final String FILE_NAME = ".minillm.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private ResultsLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** What a lock file says about its holder; null fields when the file is empty or unreadable. */
    public record Holder(Long pid, String host, String startedUtc) {
        String describe() {
            return "pid " + (pid == null ? "unknown" : pid) + (host == null ? "" : " on " + host)
                    + (startedUtc == null ? "" : ", started " + startedUtc);
        }
    }

    /**
     * Takes the lock on {@code resultsDir} (created if missing) or throws a one-line
     * BadInputException naming the process that holds it.
     */
    public static ResultsLock acquire(Path resultsDir) {
        Path file = resultsDir.resolve(FILE_NAME);
        FileChannel ch;
        try {
            Files.createDirectories(resultsDir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new RunFailedException(file + ": cannot open the results lock: " + e.getMessage(), e);
        }
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM already holds it (a second run started from the same process)
            }
            Holder previous = read(ch);
            if (lock == null) {
                ch.close();
                throw new BadInputException(resultsDir + ": another minillm bench is using this results directory ("
                        + previous.describe() + "); wait for it to finish or pass another --out");
            }
            if (previous.pid() != null) {
                Progress.info("bench: " + resultsDir + ": taking over a stale lock of a run that ended without "
                        + "releasing it (" + previous.describe() + ")");
            }
            ResultsLock held = new ResultsLock(file, ch, lock);
            held.writeHolder();
            return held;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new RunFailedException(file + ": cannot take the results lock: " + e.getMessage(), e);
        }
    }

    /** Who the lock file names as holder (whether or not the lock is held). */
    public static Holder holder(Path resultsDir) {
        try (FileChannel ch = FileChannel.open(resultsDir.resolve(FILE_NAME), StandardOpenOption.READ)) {
            return read(ch);
        } catch (IOException e) {
            return new Holder(null, null, null);
        }
    }

    private static Holder read(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0 || size > 4096) {
            return new Holder(null, null, null);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        ch.read(buf, 0);
        try {
            JsonNode n = PrettyJson.mapper().readTree(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
            return new Holder(n.hasNonNull("pid") ? n.get("pid").asLong() : null,
                    n.hasNonNull("host") ? n.get("host").asText() : null,
                    n.hasNonNull("started_utc") ? n.get("started_utc").asText() : null);
        } catch (IOException e) {
            return new Holder(null, null, null);
        }
    }

    private void writeHolder() throws IOException {
        ObjectNode n = PrettyJson.mapper().createObjectNode();
        n.put("pid", ProcessHandle.current().pid());
        n.put("host", HardwareSnapshot.localHostname());
        n.put("started_utc", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        n.put("note", "held by a running 'minillm bench'; the OS releases it when that process exits");
        byte[] bytes = (PrettyJson.mapper().writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(bytes), 0);
        channel.force(false);
    }

    public Path file() {
        return file;
    }

    /**
     * Empties the holder record and releases the lock. The file itself stays: deleting it would let
     * a run that opened the old file meanwhile lock a name nobody else sees.
     */
    @Override
    public void close() {
        try {
            channel.truncate(0);
        } catch (IOException ignored) {
            // the next run reads a stale record and takes it over: harmless
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
