package dev.minillm.common;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A set of files written into a hidden sibling directory of the target and renamed into place
 * only once all of them are complete, so a failure half-way (a full disk) leaves no partial set:
 * readers see the old set or the new one. The sibling is on the target's file system, so the
 * renames need no space. Not committed, {@link #close()} removes everything written.
 */
public final class StagedDirectory implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private boolean committed;

    private StagedDirectory(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /** Creates the staging directory beside {@code target} (its parent is created if missing). */
    public static StagedDirectory beside(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
        if (staging.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // temp directories are owner-only; the report is an ordinary directory once in place
            Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return new StagedDirectory(abs, staging);
    }

    /** Where to write the files (the same relative layout they will have under the target). */
    public Path path() {
        return staging;
    }

    /**
     * Moves the staged files into the target. When the target is absent or holds only names in
     * {@code owned} (an earlier set), the whole directory is swapped, so files the new set no
     * longer has (charts of a table that is gone) disappear with the old set. A target holding
     * anything else keeps it: then each staged file replaces its namesake, one rename each.
     */
    public void commit(Set<String> owned) throws IOException {
        if (!Files.exists(target)) {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } else if (Files.isDirectory(target) && onlyOwned(target, owned)) {
            Path old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                throw e;
            }
            deleteTree(old);
        } else {
            mergeInto(staging, target);
            deleteTree(staging);
        }
        committed = true;
    }

    private static boolean onlyOwned(Path dir, Set<String> owned) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!owned.contains(p.getFileName().toString())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void mergeInto(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(from)) {
            s.forEach(entries::add);
        }
        for (Path p : entries) {
            Path dest = to.resolve(p.getFileName().toString());
            if (Files.isDirectory(p)) {
                mergeInto(p, dest);
            } else {
                AtomicFiles.moveIntoPlace(p, dest);
            }
        }
    }

    /** The names directly under the staging directory (what the set consists of). */
    public Set<String> stagedNames() throws IOException {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(staging)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                deleteTree(staging);
            } catch (IOException e) {
                Progress.info("minillm: warning: cannot remove the unfinished " + staging + ": " + e.getMessage());
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
