package dev.minillm.common;

/** A run that could not complete for a reason outside the input (network, native failure): exit code 1. */
public class RunFailedException extends RuntimeException {
    public RunFailedException(String message) {
        super(message);
    }

    public RunFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
