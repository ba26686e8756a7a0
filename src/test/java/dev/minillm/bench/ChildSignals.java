package dev.minillm.bench;

import java.io.IOException;

/**
 * Makes a cell's child JVM fail from the outside, as the machine would: SIGKILL (the out-of-memory
 * killer), SIGSTOP (a hang). No fault hook in the code under test.
 */
public final class ChildSignals {
    private ChildSignals() {
    }

    /** Watches this JVM's descendants and signals the first cell child whose spec names {@code cell}. */
    public static Thread whenStarted(String cell, String signal) {
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                var child = ProcessHandle.current().descendants()
                        .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains("cell --spec")
                                && p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains(cell))
                        .findFirst();
                if (child.isPresent()) {
                    send(child.get(), signal);
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "signal-" + cell);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public static void send(ProcessHandle p, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
