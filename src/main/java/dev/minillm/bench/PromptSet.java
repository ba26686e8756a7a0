package dev.minillm.bench;

import dev.minillm.common.BadInputException;
import dev.minillm.eval.EvalResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The prompts every cell generates from: one per line of a text file, blank lines and '#' comment
 * lines ignored. Loading and parsing are {@link EvalResources}'s, the one prompt loader that
 * 'eval' uses too, so a prompt file means the same to both.
 */
public record PromptSet(String source, List<String> prompts, boolean isDefault) {
    public static final String DEFAULT_FILE = EvalResources.PROMPTS;

    /**
     * {@code file} null means the default set: {@value #DEFAULT_FILE} in the working directory if it
     * exists, else the copy inside the jar, so the jar works from any directory.
     */
    public static PromptSet load(Path file) {
        if (file != null && Files.isDirectory(file)) {
            throw new BadInputException(file + ": prompt file is not a regular file");
        }
        EvalResources.Loaded loaded = EvalResources.prompts(file);
        List<String> prompts = EvalResources.lines(loaded.text());
        if (prompts.isEmpty()) {
            throw new BadInputException(loaded.source() + ": prompt file has no prompts (one per line expected)");
        }
        return new PromptSet(loaded.source(), prompts, file == null);
    }

    /** SHA-256 of the prompts as the cells see them (one per line), so any edit is a different set. */
    public String sha256() {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", prompts).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Short content tag for file names, so that results from different prompt sets never share a file. */
    public String contentTag() {
        return sha256().substring(0, 8);
    }
}
