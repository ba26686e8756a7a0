package dev.minillm.report;

import dev.minillm.common.RunFailedException;

/**
 * The report set could not be written (nothing of it was left behind); carries the comparison
 * table that was computed, so a command can still print it.
 */
public final class ReportNotWrittenException extends RunFailedException {
    private final String markdown;

    public ReportNotWrittenException(String message, String markdown, Throwable cause) {
        super(message, cause);
        this.markdown = markdown;
    }

    public String markdown() {
        return markdown;
    }
}
