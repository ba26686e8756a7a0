package dev.minillm.quant;

import dev.minillm.common.RunFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures quantization throughput (MB of source tensor data per second, wall time of the whole
 * run including reading, converting and writing) at several thread counts. One untimed warm-up
 * run first brings the input into the page cache and the JIT up to speed; each thread count then
 * runs {@code repeats} times and the fastest run counts. Outputs go to a temp directory and are
 * deleted.
 */
public final class QuantBenchmark {
    /**
     * The fastest of the runs at one thread count.
     *
     * @param cpuSeconds CPU time of the whole process during that run: on a busy machine wall time
     *                   grows with contention, CPU time does not
     */
    public record Run(int threads, double seconds, double cpuSeconds, long sourceBytes) {
        public double megabytesPerSecond() {
            return sourceBytes / 1e6 / seconds;
        }

        /** Source MB per CPU-second: the kernels' own speed, independent of other load. */
        public double megabytesPerCpuSecond() {
            return cpuSeconds > 0 ? sourceBytes / 1e6 / cpuSeconds : 0;
        }
    }

    private QuantBenchmark() {
    }

    private static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    public static List<Run> run(Path in, QuantType type, int[] threadCounts, int repeats) {
        Path dir;
        try {
            dir = Files.createTempDirectory("minillm-quant-bench");
        } catch (IOException e) {
            throw new RunFailedException("cannot create a temp directory: " + e.getMessage(), e);
        }
        Path out = dir.resolve("bench-" + type.cliName() + ".gguf");
        try {
            int max = 1;
            for (int t : threadCounts) {
                max = Math.max(max, t);
            }
            Quantizer.quantize(in, out, type, max, ProgressListener.NONE);
            List<Run> runs = new ArrayList<>();
            for (int threads : threadCounts) {
                Run best = null;
                for (int r = 0; r < Math.max(1, repeats); r++) {
                    long cpu0 = processCpuNanos();
                    QuantizeResult res = Quantizer.quantize(in, out, type, threads, ProgressListener.NONE);
                    double cpu = (processCpuNanos() - cpu0) / 1e9;
                    if (best == null || res.seconds() < best.seconds()) {
                        best = new Run(threads, res.seconds(), cpu, res.sourceBytes());
                    }
                }
                runs.add(best);
            }
            return runs;
        } finally {
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
