package dev.minillm.bench;

import dev.minillm.common.BadInputException;
import dev.minillm.common.RunFailedException;
import dev.minillm.results.CellRecord;
import dev.minillm.results.CellRecords;
import dev.minillm.results.Settings;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One JSON file per cell under {@code <out>/raw/<model>/<variant>__<backend>[__<settings>].json},
 * each written atomically, so a run killed at any moment loses only the cell in flight.
 */
public final class ResultStore {
    private final Path out;

    public ResultStore(Path out) {
        this.out = out;
    }

    public Path root() {
        return out;
    }

    public Path rawDir() {
        return out.resolve("raw");
    }

    public Path cellFile(String model, String variant, String backend, String settingsTag) {
        String name = ModelNames.safeSegment(variant) + "__" + backend
                + (settingsTag == null || settingsTag.isEmpty() ? "" : "__" + settingsTag) + ".json";
        return rawDir().resolve(ModelNames.safeSegment(model)).resolve(name);
    }

    /** The stored result, or null when there is none or it is unreadable. */
    public static CellRecord read(Path file) {
        return CellRecords.readOrNull(file);
    }

    /** Why a file that exists cannot be used as a result ("file: reason"), or null when it is readable or absent. */
    public static String unreadable(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            CellRecords.read(file);
            return null;
        } catch (BadInputException e) {
            return e.getMessage();
        }
    }

    /** True when the file holds a readable result with status ok. */
    public static boolean isOk(Path file) {
        CellRecord r = read(file);
        return r != null && r.ok();
    }

    /**
     * Whether a stored result can stand for the planned cell: {@code why} says what differs when
     * it cannot (null when there is nothing stored).
     */
    public record Reuse(boolean reusable, String why) {
    }

    /**
     * A stored result is reused only when it is ok, of this schema, measured on the same model file
     * (path and size) by the same engine, with every setting equal (prompt-set hash, repetitions and
     * warmup included).
     */
    public static Reuse reuse(Path file, CellSpec spec) {
        CellRecord r = read(file);
        if (r == null) {
            return new Reuse(false, null);
        }
        if (!r.ok()) {
            return new Reuse(false, "the stored result is " + r.status().json());
        }
        if (r.cell() == null || !spec.modelPath().equals(r.cell().modelPath())) {
            return new Reuse(false, "it was measured on another model file");
        }
        if (spec.measure().engine() != null && !spec.measure().engine().sameBuild(r.engine())) {
            return new Reuse(false, "it was measured by another engine ("
                    + (r.engine() == null ? "not recorded" : r.engine().label()) + ")");
        }
        List<String> diff = differences(r.settings(), spec.settings());
        if (!diff.isEmpty()) {
            return new Reuse(false, "settings changed: " + String.join(", ", diff));
        }
        try {
            Long size = r.modelInfo() == null ? null : r.modelInfo().fileSizeBytes();
            if (size == null || size != Files.size(Path.of(spec.modelPath()))) {
                return new Reuse(false, "the model file changed size");
            }
        } catch (IOException e) {
            return new Reuse(false, "the model file cannot be read");
        }
        return new Reuse(true, null);
    }

    public static boolean isDone(Path file, CellSpec spec) {
        return reuse(file, spec).reusable();
    }

    /** "repetitions 3 -> 5" for each setting that differs. */
    static List<String> differences(Settings stored, Settings planned) {
        List<String> out = new ArrayList<>();
        if (stored == null) {
            out.add("none recorded");
            return out;
        }
        for (RecordComponent c : Settings.class.getRecordComponents()) {
            try {
                Object a = c.getAccessor().invoke(stored);
                Object b = c.getAccessor().invoke(planned);
                if (!Objects.equals(a, b)) {
                    out.add(c.getName() + " " + a + " -> " + b);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    public static void write(Path file, CellRecord r) {
        try {
            CellRecords.write(file, r);
        } catch (IOException e) {
            throw new RunFailedException(file + ": cannot write the result: " + e.getMessage(), e);
        }
    }
}
