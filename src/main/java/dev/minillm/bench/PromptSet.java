package dev.minillm.bench;

import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The prompts every cell generates from: one per line of a text file, blank lines ignored. */
public record PromptSet(String source, List<String> prompts, boolean isDefault) {
    public static final String DEFAULT_FILE = "prompts/prompts.txt";
    private static final String RESOURCE = "/prompts/prompts.txt";

    /**
     * {@code file} null means the default set: {@value #DEFAULT_FILE} in the working directory if it
     * exists, else the copy inside the jar, so the jar works from any directory.
     */
    public static PromptSet load(Path file) {
        if (file == null) {
            Path local = Path.of(DEFAULT_FILE);
            if (Files.isRegularFile(local)) {
                return new PromptSet(DEFAULT_FILE, read(local), true);
            }
            try (InputStream in = PromptSet.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("default prompt set missing from the jar");
                }
                return new PromptSet("(built-in) " + DEFAULT_FILE, parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)), true);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the built-in prompt set", e);
            }
        }
        if (!Files.exists(file)) {
            throw new BadInputException(file + ": prompt file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": prompt file is not a regular file");
        }
        List<String> prompts = read(file);
        if (prompts.isEmpty()) {
            throw new BadInputException(file + ": prompt file has no prompts (one per line expected)");
        }
        return new PromptSet(file.toString(), prompts, false);
    }

    private static List<String> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInputException(file + ": prompt file is not UTF-8 text");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read prompt file: " + e.getMessage());
        }
    }

    static List<String> parse(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String p = line.strip();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
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
