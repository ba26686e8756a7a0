package dev.minillm.bench;

/**
 * The child JVM's progress reports to the parent: lines on stderr starting with {@link #PREFIX},
 * which the parent shows as the current phase and does not treat as error output.
 */
public final class StatusChannel {
    public static final String PREFIX = "@@minillm-phase ";

    private StatusChannel() {
    }

    public static void phase(String text) {
        System.err.println(PREFIX + text);
        System.err.flush();
    }

    /** The phase text of a status line, or null for any other line. */
    public static String parse(String line) {
        return line.startsWith(PREFIX) ? line.substring(PREFIX.length()) : null;
    }
}
