package dev.minillm.cli;

import dev.minillm.common.BadInputException;

/** Range checks of numeric options: a value out of range is bad input (one line, exit 2). */
final class Args {
    private Args() {
    }

    static int atLeast(String option, int value, int min) {
        if (value < min) {
            throw new BadInputException(option + " must be at least " + min + ", not " + value);
        }
        return value;
    }

    static int positive(String option, int value) {
        return atLeast(option, value, 1);
    }
}
