package dev.minillm.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A short multi-threaded read-bandwidth benchmark in the JVM, the denominator of the decode
 * roofline. Each thread allocates and first touches its own slice of a buffer far larger than any
 * CPU cache (so pages sit near the thread that reads them), then all threads sum their slices
 * together between two barriers, pass after pass; bytes read / wall time of a pass is one figure.
 * The best pass is reported (the achievable bandwidth, as STREAM does), the median beside it.
 */
public final class BandwidthProbe {
    public static final long DEFAULT_BUFFER_BYTES = 256L << 20;
    private static final int WARMUP_PASSES = 2;
    private static final int PASSES = 6;

    /** What the probe measured and how. */
    public record Result(double bytesPerSecond, double medianBytesPerSecond, int threads, long bufferBytes, int passes,
                         double seconds, String method) {
        public String summary() {
            return String.format(Locale.ROOT, "%.1f GB/s (median %.1f GB/s; %s)", bytesPerSecond / 1e9,
                    medianBytesPerSecond / 1e9, method);
        }
    }

    private BandwidthProbe() {
    }

    /** Measures with {@code threads} readers over about {@code bufferBytes} (halved while the heap cannot hold it). */
    public static Result measure(int threads, long bufferBytes) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        long budget = Math.max(16L << 20, Math.min(bufferBytes, Runtime.getRuntime().maxMemory() / 3));
        while (true) {
            try {
                return run(threads, budget);
            } catch (OutOfMemoryError e) {
                if (budget <= (16L << 20)) {
                    throw e;
                }
                budget /= 2;
            }
        }
    }

    private static Result run(int threads, long bufferBytes) {
        int perThread = (int) Math.min(Integer.MAX_VALUE - 8, bufferBytes / 8 / threads / 4 * 4);
        long bytesPerPass = (long) perThread * 8 * threads;
        int total = WARMUP_PASSES + PASSES;
        long[] passNanos = new long[total];
        long[] sums = new long[threads];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // the last thread through the barrier stamps the time: start of a pass, then its end
        long[] stamp = new long[1];
        CyclicBarrier start = new CyclicBarrier(threads, () -> stamp[0] = System.nanoTime());
        int[] pass = new int[1];
        CyclicBarrier end = new CyclicBarrier(threads, () -> passNanos[pass[0]++] = System.nanoTime() - stamp[0]);
        CyclicBarrier ready = new CyclicBarrier(threads);
        Thread[] workers = new Thread[threads];
        long t0 = System.nanoTime();
        for (int w = 0; w < threads; w++) {
            int id = w;
            workers[w] = new Thread(() -> {
                try {
                    long[] slice = new long[perThread];
                    for (int i = 0; i < slice.length; i++) {
                        slice[i] = i ^ id;
                    }
                    ready.await();
                    long acc = 0;
                    for (int p = 0; p < total; p++) {
                        start.await();
                        acc += sum(slice);
                        end.await();
                    }
                    sums[id] = acc;
                } catch (OutOfMemoryError e) {
                    failure.compareAndSet(null, e);
                    ready.reset();
                    start.reset();
                    end.reset();
                } catch (InterruptedException | BrokenBarrierException e) {
                    failure.compareAndSet(null, e);
                }
            }, "bandwidth-probe-" + w);
            workers[w].setDaemon(true);
            workers[w].start();
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("bandwidth probe interrupted", e);
            }
        }
        Throwable f = failure.get();
        if (f instanceof OutOfMemoryError oom) {
            throw oom;
        }
        if (f != null) {
            throw new IllegalStateException("bandwidth probe failed: " + f, f);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] measured = Arrays.copyOfRange(passNanos, WARMUP_PASSES, total);
        Arrays.sort(measured);
        double best = bytesPerPass * 1e9 / measured[0];
        double median = bytesPerPass * 1e9 / measured[measured.length / 2];
        // keep the sums observable so the JIT cannot drop the reads
        if (Arrays.stream(sums).sum() == 42) {
            System.err.print("");
        }
        String method = String.format(Locale.ROOT, "JVM read probe: %d thread(s), each summing its own long[] "
                + "(%d MiB in all), best of %d passes after %d warmup passes", threads, bytesPerPass >> 20, PASSES, WARMUP_PASSES);
        return new Result(best, median, threads, bytesPerPass, PASSES, seconds, method);
    }

    /** Four independent accumulators so the loop is bound by loads, not by one add chain. */
    private static long sum(long[] a) {
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        for (int i = 0; i < a.length; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        return s0 + s1 + s2 + s3;
    }
}
