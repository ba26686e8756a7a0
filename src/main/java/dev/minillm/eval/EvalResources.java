package dev.minillm.eval;

import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation inputs: a file the user names, else the project's file under prompts/ in the
 * working directory, else the copy packaged in the jar — so the jar works from any directory.
 */
public final class EvalResources {
    public static final String EVAL_TEXT = "prompts/eval.txt";
    public static final String QUESTIONS = "prompts/hallucination.jsonl";
    public static final String PROMPTS = "prompts/prompts.txt";

    private EvalResources() {
    }

    /** Loaded text and where it came from (a path, or "jar:prompts/..." for the packaged copy). */
    public record Loaded(String text, String source) {
    }

    /** Reads {@code file}, or the default {@code defaultName} when {@code file} is null. */
    public static Loaded text(Path file, String defaultName) {
        Path p = file != null ? file : Path.of(defaultName);
        if (file != null || Files.isRegularFile(p)) {
            try {
                return new Loaded(Files.readString(p, StandardCharsets.UTF_8), p.toString());
            } catch (NoSuchFileException e) {
                throw new BadInputException(p + ": no such file");
            } catch (java.nio.charset.MalformedInputException e) {
                throw new BadInputException(p + ": not UTF-8 text");
            } catch (IOException e) {
                throw new BadInputException(p + ": cannot read: " + e.getMessage());
            }
        }
        try (InputStream in = EvalResources.class.getResourceAsStream("/" + defaultName)) {
            if (in == null) {
                return null;
            }
            return new Loaded(new String(in.readAllBytes(), StandardCharsets.UTF_8), "jar:" + defaultName);
        } catch (IOException e) {
            throw new BadInputException("cannot read the packaged " + defaultName + ": " + e.getMessage());
        }
    }

    /**
     * The prompt set of bench cells and of eval's greedy agreement: {@code file}, else
     * {@value #PROMPTS} of the working directory, else the copy packed in the jar.
     */
    public static Loaded prompts(Path file) {
        Loaded l = text(file, PROMPTS);
        if (l == null) {
            throw new IllegalStateException(PROMPTS + " is missing from the jar");
        }
        return l;
    }

    /** The entries of a prompt file: one per non-empty line; lines starting with '#' are comments. */
    public static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                out.add(s);
            }
        }
        return out;
    }
}
