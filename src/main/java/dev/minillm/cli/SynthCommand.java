package dev.minillm.cli;

import dev.minillm.common.Progress;
import dev.minillm.common.RunFailedException;
import dev.minillm.gguf.synth.ModelShape;
import dev.minillm.gguf.synth.SyntheticModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Writes a synthetic F16 GGUF with exactly the shapes of a real model (layers, heads, KV heads, "
                + "embedding, feed-forward, vocabulary, context, RoPE base, tied embeddings, biases) and seeded "
                + "random weights.",
                "It runs at the real model's speed and memory in llama.cpp, but its output is meaningless: "
                + "use it for speed/memory benchmarks only."})
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--shape", required = true, paramLabel = "SHAPE",
            description = "qwen2.5-0.5b | qwen2.5-1.5b | qwen2.5-3b | llama-3.2-1b | qwen3-0.6b | tiny "
                    + "(qwen3-0.6b needs the native engine: --engine native)")
    String shape;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .gguf (written atomically)")
    Path out;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Weight seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "Print the summary as JSON")
    boolean json;

    @Override
    public Integer call() {
        ModelShape s = ModelShape.byId(shape);
        long total = s.dataBytes();
        long t0 = System.nanoTime();
        long size;
        try (Progress p = Progress.start("synth " + s.id(), total, "MiB", 1 << 20)) {
            size = SyntheticModels.write(s, out, seed, p::stepTo);
        } catch (IOException e) {
            throw new RunFailedException(out + ": cannot write (" + e.getMessage() + ")", e);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (json) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("output", out.toString());
            m.put("shape", s.id());
            m.put("architecture", s.architecture());
            m.put("n_params", s.parameterCount());
            m.put("file_size_bytes", size);
            m.put("seconds", secs);
            System.out.println(EvalCommand.toJson(m));
        } else {
            System.out.printf(Locale.ROOT, "wrote %s: synthetic %s (%s), %,d parameters, %,d bytes in %.1f s%n",
                    out, s.id(), s.architecture(), s.parameterCount(), size, secs);
        }
        return Main.EXIT_OK;
    }
}
