package dev.minillm.engine;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import dev.minillm.nativelib.NativeLibraryLocator;
import java.nio.file.Path;

/**
 * Decode throughput through java-llama.cpp's streaming API, for the same prompt and settings.
 * Reported beside the project's own figure and labelled as the wrapper's: it includes the
 * wrapper's per-token overhead (task queue, JSON, JNI), which is what an application using the
 * wrapper would see.
 */
public final class WrapperThroughput {
    private WrapperThroughput() {
    }

    /** Decode tok/s (first token excluded) of each of {@code reps} generations after {@code warmup}. */
    public static double[] measure(Path model, EngineSettings settings, String prompt, int nPredict, int warmup, int reps) {
        return NativeStderr.silenced(settings.verbose(), () -> measureLoud(model, settings, prompt, nPredict, warmup, reps));
    }

    private static double[] measureLoud(Path model, EngineSettings settings, String prompt, int nPredict, int warmup, int reps) {
        NativeLibraryLocator.libraryPath();
        if (!settings.verbose()) {
            LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> { });
        }
        ModelParameters mp = new ModelParameters()
                .setModel(model.toString())
                .setCtxSize(settings.ctx())
                .setBatchSize(settings.batch())
                .setThreads(settings.threads())
                .setThreadsBatch(settings.threads())
                .setGpuLayers(settings.gpuLayers());
        double[] result = new double[reps];
        try (LlamaModel llama = new LlamaModel(mp)) {
            for (int r = 0; r < warmup + reps; r++) {
                InferenceParameters ip = new InferenceParameters(prompt)
                        .setNPredict(nPredict)
                        .setTemperature(0f)
                        .setIgnoreEos(true)
                        .setCachePrompt(false);
                long first = 0;
                long last = 0;
                int n = 0;
                for (LlamaOutput out : llama.generate(ip)) {
                    long now = System.nanoTime();
                    if (n == 0) {
                        first = now;
                    }
                    last = now;
                    n++;
                }
                if (r >= warmup) {
                    result[r - warmup] = n > 1 && last > first ? (n - 1) * 1e9 / (last - first) : 0;
                }
            }
        }
        // Its server thread logs the end of the last task asynchronously; let that land in /dev/null too.
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result;
    }
}
