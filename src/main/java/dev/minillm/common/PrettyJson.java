package dev.minillm.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one Jackson set-up for JSON that minillm writes for people and tools to read (cell results,
 * summaries, {@code --json} output, lock files): indented, otherwise Jackson's defaults. Reading
 * with it is fine too.
 */
public final class PrettyJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PrettyJson() {
    }

    /** The shared, thread-safe mapper; callers must not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
