package dev.minillm.engine;

import dev.minillm.common.RunFailedException;
import dev.minillm.nativelib.NativeLibraryLocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The plain C decode loop over the same libjllama, compiled on first use with the system C
 * compiler. It is the yardstick for the project's own loop: same library, model, threads and
 * algorithm, no JVM.
 */
public final class PlainLoopReference {
    private PlainLoopReference() {
    }

    /** One measured repetition of the C loop. */
    public record Rep(int promptTokens, double promptTps, int decodeTokens, double decodeTps) {
    }

    /** Compiles the loop once per source version into the cache; null when no C compiler exists. */
    public static Path compile() {
        return compile("plain_loop");
    }

    /** The declarations of libjllama's API the C programs share. */
    private static final String API_HEADER = "b4916_api.h";

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = PlainLoopReference.class.getResourceAsStream("/native/" + file)) {
            if (in == null) {
                throw new RunFailedException(file + " missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    /** Compiles {@code /native/<name>.c} of the jar once per source version; null when no C compiler exists. */
    public static Path compile(String name) {
        try {
            byte[] src = resource(name + ".c");
            byte[] header = resource(API_HEADER);
            int version = 31 * java.util.Arrays.hashCode(src) + java.util.Arrays.hashCode(header);
            Path dir = NativeLibraryLocator.cacheRoot().resolve(name.replace('_', '-')).resolve(Integer.toHexString(version));
            Path exe = dir.resolve(name);
            if (Files.isExecutable(exe)) {
                return exe;
            }
            Files.createDirectories(dir);
            Path c = dir.resolve(name + ".c");
            Files.write(c, src);
            Files.write(dir.resolve(API_HEADER), header);
            for (String cc : new String[] {"cc", "gcc", "clang"}) {
                try {
                    Process p = new ProcessBuilder(cc, "-O2", "-o", exe.toString(), c.toString(), "-ldl")
                            .redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (p.waitFor() == 0 && Files.isExecutable(exe)) {
                        return exe;
                    }
                    throw new RunFailedException("compiling the C reference loop failed: " + out.strip());
                } catch (IOException notFound) {
                    // try the next compiler name
                }
            }
            return null;
        } catch (IOException e) {
            throw new RunFailedException("cannot prepare the C reference loop: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailedException("interrupted");
        }
    }

    /** A generous bound for one reference run (warmup + repetitions of one prompt). */
    static final long TIMEOUT_MINUTES = 30;

    public static List<Rep> run(Path exe, Path model, EngineSettings s, String prompt, int nPredict, int warmup, int reps) {
        List<String> cmd = List.of(exe.toString(), NativeLibraryLocator.libraryPath().toString(), model.toString(),
                String.valueOf(s.threads()), String.valueOf(s.ctx()), String.valueOf(s.batch()),
                String.valueOf(s.gpuLayers()), String.valueOf(nPredict), String.valueOf(reps), String.valueOf(warmup), prompt);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            // Read the output beside the wait, not before it: a hung loop must still run into the timeout.
            java.util.concurrent.CompletableFuture<String> output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new RunFailedException("the C reference loop did not finish within " + TIMEOUT_MINUTES + " minutes; stopped it");
            }
            if (p.exitValue() != 0) {
                throw new RunFailedException("the C reference loop failed (exit " + p.exitValue() + ")");
            }
            String out;
            try {
                out = output.get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new RunFailedException("cannot read the C reference loop's output: " + e.getMessage(), e);
            }
            List<Rep> result = new ArrayList<>();
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 5) {
                    result.add(new Rep(Integer.parseInt(f[1]), Double.parseDouble(f[2]), Integer.parseInt(f[3]), Double.parseDouble(f[4])));
                }
            }
            return result;
        } catch (IOException e) {
            throw new RunFailedException("cannot run the C reference loop: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailedException("interrupted");
        }
    }
}
