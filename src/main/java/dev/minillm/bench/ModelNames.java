package dev.minillm.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Quantization and model family as spelled in GGUF file names ("qwen2.5-0.5b-instruct-q4_k_m.gguf"). */
public final class ModelNames {
    private static final Pattern QUANT = dev.minillm.gguf.LlamaFileType.FILE_NAME_TOKEN;

    private ModelNames() {
    }

    /** The upper-case variant named in the file name, or null. */
    public static String variantFromFileName(Path file) {
        Matcher m = QUANT.matcher(stem(file));
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last == null ? null : dev.minillm.gguf.LlamaFileType.normalize(last);
    }

    /** File name without ".gguf" and without the quantization suffix: the model family of a --model file. */
    public static String familyFromFileName(Path file) {
        String stem = stem(file);
        Matcher m = QUANT.matcher(stem);
        int start = -1;
        while (m.find()) {
            start = m.start(1);
        }
        String family = start >= 0 ? stem.substring(0, start) : stem;
        family = family.replaceAll("[-_.]+$", "");
        return family.isEmpty() ? stem : family;
    }

    /** A name safe as one path segment of results/raw. */
    public static String safeSegment(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._+-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
    }
}
