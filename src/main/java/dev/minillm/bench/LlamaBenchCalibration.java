package dev.minillm.bench;

import dev.minillm.common.RunFailedException;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.LlamaSession;
import dev.minillm.engine.PlainLoopReference;
import dev.minillm.metrics.Stats;
import dev.minillm.nativelib.NativeLibraryLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Same workload, same numbers: minillm's llama-bench tests against a plain C program doing exactly
 * llama-bench's test over the same library, model and settings, in interleaved rounds (so a busy
 * machine slows both alike), compared as the ratio of medians.
 */
public final class LlamaBenchCalibration {
    /** minillm's figure may differ from the C loop's by this much. */
    public static final double TOLERANCE_PCT = 3.0;

    private LlamaBenchCalibration() {
    }

    /** One test: the C loop's and minillm's tok/s samples over all rounds. */
    public record Row(String test, double[] cTps, double[] javaTps) {
        public double ratio() {
            return Stats.of(javaTps).median() / Stats.of(cTps).median();
        }

        public boolean withinTolerance() {
            return Math.abs(ratio() - 1) * 100 <= TOLERANCE_PCT;
        }
    }

    public static List<Row> run(Path model, EngineSettings s, List<LlamaBenchTests.Test> tests, int reps, int rounds) {
        Path exe = PlainLoopReference.compile("llama_bench_loop");
        if (exe == null) {
            throw new RunFailedException("no C compiler (cc, gcc or clang) found for the llama-bench reference loop");
        }
        List<Row> rows = new ArrayList<>();
        try (LlamaSession session = LlamaSession.open(model, s)) {
            Random rnd = new Random(1);
            for (LlamaBenchTests.Test t : tests) {
                List<Double> c = new ArrayList<>();
                List<Double> j = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    c.addAll(cLoop(exe, model, s, t, reps));
                    j.addAll(LlamaBenchTests.measure(session, s, t, reps, rnd).samples());
                }
                rows.add(new Row(t.name(), c.stream().mapToDouble(Double::doubleValue).toArray(),
                        j.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        return rows;
    }

    static List<Double> cLoop(Path exe, Path model, EngineSettings s, LlamaBenchTests.Test t, int reps) {
        List<String> cmd = List.of(exe.toString(), NativeLibraryLocator.libraryPath().toString(), model.toString(),
                String.valueOf(s.threads()), String.valueOf(s.batch()), String.valueOf(s.ubatch()),
                String.valueOf(EngineSettings.cacheType(s.cacheTypeK()).id()), String.valueOf(EngineSettings.cacheType(s.cacheTypeV()).id()),
                s.flashAttn() ? "1" : "0", String.valueOf(t.nPrompt()), String.valueOf(t.nGen()), String.valueOf(t.nDepth()),
                String.valueOf(reps));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new RunFailedException("the llama-bench reference loop timed out");
            }
            if (p.exitValue() != 0) {
                throw new RunFailedException("the llama-bench reference loop failed (exit " + p.exitValue() + ")");
            }
            List<Double> tps = new ArrayList<>();
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 4) {
                    tps.add(Double.parseDouble(f[3]));
                }
            }
            return tps;
        } catch (IOException e) {
            throw new RunFailedException("cannot run the llama-bench reference loop: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailedException("interrupted");
        }
    }

    public static String format(List<Row> rows, EngineSettings s, int reps, int rounds) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "llama-bench's test, %d threads, batch %d, ubatch %d, cache %s/%s, flash-attn %s; "
                        + "%d rounds x %d repetitions, C loop and minillm interleaved%n%n", s.threads(), s.batch(), s.ubatch(),
                s.cacheTypeK(), s.cacheTypeV(), s.flashAttn() ? "on" : "off", rounds, reps));
        b.append("| test | plain C loop tok/s (median ± sd) | minillm tok/s (median ± sd) | minillm / C | within 3 % |\n");
        b.append("|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            Stats c = Stats.of(r.cTps());
            Stats j = Stats.of(r.javaTps());
            b.append(String.format(Locale.ROOT, "| %s | %.1f ± %.1f | %.1f ± %.1f | %.3f | %s |%n", r.test(), c.median(), c.stddev(),
                    j.median(), j.stddev(), r.ratio(), r.withinTolerance() ? "yes" : "NO"));
        }
        return b.toString();
    }
}
