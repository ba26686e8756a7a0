package dev.minillm.cli;

import dev.minillm.common.BadInputException;
import dev.minillm.common.Progress;
import dev.minillm.quant.QuantBenchmark;
import dev.minillm.quant.QuantError;
import dev.minillm.quant.QuantType;
import dev.minillm.quant.QuantizeResult;
import dev.minillm.quant.Quantizer;
import dev.minillm.quant.TensorTypeRules;
import dev.minillm.quant.WeightFidelity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code minillm quantize}: F32/F16/BF16 GGUF to a llama.cpp quantization mix, with ggml's kernels. */
@Command(name = "quantize",
        description = {"Quantize an F32/F16/BF16 GGUF model to a llama.cpp mix (q4_k_m, q8_0, ...) with ggml's own "
                + "kernels and llama.cpp b4916's per-tensor type rules."},
        mixinStandardHelpOptions = true)
public final class QuantizeCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE", description = "Source model (F32, F16 or BF16 GGUF).")
    Path in;

    @Option(names = "--in", paramLabel = "FILE", hidden = true, description = "old spelling of --model")
    void oldIn(Path file) {
        in = file;
    }

    @Option(names = "--quant", paramLabel = "TYPE",
            description = "Mix: f16, bf16, q8_0, q6_k, q5_k_m, q5_k_s, q5_1, q5_0, q4_k_m, q4_k_s, q4_1, q4_0, "
                    + "iq4_nl, iq4_xs, q3_k_l, q3_k_m, q3_k_s, q2_k.")
    String type;

    @Option(names = "--type", paramLabel = "TYPE", hidden = true, description = "old spelling of --quant")
    void oldType(String t) {
        type = t;
    }

    @Option(names = "--out", paramLabel = "FILE",
            description = "Output file (default: the input name with its type replaced or appended, e.g. model-f16.gguf -> model-q4_k_m.gguf).")
    Path out;

    @Mixin ThreadsOption threads;

    @Option(names = "--error", description = "After writing, dequantize and print the relative RMS weight error per output type, and the "
            + "per-tensor cosine similarity and max absolute error (mean, min, worst tensors).")
    boolean error;

    @Option(names = "--plan", description = "Print the type every tensor would get (and why) without writing anything.")
    boolean plan;

    @Option(names = "--benchmark", description = "Measure throughput (MB/s of source) with 1 and --threads threads; writes no file.")
    boolean benchmark;

    // A field initialiser, not defaultValue: picocli would apply that after the old spelling set the field.
    @Option(names = "--repetitions", paramLabel = "N",
            description = "Runs per thread count with --benchmark (fastest counts; default ${DEFAULT-VALUE}).")
    int repeat = 3;

    @Option(names = "--repeat", paramLabel = "N", hidden = true, description = "old spelling of --repetitions")
    void oldRepeat(int n) {
        repeat = n;
    }

    @Option(names = "--json", description = "Print the summary as JSON (output file, types, sizes, time).")
    boolean json;

    @Option(names = "--check-with", paramLabel = "ENGINE",
            description = "After writing, quantize again with llama.cpp's own llama_model_quantize of this engine "
                    + "(native or a native build folder) and compare tensor by tensor; exit 1 if any differs.")
    String checkWith;

    @Override
    public Integer call() {
        if (in == null) {
            throw new BadInputException("quantize needs --model FILE (the F32, F16 or BF16 source)");
        }
        if (type == null) {
            throw new BadInputException("quantize needs --quant TYPE (e.g. q4_k_m)");
        }
        QuantType mix = QuantType.parse(type);
        int n = threads.get();
        Args.positive("--repetitions", repeat);
        // A bad --check-with costs nothing: refused before anything is written.
        dev.minillm.engine.Engine checker = checkWith == null ? null : checkEngine();
        if (plan) {
            return printPlan(mix);
        }
        if (benchmark) {
            return benchmark(mix, n);
        }
        Path target = out != null ? out : Quantizer.defaultOutput(in, mix);
        QuantizeResult r;
        try (Progress.Deferred bar = new Progress.Deferred("quantize " + mix.cliName(), "MB", 1_000_000)) {
            r = Quantizer.quantize(in, target, mix, n, bar::report);
        }
        printFallbacks(r);
        if (json) {
            printJsonSummary(r);
            return Main.EXIT_OK;
        }
        printSummary(r);
        if (error) {
            printError(r);
        }
        if (checkWith != null) {
            return crossCheck(checker, mix, target, n);
        }
        return Main.EXIT_OK;
    }

    private dev.minillm.engine.Engine checkEngine() {
        dev.minillm.engine.Engines.parseList(checkWith);
        if (checkWith.equals(dev.minillm.engine.Engines.DEFAULT)) {
            throw new BadInputException("--check-with bundled: the bundled library has no llama_model_quantize; use --check-with native");
        }
        return dev.minillm.engine.Engines.get(checkWith, false);
    }

    private int crossCheck(dev.minillm.engine.Engine engine, QuantType mix, Path target, int threads) {
        List<String> diff;
        try {
            diff = dev.minillm.quant.QuantCrossCheck.againstEngine(engine, in, target, mix, threads);
        } catch (java.io.IOException e) {
            throw new dev.minillm.common.RunFailedException(target + ": cross-check failed: " + e.getMessage(), e);
        }
        String who = "llama_model_quantize of llama.cpp " + engine.identity().llamaTag();
        if (diff.isEmpty()) {
            System.out.println("identical to " + who + ", tensor by tensor");
            return Main.EXIT_OK;
        }
        diff.forEach(d -> System.out.println("differs from " + who + ": " + d));
        return Main.EXIT_FAILED;
    }

    /** One stderr line per kind of row-size fallback (llama.cpp prints one per tensor; models have hundreds). */
    private static void printFallbacks(QuantizeResult r) {
        Map<String, List<String>> byNote = new LinkedHashMap<>();
        for (QuantizeResult.TensorResult t : r.tensors()) {
            if (t.note() != null) {
                byNote.computeIfAbsent(t.note(), k -> new ArrayList<>()).add(t.name());
            }
        }
        for (Map.Entry<String, List<String>> e : byNote.entrySet()) {
            List<String> names = e.getValue();
            String shown = String.join(", ", names.subList(0, Math.min(3, names.size())))
                    + (names.size() > 3 ? ", ... (" + names.size() + " tensors)" : "");
            Progress.info("fallback: " + e.getKey() + ": " + shown);
        }
    }

    private static double bitsPerWeight(QuantizeResult r) {
        long params = r.tensors().stream().mapToLong(t -> {
            long e = 1;
            for (long d : t.dims()) {
                e *= d;
            }
            return e;
        }).sum();
        long tensorBytes = r.tensors().stream().mapToLong(QuantizeResult.TensorResult::bytes).sum();
        return 8.0 * tensorBytes / params;
    }

    private void printJsonSummary(QuantizeResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output", r.output().toString());
        m.put("quant", r.type().cliName());
        m.put("file_type", r.type().fileType().id());
        m.put("tensor_count_by_type", r.tensorCountByType());
        m.put("source_bytes", r.sourceBytes());
        m.put("output_bytes", r.outputBytes());
        m.put("bits_per_weight", bitsPerWeight(r));
        m.put("seconds", r.seconds());
        m.put("threads", r.threads());
        m.put("mb_per_s", r.megabytesPerSecond());
        if (error) {
            m.put("relative_rms_error", QuantError.compare(r.input(), r.output()).relativeRms());
        }
        System.out.println(EvalCommand.toJson(m));
    }

    private static void printSummary(QuantizeResult r) {
        String byType = r.tensorCountByType().entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
        System.out.printf(Locale.ROOT, "wrote %s (%s, general.file_type %d)%n", r.output(), r.type().label(), r.type().fileType().id());
        System.out.printf(Locale.ROOT, "  tensors: %s%n", byType);
        System.out.printf(Locale.ROOT, "  size:    %.2f MB of tensor data -> %.2f MB file (%.2f bits per weight)%n",
                r.sourceBytes() / 1e6, r.outputBytes() / 1e6, bitsPerWeight(r));
        System.out.printf(Locale.ROOT, "  time:    %.2f s with %d thread%s, %.1f MB/s of source%n",
                r.seconds(), r.threads(), r.threads() == 1 ? "" : "s", r.megabytesPerSecond());
    }

    private static void printError(QuantizeResult r) {
        QuantError.Report report = QuantError.compare(r.input(), r.output());
        Map<String, double[]> byType = new TreeMap<>();
        for (QuantError.TensorError t : report.tensors()) {
            double[] acc = byType.computeIfAbsent(t.type().name(), k -> new double[3]);
            acc[0] += t.sumSquaredError();
            acc[1] += t.sumSquaredSource();
            acc[2]++;
        }
        System.out.printf(Locale.ROOT, "  relative RMS weight error: %.5f overall%n", report.relativeRms());
        for (Map.Entry<String, double[]> e : byType.entrySet()) {
            double[] a = e.getValue();
            System.out.printf(Locale.ROOT, "    %-7s %.5f (%d tensors)%n", e.getKey(), a[1] > 0 ? Math.sqrt(a[0] / a[1]) : 0, (int) a[2]);
        }
        WeightFidelity f = report.fidelity();
        System.out.printf(Locale.ROOT, "  weight fidelity (dequantized vs source, %d %s): %s; max |error| %.4g%n",
                f.tensors(), f.converted() > 0 ? "converted tensors" : "tensors, none converted", f.summary(), f.maxAbsError());
        for (WeightFidelity.Tensor t : f.worst()) {
            System.out.printf(Locale.ROOT, "    %-28s %-7s cosine %s  max |error| %.4g  relative RMS %.5f%n",
                    t.name(), t.type(), WeightFidelity.cos(t.cosine()), t.maxAbsError(), t.relativeRms());
        }
    }

    private int printPlan(QuantType mix) {
        List<TensorTypeRules.Decision> decisions = Quantizer.plan(in, mix);
        System.out.printf(Locale.ROOT, "%-40s %-22s %-6s    %-7s %s%n", "tensor", "shape", "source", "output", "note");
        for (TensorTypeRules.Decision d : decisions) {
            System.out.printf(Locale.ROOT, "%-40s %-22s %-6s -> %-7s %s%n", d.name(), d.tensor().shape(), d.tensor().type(),
                    d.type(), d.note() == null ? (d.convert() ? "" : "copied") : d.note());
        }
        return Main.EXIT_OK;
    }

    private int benchmark(QuantType mix, int n) {
        int[] counts = n == 1 ? new int[] {1} : new int[] {1, n};
        Progress.info("benchmarking quantize " + mix.cliName() + " of " + in + " (" + repeat + " runs per thread count)...");
        var runs = QuantBenchmark.run(in, mix, counts, repeat);
        System.out.printf(Locale.ROOT, "%-8s %10s %14s %8s %10s %12s%n", "threads", "seconds", "MB/s (source)", "speedup",
                "cpu-s", "MB/cpu-s");
        double base = runs.get(0).megabytesPerSecond();
        for (QuantBenchmark.Run run : runs) {
            System.out.printf(Locale.ROOT, "%-8d %10.3f %14.1f %7.2fx %10.2f %12.1f%n", run.threads(), run.seconds(),
                    run.megabytesPerSecond(), run.megabytesPerSecond() / base, run.cpuSeconds(), run.megabytesPerCpuSecond());
        }
        return Main.EXIT_OK;
    }
}
