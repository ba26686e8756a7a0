package dev.minillm.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The overhead benchmark runs all three loops on a real model and reports ratios against C. */
class CalibrateCommandTest {
    static final String STORIES = dev.minillm.TestModel.STORIES.toString();

    @Test
    void comparesTheProjectLoopWithThePlainCLoopAndTheWrapper() {
        CliRun r = CliRun.of("calibrate", "--model", STORIES, "--threads", "1", "--n-predict", "32",
                "--repetitions", "2", "--warmup", "1", "--rounds", "1");
        assertEquals(0, r.code(), r.err());
        double c = decodeMedian(r.out(), "plain C loop (same library)");
        double project = decodeMedian(r.out(), "minillm decode loop (JNA)");
        double wrapper = decodeMedian(r.out(), "java-llama.cpp streaming API (wrapper's figure)");
        assertTrue(c > 100 && project > 100 && wrapper > 10, r.out());
        // Both loops decode the same tiny model with one thread: same order of magnitude, whatever the load.
        assertTrue(project / c > 0.3 && project / c < 3, r.out());
        Matcher m = Pattern.compile("project / C \\(ratio of medians\\): prompt ([0-9.]+), decode ([0-9.]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(project / c, Double.parseDouble(m.group(2)), 0.0015);
    }

    @Test
    void missingModelIsBadInput() {
        CliRun r = CliRun.of("calibrate", "--model", "no-such-model.gguf");
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("no-such-model.gguf"), r.err());
    }

    private static double decodeMedian(String table, String rowName) {
        Matcher m = Pattern.compile("\\| " + Pattern.quote(rowName) + " \\| [^|]+ \\| ([0-9.]+) \\(median").matcher(table);
        assertTrue(m.find(), "no decode figure for " + rowName + " in\n" + table);
        return Double.parseDouble(m.group(1));
    }
}
