package dev.minillm.common;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedDirectoryTest {
    @TempDir
    Path tmp;

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void anUncommittedSetLeavesNothingBehind() throws IOException {
        Path target = tmp.resolve("tables");
        try (StagedDirectory s = StagedDirectory.beside(target)) {
            AtomicFiles.writeString(s.path().resolve("a.md"), "half of a report");
        }
        assertEquals(List.of(), names(tmp), "neither the target nor the staging directory");
    }

    @Test
    void anEarlierSetIsReplacedWholeAndForeignFilesAreKept() throws IOException {
        Path target = tmp.resolve("tables");
        Files.createDirectories(target.resolve("charts"));
        Files.writeString(target.resolve("a.md"), "old");
        Files.writeString(target.resolve("charts/gone.svg"), "a chart of a table that no longer exists");
        try (StagedDirectory s = StagedDirectory.beside(target)) {
            AtomicFiles.writeString(s.path().resolve("a.md"), "new");
            AtomicFiles.writeString(s.path().resolve("charts/kept.svg"), "svg");
            s.commit(Set.of("a.md", "charts"));
        }
        assertEquals("new", Files.readString(target.resolve("a.md")));
        assertEquals(List.of("kept.svg"), names(target.resolve("charts")), "the old set went as a whole");
        assertEquals(List.of("tables"), names(tmp), "no staging or old copy left");

        Files.writeString(target.resolve("notes.txt"), "the user's own file");
        try (StagedDirectory s = StagedDirectory.beside(target)) {
            AtomicFiles.writeString(s.path().resolve("a.md"), "newer");
            s.commit(Set.of("a.md", "charts"));
        }
        assertEquals("newer", Files.readString(target.resolve("a.md")));
        assertEquals("the user's own file", Files.readString(target.resolve("notes.txt")), "a directory with other files keeps them");
        assertEquals(List.of("kept.svg"), names(target.resolve("charts")));
        assertEquals(List.of("tables"), names(tmp));
    }
}
