package dev.minillm.bench;

import dev.minillm.engine.Engine;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.NativePerf;
import dev.minillm.engine.GenerationTiming;
import dev.minillm.engine.Session;
import dev.minillm.engine.PlainLoopReference;
import dev.minillm.engine.WrapperThroughput;
import dev.minillm.metrics.Stats;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures what the harness itself costs: the project's JNA decode loop against a plain C loop
 * over the same library, model, threads and prompt, and java-llama.cpp's streaming API beside
 * them. The three run one after another, never concurrently, so they do not share the cores.
 */
public final class OverheadBenchmark {
    private OverheadBenchmark() {
    }

    /** Figures of one way of driving the model; null fields were not measured. */
    public record Row(String name, Stats promptTps, Stats decodeTps) {
    }

    public record Result(Row project, Row plainC, Row wrapper, String cUnavailableReason) {
    }

    /**
     * Runs {@code rounds} rounds; each round runs the C loop (its own process: warmup + reps) and then
     * the project's loop (warmup + reps) in this JVM. Interleaving the two keeps slow drifts of the
     * machine (other load, thermal state) from favouring whichever ran first.
     */
    public static Result run(Engine engine, Path model, EngineSettings settings, String prompt, int nPredict, int warmup,
                             int reps, int rounds, boolean includeWrapper) {
        boolean bundled = engine instanceof dev.minillm.engine.BundledEngine;
        // The plain C reference and the wrapper are built on the bundled library; the native
        // engine's loop is itself C, checked against llama.cpp's own counters instead.
        Path exe = bundled ? PlainLoopReference.compile() : null;
        String cReason = !bundled ? "the plain C reference loop is built against the bundled library; the native engine's loop is C already"
                : exe == null ? "no C compiler (cc/gcc/clang) on PATH" : null;
        double[] nPp = new double[rounds * reps];
        double[] nTg = new double[rounds * reps];
        double[] cPp = new double[rounds * reps];
        double[] cTg = new double[rounds * reps];
        double[] pp = new double[rounds * reps];
        double[] tg = new double[rounds * reps];
        for (int round = 0; round < rounds; round++) {
            if (exe != null) {
                List<PlainLoopReference.Rep> r = PlainLoopReference.run(exe, model, settings, prompt, nPredict, warmup, reps);
                for (int i = 0; i < reps; i++) {
                    cPp[round * reps + i] = r.get(i).promptTps();
                    cTg[round * reps + i] = r.get(i).decodeTps();
                }
            }
            try (Session s = dev.minillm.engine.Engines.open(engine, model, settings)) {
                int[] tokens = s.tokenize(prompt, true, false);
                for (int i = 0; i < warmup + reps; i++) {
                    s.resetNativePerf();
                    GenerationTiming t = s.generateGreedy(tokens, nPredict, true);
                    if (i >= warmup) {
                        pp[round * reps + i - warmup] = t.promptTokensPerSecond();
                        tg[round * reps + i - warmup] = t.decodeTokensPerSecond();
                        NativePerf np = s.nativePerf();
                        nPp[round * reps + i - warmup] = np.promptTokensPerSecond();
                        nTg[round * reps + i - warmup] = np.decodeTokensPerSecond();
                    }
                }
            }
        }
        Row c = exe == null ? null : new Row("plain C loop (same library)", Stats.of(cPp), Stats.of(cTg));
        Row project = new Row(bundled ? "minillm decode loop (JNA)" : "minillm native engine loop (C, " + engine.identity().label() + ")",
                Stats.of(pp), Stats.of(tg));
        if (!bundled) {
            c = new Row("llama.cpp's own counters (llama_perf_context), same work", Stats.of(nPp), Stats.of(nTg));
        }
        Row wrapper = null;
        if (includeWrapper && bundled) {
            double[] w = WrapperThroughput.measure(model, settings, prompt, nPredict, warmup, reps);
            wrapper = new Row("java-llama.cpp streaming API (wrapper's figure)", null, Stats.of(w));
        }
        return new Result(project, c, wrapper, bundled ? cReason : null);
    }

    /** Markdown table of the result with ratios against the plain C loop. */
    public static String format(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("| loop | prompt tok/s | decode tok/s | decode vs C |\n|---|---:|---:|---:|\n");
        for (Row row : new Row[] {r.plainC(), r.project(), r.wrapper()}) {
            if (row == null) {
                continue;
            }
            sb.append("| ").append(row.name()).append(" | ").append(fmt(row.promptTps()))
                    .append(" | ").append(fmt(row.decodeTps())).append(" | ");
            if (r.plainC() != null) {
                sb.append(String.format("%.3f", row.decodeTps().median() / r.plainC().decodeTps().median()));
            } else {
                sb.append("–");
            }
            sb.append(" |\n");
        }
        if (r.plainC() != null) {
            String ref = r.plainC().name().startsWith("plain C") ? "C" : "llama.cpp's counters";
            sb.append(String.format("%nproject / " + ref + " (ratio of medians): prompt %.3f, decode %.3f (target: within 3 %%)%n",
                    r.project().promptTps().median() / r.plainC().promptTps().median(),
                    r.project().decodeTps().median() / r.plainC().decodeTps().median()));
        } else {
            sb.append("\nC reference not run: ").append(r.cUnavailableReason()).append('\n');
        }
        return sb.toString();
    }

    private static String fmt(Stats s) {
        if (s == null) {
            return "–";
        }
        return String.format("%.1f (median; mean %.1f ± %.1f, n=%d)", s.median(), s.mean(), s.stddev(), s.n());
    }
}
