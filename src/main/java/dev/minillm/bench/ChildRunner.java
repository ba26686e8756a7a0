package dev.minillm.bench;

import dev.minillm.results.CellRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one cell in a fresh JVM (same java, same classpath), so a native crash, a hang or memory
 * growth in one cell cannot touch the others or this process. The child writes its own result;
 * when it dies, hangs or writes nothing, the caller records a failure with the reason given here.
 */
public final class ChildRunner {
    private final Path logDir;
    private final boolean verbose;
    private final String mainClass;
    private final List<String> jvmArgs;

    public ChildRunner(Path logDir, boolean verbose) {
        this(logDir, verbose, "dev.minillm.cli.Main", List.of());
    }

    /**
     * @param mainClass the child's entry point, called as {@code <mainClass> cell --spec <file> --parent-pid <pid>}
     * @param jvmArgs   extra options for the child JVM
     */
    public ChildRunner(Path logDir, boolean verbose, String mainClass, List<String> jvmArgs) {
        this.logDir = logDir;
        this.verbose = verbose;
        this.mainClass = mainClass;
        this.jvmArgs = List.copyOf(jvmArgs);
    }

    /** How a child ended: its result document, or why there is none. */
    public record Outcome(CellRecord result, String failure) {
    }

    /** The command that starts {@code minillm cell --spec <specFile>} in a new JVM. */
    public List<String> command(Path specFile) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        // A small, predictable JVM: serial GC keeps its own threads and RSS out of the figures.
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:ErrorFile=" + logDir.toAbsolutePath().resolve("hs_err_pid%p.log"));
        if (Boolean.getBoolean("minillm.debug")) {
            cmd.add("-Dminillm.debug=true");
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.add("cell");
        cmd.add("--spec");
        cmd.add(specFile.toAbsolutePath().toString());
        cmd.add("--parent-pid");
        cmd.add(String.valueOf(ProcessHandle.current().pid()));
        return cmd;
    }

    public Outcome run(CellSpec spec, Path specFile, int timeoutSeconds, Consumer<String> phase) {
        Process p;
        try {
            Files.createDirectories(logDir);
            ProcessBuilder pb = new ProcessBuilder(command(specFile));
            pb.redirectOutput(verbose ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
            p = pb.start();
        } catch (IOException e) {
            return new Outcome(null, "cannot start the child JVM: " + e.getMessage());
        }
        String[] lastLine = {null};
        Thread reader = new Thread(() -> drain(p, phase, lastLine), "cell-stderr");
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted");
        }
        if (!finished) {
            kill(p);
            return new Outcome(null, "timed out after " + timeoutSeconds + " s (child JVM killed); raise --timeout");
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int code = p.exitValue();
        CellRecord doc = ResultStore.read(Path.of(spec.output().resultPath()));
        // A result left by an earlier run does not count: the child stamps its pid into its own.
        // A fresh one counts even if the JVM then failed on its way out: it was written whole.
        boolean fresh = doc != null && doc.harness() != null && Long.valueOf(p.pid()).equals(doc.harness().childPid());
        if (fresh) {
            return new Outcome(doc, null);
        }
        String last;
        synchronized (lastLine) {
            last = lastLine[0];
        }
        return new Outcome(null, describeExit(code, p.pid()) + (last != null ? ": " + last : ""));
    }

    private String describeExit(int code, long pid) {
        String text;
        if (code == 0) {
            text = "the child JVM exited without writing a result";
        } else if (code > 128 && code < 160) {
            text = "the child JVM died with exit code " + code + " (signal " + (code - 128) + signalName(code - 128) + ")";
        } else {
            text = "the child JVM failed with exit code " + code;
        }
        Path crashLog = logDir.resolve("hs_err_pid" + pid + ".log");
        if (Files.exists(crashLog)) {
            text += "; native crash log " + crashLog;
        }
        return text;
    }

    private static String signalName(int sig) {
        return switch (sig) {
            case 6 -> " SIGABRT, e.g. a native crash";
            case 9 -> " SIGKILL, e.g. the out-of-memory killer";
            case 11 -> " SIGSEGV";
            case 15 -> " SIGTERM";
            default -> "";
        };
    }

    private void drain(Process p, Consumer<String> phase, String[] lastLine) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String ph = StatusChannel.parse(line);
                if (ph != null) {
                    phase.accept(ph);
                    continue;
                }
                if (verbose) {
                    System.err.println(line);
                }
                String t = line.strip();
                if (!t.isEmpty()) {
                    synchronized (lastLine) {
                        lastLine[0] = t.startsWith("minillm: ") ? t.substring(9) : t;
                    }
                }
            }
        } catch (IOException ignored) {
            // the child is gone; whatever it said is in lastLine
        }
    }

    /** Kills the child and anything it started (forcibly: a hung native call ignores SIGTERM handlers). */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
