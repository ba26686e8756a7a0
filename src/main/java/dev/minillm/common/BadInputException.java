package dev.minillm.common;

/**
 * Raised for input a person can fix (missing file, corrupt GGUF, bad option value).
 * The CLI prints the message as one line and exits with code 2, never a stack trace.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
