package dev.minillm.report;

import dev.minillm.common.BadInputException;
import dev.minillm.results.Cell;
import dev.minillm.results.CellRecord;
import dev.minillm.results.CellRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads cell result JSON files (results/raw/**.json). Tolerant: unknown fields are ignored and
 * missing optional parts read as null; a file that is not valid JSON or not a cell result is
 * skipped and reported as one line naming the file.
 */
public final class CellReader {
    /**
     * Cells read plus one line per file that could not be used, and the same files as audit
     * findings: a result that cannot be read is a finding wherever results are read.
     */
    public record Loaded(List<CellResult> cells, List<String> problems, List<AuditFlag> unreadable) {
    }

    private CellReader() {
    }

    /**
     * Reads every cell under each results directory: {@code <dir>/raw/**.json} when a raw
     * sub-directory exists, otherwise {@code <dir>/**.json}.
     */
    public static Loaded readAll(List<Path> resultsDirs) {
        List<CellResult> cells = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<AuditFlag> unreadable = new ArrayList<>();
        for (Path dir : resultsDirs) {
            if (!Files.isDirectory(dir)) {
                throw new BadInputException(dir + ": results directory not found");
            }
            Path raw = dir.resolve("raw");
            boolean hasRaw = Files.isDirectory(raw);
            Path root = hasRaw ? raw : dir;
            for (Path file : jsonFiles(root)) {
                // without raw/, the default report output (tables/) sits in the scanned tree: not cells
                if (!hasRaw && dir.relativize(file).startsWith("tables")) {
                    continue;
                }
                try {
                    cells.add(readFile(file));
                } catch (BadInputException e) {
                    problems.add(e.getMessage());
                    String prefix = file + ": ";
                    String why = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
                    unreadable.add(new AuditFlag(file.toString(), file, AuditRule.UNREADABLE_RESULT, null,
                            why + "; not in the tables (re-run bench to measure the cell again)"));
                }
            }
        }
        return new Loaded(cells, problems, unreadable);
    }

    private static List<Path> jsonFiles(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    // temp files of an atomic write in progress start with a dot
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new BadInputException(root + ": cannot list results: " + e.getMessage());
        }
    }

    /** Reads one cell file; throws BadInputException with a one-line message naming the file. */
    public static CellResult readFile(Path file) {
        CellRecord r = CellRecords.read(file);
        String fileName = file.getFileName().toString().replaceFirst("\\.json$", "");
        String[] nameParts = fileName.split("__");
        Cell cell = r.cell();
        String id = cell.id();
        String model = cell.model();
        if (model == null) {
            model = id != null && id.contains("/") ? id.substring(0, id.indexOf('/'))
                    : file.getParent() == null ? "model" : file.getParent().getFileName().toString();
        }
        String variant = cell.variant() != null ? cell.variant() : nameParts[0];
        // a gpu cell's placement (gpu-ngl8, gpu-rpc...) is a column of its own beside the cpu cell
        String backend = cell.backend() != null ? cell.backendColumn() : nameParts.length > 1 ? nameParts[1] : "cpu";
        // Cells of another engine than the bundled one are their own columns and ratio groups:
        // "cpu native" is compared with "cpu native" only, never mixed with bundled figures.
        if (!cell.engineOrBundled().equals(Cell.BUNDLED)) {
            backend = backend + " " + cell.engineOrBundled();
        }
        return new CellResult(file, r, model, variant, backend, settingsTag(id, nameParts));
    }

    /** The settings tag is the third "__" part of the cell id's file-name part, else of the file name. */
    private static String settingsTag(String id, String[] nameParts) {
        if (id != null) {
            String last = id.contains("/") ? id.substring(id.lastIndexOf('/') + 1) : id;
            String[] parts = last.split("__");
            return parts.length > 2 ? parts[2] : null;
        }
        return nameParts.length > 2 ? nameParts[2] : null;
    }
}
