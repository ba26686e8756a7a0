package dev.minillm.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;

/**
 * Resident set size of this process, sampled in the background to catch the peak between explicit
 * readings. On Linux it reads {@code /proc/self/statm} (one pread of a few bytes) every 5 ms, and
 * the kernel's own high-water mark {@code VmHWM}, which it can reset through
 * {@code /proc/self/clear_refs}. Elsewhere it falls back to OSHI at a coarser period. 5 ms rather
 * than less: when llama.cpp uses every core, each wake-up of this thread preempts one of its
 * workers, and on a busy machine that can stall a decode step.
 */
public final class RssSampler implements AutoCloseable {
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final boolean PROCFS = Files.isReadable(STATM);
    private static final long PAGE_SIZE = new SystemInfo().getHardware().getMemory().getPageSize();

    private final long periodNanos;
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final FileChannel statm;
    private final ByteBuffer buffer = ByteBuffer.allocate(128);
    private final OSProcess process;
    private final Thread thread;
    private volatile boolean running = true;

    private RssSampler(long periodNanos) throws IOException {
        this.periodNanos = periodNanos;
        this.statm = PROCFS ? FileChannel.open(STATM, StandardOpenOption.READ) : null;
        this.process = PROCFS ? null : new SystemInfo().getOperatingSystem().getCurrentProcess();
        this.thread = new Thread(this::loop, "rss-sampler");
        this.thread.setDaemon(true);
    }

    /** Starts sampling every 5 ms on Linux (20 ms through OSHI elsewhere). */
    public static RssSampler start() {
        try {
            RssSampler s = new RssSampler(PROCFS ? 5_000_000L : 20_000_000L);
            s.observe(s.read());
            s.thread.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the process RSS: " + e.getMessage(), e);
        }
    }

    /** "/proc/self/statm every 5 ms + VmHWM" or the OSHI fallback; recorded with the results. */
    public String method() {
        return PROCFS ? "/proc/self/statm every " + periodNanos / 1_000_000 + " ms + VmHWM" : "OSHI every " + periodNanos / 1_000_000 + " ms";
    }

    /** Reads the RSS now (and counts it towards the peak). */
    public long sampleNow() {
        long v = read();
        observe(v);
        return v;
    }

    /** Highest RSS seen since start or the last {@link #resetPeak()}. */
    public long peakBytes() {
        observe(read());
        return peak.get();
    }

    public long sampleCount() {
        return samples.get();
    }

    /** Starts a new peak window: our own maximum and, where permitted, the kernel's VmHWM. */
    public boolean resetPeak() {
        boolean kernel = resetKernelPeak();
        peak.set(read());
        return kernel;
    }

    private void loop() {
        while (running) {
            observe(read());
            LockSupport.parkNanos(periodNanos);
        }
    }

    private void observe(long v) {
        samples.incrementAndGet();
        peak.accumulateAndGet(v, Math::max);
    }

    private synchronized long read() {
        if (statm == null) {
            return process.updateAttributes() ? process.getResidentSetSize() : 0;
        }
        try {
            buffer.clear();
            int n = statm.read(buffer, 0);
            // statm: size resident shared text lib data dt (pages); the second field is the RSS
            long value = 0;
            int field = 0;
            for (int i = 0; i < n; i++) {
                byte b = buffer.get(i);
                if (b == ' ') {
                    if (++field > 1) {
                        break;
                    }
                } else if (field == 1) {
                    value = value * 10 + (b - '0');
                }
            }
            return value * PAGE_SIZE;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (statm != null) {
            try {
                statm.close();
            } catch (IOException ignored) {
                // read-only procfs handle
            }
        }
    }

    /** The kernel's peak RSS of this process (VmHWM) in bytes, or -1 where procfs is missing. */
    public static long kernelPeakBytes() {
        return statusField("VmHWM:");
    }

    /** Current RSS of this process in bytes (VmRSS), or -1 where procfs is missing. */
    public static long kernelRssBytes() {
        return statusField("VmRSS:");
    }

    /** Resets VmHWM to the current RSS ({@code echo 5 > /proc/self/clear_refs}); false when not permitted. */
    public static boolean resetKernelPeak() {
        if (!PROCFS) {
            return false;
        }
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static long statusField(String name) {
        if (!PROCFS) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.UTF_8)) {
                if (line.startsWith(name)) {
                    String[] f = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024L;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
