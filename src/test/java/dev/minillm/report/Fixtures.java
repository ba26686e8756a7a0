package dev.minillm.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Test helpers: copy the hand-made fixture sets into a temp dir and craft variants of a cell. */
public final class Fixtures {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final Path ROOT = Path.of("src/test/resources/fixtures");
    public static final Path REALISTIC = ROOT.resolve("realistic");
    static final Path SYNTHETIC = ROOT.resolve("synthetic");
    static final String REAL_MODEL = "qwen2.5-0.5b";

    private Fixtures() {
    }

    /** Copies a fixture results directory (with its raw/ tree) to {@code target}. */
    public static Path copy(Path fixtureSet, Path target) {
        try (Stream<Path> walk = Files.walk(fixtureSet)) {
            for (Path p : walk.toList()) {
                Path dest = target.resolve(fixtureSet.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The realistic fixture cell file of a variant/backend. */
    static Path realCell(String variantBackend) {
        return REALISTIC.resolve("raw").resolve(REAL_MODEL).resolve(variantBackend + ".json");
    }

    public static ObjectNode read(Path file) {
        try {
            return (ObjectNode) MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, ObjectNode json) {
        try {
            Files.createDirectories(file.getParent());
            MAPPER.writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a cell file, applies an edit to its JSON, writes it to {@code target} and parses it back. */
    static CellResult crafted(Path source, Path target, Consumer<ObjectNode> edit) {
        ObjectNode json = read(source);
        edit.accept(json);
        write(target, json);
        return CellReader.readFile(target);
    }

    static ObjectNode metric(ObjectNode cell, String name) {
        return (ObjectNode) cell.get("metrics").get(name);
    }

    static double mean(Path cellFile, String metric) {
        return read(cellFile).get("metrics").get(metric).get("mean").asDouble();
    }
}
