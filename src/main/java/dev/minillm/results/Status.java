package dev.minillm.results;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a cell ended. */
public enum Status {
    OK, FAILED, SKIPPED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Status parse(String text) {
        return text == null ? OK : valueOf(text.strip().toUpperCase(Locale.ROOT));
    }
}
