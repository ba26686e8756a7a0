package dev.minillm.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The child JVM's progress reports to the parent: lines on stderr starting with {@link #PREFIX},
 * which the parent shows as the current phase and does not treat as error output. Code running
 * in the child may also {@link #listen} to the phases.
 */
public final class StatusChannel {
    public static final String PREFIX = "@@minillm-phase ";
    private static final List<Consumer<String>> LISTENERS = new CopyOnWriteArrayList<>();

    private StatusChannel() {
    }

    public static void phase(String text) {
        System.err.println(PREFIX + text);
        System.err.flush();
        LISTENERS.forEach(l -> l.accept(text));
    }

    /** Calls {@code listener} with every phase this JVM enters from now on. */
    public static void listen(Consumer<String> listener) {
        LISTENERS.add(listener);
    }

    /** The phase text of a status line, or null for any other line. */
    public static String parse(String line) {
        return line.startsWith(PREFIX) ? line.substring(PREFIX.length()) : null;
    }
}
