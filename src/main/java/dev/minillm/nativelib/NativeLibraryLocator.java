package dev.minillm.nativelib;

import dev.minillm.common.RunFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Puts java-llama.cpp's bundled native library at a stable, content-addressed path and tells
 * java-llama.cpp to load it from there ({@code de.kherud.llama.lib.path}). java-llama.cpp's own
 * loader extracts into the temp dir and deletes other processes' copies on start-up, which would
 * race with parallel bench children; with one fixed path, JNA and JNI share the very same
 * loaded library (dlopen of one path yields one handle).
 */
public final class NativeLibraryLocator {
    private static Path resolved;

    private NativeLibraryLocator() {
    }

    /**
     * The bundled library opened for JNA with local symbol scope. JNA's default (RTLD_GLOBAL)
     * would put b4916's llama_* and ggml_* symbols ahead of every later library's own, so the
     * native engine's libllama, loaded into the same process, would call into b4916.
     */
    public static synchronized com.sun.jna.NativeLibrary open() {
        boolean mac = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
        int rtldLazy = 1;
        int rtldLocal = mac ? 4 : 0;
        return com.sun.jna.NativeLibrary.getInstance(libraryPath().toString(),
                java.util.Map.of(com.sun.jna.Library.OPTION_OPEN_FLAGS, rtldLazy | rtldLocal));
    }

    public static synchronized Path libraryPath() {
        if (resolved != null) {
            return resolved;
        }
        String folder = nativeFolder();
        String libName = System.mapLibraryName("jllama");
        String resource = "de/kherud/llama/" + folder + "/" + libName;
        try {
            byte[] bytes;
            try (InputStream in = NativeLibraryLocator.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new RunFailedException("no bundled llama.cpp library for " + folder + " (" + resource + ")");
                }
                bytes = in.readAllBytes();
            }
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
            Path dir = cacheRoot().resolve("native").resolve(hash);
            Files.createDirectories(dir);
            Path lib = dir.resolve(libName);
            if (!Files.exists(lib) || Files.size(lib) != bytes.length) {
                Path tmp = Files.createTempFile(dir, libName, ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            copyCompanion(folder, "ggml-metal.metal", dir);
            System.setProperty("de.kherud.llama.lib.path", dir.toString());
            resolved = lib;
            return lib;
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new RunFailedException("cannot extract the llama.cpp native library: " + e.getMessage(), e);
        }
    }

    private static void copyCompanion(String folder, String name, Path dir) throws IOException {
        try (InputStream in = NativeLibraryLocator.class.getClassLoader()
                .getResourceAsStream("de/kherud/llama/" + folder + "/" + name)) {
            if (in != null && !Files.exists(dir.resolve(name))) {
                Path tmp = Files.createTempFile(dir, name, ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** ~/.cache/minillm unless MINILLM_CACHE is set (tests and read-only homes). */
    public static Path cacheRoot() {
        String env = System.getenv("MINILLM_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("minillm");
    }

    static String nativeFolder() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i686" -> "x86";
            default -> arch;
        };
        if (os.contains("mac") || os.contains("darwin")) {
            return "Mac/" + a;
        }
        if (os.contains("win")) {
            return "Windows/" + a;
        }
        return "Linux/" + a;
    }
}
