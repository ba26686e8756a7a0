package dev.minillm.gguf;

import dev.minillm.common.BadInputException;

/** A GGUF file that is malformed or not loadable; the message is one line "file: reason". */
public class GgufFormatException extends BadInputException {
    public GgufFormatException(String message) {
        super(message);
    }
}
