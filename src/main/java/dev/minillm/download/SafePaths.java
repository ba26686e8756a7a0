package dev.minillm.download;

import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Every name that ends up in a path comes from the manifest, never from the server, and must be
 * a single plain path component. On top of that the resolved path must stay inside the models
 * directory and no directory between the models directory and the file may be a symlink, so
 * neither a hostile manifest nor a planted link can make a download write elsewhere.
 */
public final class SafePaths {
    /** One path component: letters, digits, dot, dash, underscore, plus; not starting with a dot. */
    private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9_+\\-][A-Za-z0-9._+\\-]{0,199}");
    /** A Hugging Face repo id, "owner/name" or "datasets/owner/name". */
    private static final Pattern REPO = Pattern.compile("(datasets/)?[A-Za-z0-9_\\-][A-Za-z0-9._\\-]*/[A-Za-z0-9_\\-][A-Za-z0-9._\\-]*");
    /** A branch, tag or commit: no slashes, so it cannot change the URL's path structure. */
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9._\\-]{0,99}");

    private SafePaths() {
    }

    /** Checks that {@code name} is one safe path component; {@code what} names it in the error. */
    public static String component(String name, String what) {
        if (name == null || !COMPONENT.matcher(name).matches() || name.contains("..")) {
            throw new BadInputException(what + " '" + name + "' is not a plain file or directory name "
                    + "(letters, digits, . _ - + only; no '/', '..', leading dot or absolute path)");
        }
        return name;
    }

    public static String repo(String repo, String what) {
        if (repo == null || !REPO.matcher(repo).matches() || repo.contains("..")) {
            throw new BadInputException(what + " '" + repo + "' is not a Hugging Face repo id like owner/name");
        }
        return repo;
    }

    public static String revision(String revision, String what) {
        if (revision == null || !REVISION.matcher(revision).matches() || revision.contains("..")) {
            throw new BadInputException(what + " '" + revision + "' is not a branch, tag or commit id");
        }
        return revision;
    }

    /**
     * Resolves {@code root/dir/file} after validating both names, creates {@code root/dir}, and
     * refuses when that directory (or the file itself) is a symlink or resolves outside root.
     */
    public static Path target(Path root, String dir, String file) throws IOException {
        return target(root, dir, file, true);
    }

    /** As {@link #target(Path, String, String)}; with {@code create} false nothing is created on disk. */
    public static Path target(Path root, String dir, String file, boolean create) throws IOException {
        component(dir, "directory");
        component(file, "file name");
        Path rootAbs = root.toAbsolutePath().normalize();
        Path dirPath = rootAbs.resolve(dir);
        Path target = dirPath.resolve(file);
        if (!target.normalize().startsWith(rootAbs)) {
            throw new BadInputException(target + ": outside " + rootAbs);
        }
        if (Files.isSymbolicLink(dirPath)) {
            throw new BadInputException(dirPath + ": is a symlink; refusing to download through it");
        }
        if (create) {
            Files.createDirectories(dirPath);
        } else if (!Files.exists(dirPath, LinkOption.NOFOLLOW_LINKS)) {
            return target;
        }
        if (Files.isSymbolicLink(target)) {
            throw new BadInputException(target + ": is a symlink; refusing to overwrite it");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new BadInputException(target + ": exists and is not a regular file");
        }
        // The root itself may legitimately be a symlink (models -> /big/disk); what lies under it may not leave it.
        Path rootReal = rootAbs.toRealPath();
        Path dirReal = dirPath.toRealPath();
        if (!dirReal.startsWith(rootReal)) {
            throw new BadInputException(dirPath + ": resolves outside " + rootAbs);
        }
        return target;
    }
}
