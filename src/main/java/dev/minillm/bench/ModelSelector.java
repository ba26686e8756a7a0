package dev.minillm.bench;

import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the model files of a run: the explicit --model files, or the GGUF files under the model
 * directory ({@code models/<model-id>/<file>.gguf}, family = {@code <model-id>}), filtered by
 * --quant. Every file is validated before it is returned.
 */
public final class ModelSelector {
    /** Directory under the model dir where the built-in synthetic family is cached; never scanned as a family. */
    public static final String SYNTHETIC_DIR = "synthetic";

    private ModelSelector() {
    }

    /** Validated candidates, in a stable order; empty when the model dir has none. */
    public static List<ModelCandidate> select(BenchConfig.Selection config) {
        List<ModelCandidate> out = new ArrayList<>();
        if (!config.models().isEmpty()) {
            for (Path file : config.models()) {
                ModelCandidate c = candidate(file, ModelNames.familyFromFileName(file), false);
                if (matches(c, config.quants())) {
                    out.add(c);
                }
            }
            if (out.isEmpty()) {
                throw new BadInputException("none of the --model files is of the quantization(s) " + String.join(", ", config.quants())
                        + "; they are: " + String.join(", ", config.models().stream()
                                .map(f -> f + " " + ModelCheck.check(f).fileType()).toList()));
            }
            return dedupe(out);
        }
        Path dir = config.modelDir();
        if (!Files.exists(dir)) {
            if (config.modelDirGiven()) {
                throw new BadInputException(dir + ": model directory not found");
            }
            return out;
        }
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + ": not a directory");
        }
        List<ModelCandidate> present = new ArrayList<>();
        for (Path file : ggufFilesUnder(dir)) {
            Path parent = file.getParent();
            String family = parent.equals(dir) ? ModelNames.familyFromFileName(file) : parent.getFileName().toString();
            ModelCandidate c = candidate(file, family, false);
            present.add(c);
            if (matches(c, config.quants())) {
                out.add(c);
            }
        }
        if (out.isEmpty() && !present.isEmpty()) {
            // Files are there, just none of the asked-for variants: say what is there instead of benchmarking something else.
            throw new BadInputException("no model of the quantization(s) " + String.join(", ", config.quants()) + " under " + dir
                    + "; present: " + String.join(", ", present.stream().map(c -> c.family() + " " + c.variant()
                            + " (" + dir.relativize(c.path()) + ")").toList()));
        }
        return dedupe(out);
    }

    /** GGUF files directly in {@code dir} or one level below, except the synthetic cache. */
    static List<Path> ggufFilesUnder(Path dir) {
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gguf"))
                    .filter(p -> !dir.relativize(p).startsWith(SYNTHETIC_DIR))
                    .filter(p -> !Files.isDirectory(p))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new BadInputException(dir + ": cannot list: " + e.getMessage());
        }
    }

    static ModelCandidate candidate(Path file, String family, boolean synthetic) {
        ModelCheck.Checked checked = ModelCheck.check(file);
        return new ModelCandidate(ModelNames.safeSegment(family), checked.fileType(), file, checked.architecture(),
                synthetic || checked.synthetic(), checked.nParams(), checked.fileSizeBytes(), checked.bitsPerWeight());
    }

    static boolean matches(ModelCandidate c, Set<String> quants) {
        return quants.isEmpty() || quants.contains(c.variant());
    }

    /** Two files of the same family and variant would write the same result file: keep the first, say so. */
    private static List<ModelCandidate> dedupe(List<ModelCandidate> in) {
        Map<String, ModelCandidate> seen = new LinkedHashMap<>();
        for (ModelCandidate c : in) {
            String key = c.family() + "/" + c.variant();
            ModelCandidate prev = seen.putIfAbsent(key, c);
            if (prev != null && !prev.path().equals(c.path())) {
                dev.minillm.common.Progress.info("" + c.path() + " is " + key + " like " + prev.path() + "; benchmarking the first only");
            }
        }
        return new ArrayList<>(seen.values());
    }
}
