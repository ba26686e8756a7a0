package dev.minillm.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Silences native writes to stderr (fd 2) for a stretch of code. java-llama.cpp's server layer
 * prints its log straight to stderr regardless of the logger set through its API, which would
 * bury minillm's progress lines; llama.cpp's own log goes through llama_log_set instead.
 */
public final class NativeStderr {
    private interface LibC extends Library {
        int dup(int fd);

        int dup2(int oldFd, int newFd);

        int open(String path, int flags);

        int close(int fd);
    }

    private static final LibC LIBC = Platform.isWindows() ? null : Native.load("c", LibC.class);

    private NativeStderr() {
    }

    /** Runs {@code body} with fd 2 pointing at /dev/null, unless {@code keep} or on Windows. */
    public static <T> T silenced(boolean keep, java.util.function.Supplier<T> body) {
        if (keep || LIBC == null) {
            return body.get();
        }
        System.err.flush();
        int saved = LIBC.dup(2);
        int devNull = LIBC.open("/dev/null", 1);
        if (saved < 0 || devNull < 0) {
            return body.get();
        }
        LIBC.dup2(devNull, 2);
        LIBC.close(devNull);
        try {
            return body.get();
        } finally {
            System.err.flush();
            LIBC.dup2(saved, 2);
            LIBC.close(saved);
        }
    }
}
