package dev.minillm.engine;

import dev.minillm.common.BadInputException;
import dev.minillm.nativelib.MinillmJni;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@code --engine} values: "bundled" (the default, zero set-up), "native" (the build of
 * scripts/build-native.sh, found beside the jar in native/&lt;variant&gt;/) or a folder holding a
 * native build. A process loads at most one native library.
 */
public final class Engines {
    public static final String DEFAULT = BundledEngine.SPEC;
    public static final String NATIVE = "native";
    /** Build variants in the order "native" prefers them: a GPU build over a CPU one. */
    public static final List<String> VARIANTS = List.of("cuda", "metal", "vulkan", "cpu", "cpu-portable", "blas", "vulkan-prebuilt");
    /** Overrides where "native" is looked for (a build folder). */
    public static final String DIR_ENV = "MINILLM_NATIVE_DIR";
    private static final Map<String, Engine> OPEN = new ConcurrentHashMap<>();

    private Engines() {
    }

    /** Splits and checks a comma list ("bundled,native"); duplicates are dropped, order kept. */
    public static List<String> parseList(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of(DEFAULT);
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String raw : csv.split(",")) {
            String s = raw.trim();
            if (s.isEmpty()) {
                throw new BadInputException("--engine '" + csv + "': empty entry in the list");
            }
            checkSyntax(s);
            out.add(s);
        }
        return List.copyOf(out);
    }

    private static void checkSyntax(String spec) {
        if (spec.equals(DEFAULT) || spec.equals(NATIVE)) {
            return;
        }
        Path p = Path.of(spec);
        if (!Files.isDirectory(p)) {
            throw new BadInputException("--engine " + spec + ": not 'bundled', 'native' or an existing native build folder");
        }
    }

    /** The engine for a spec, loaded once per process. */
    public static Engine get(String spec, boolean verbose) {
        String s = spec == null ? DEFAULT : spec;
        checkSyntax(s);
        return OPEN.computeIfAbsent(s, k -> k.equals(DEFAULT) ? new BundledEngine() : new NativeEngine(k, nativeDir(k), verbose));
    }

    /** The folder a native spec names: itself, or for "native" the first build found. */
    public static Path nativeDir(String spec) {
        if (!spec.equals(NATIVE)) {
            return Path.of(spec).toAbsolutePath().normalize();
        }
        List<Path> looked = new ArrayList<>();
        String env = System.getenv(DIR_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        for (Path root : searchRoots()) {
            for (String v : VARIANTS) {
                Path d = root.resolve(v);
                if (Files.isRegularFile(d.resolve(MinillmJni.libraryFileName()))) {
                    return d.toAbsolutePath().normalize();
                }
            }
            looked.add(root);
        }
        throw new BadInputException("--engine native: no native engine build found (looked in "
                + String.join(", ", looked.stream().map(p -> p + "/<variant>").toList())
                + "); build it with: bash scripts/build-native.sh");
    }

    /** target/native beside the jar (or beside target/classes when run from the build tree), then ./target/native. */
    static List<Path> searchRoots() {
        LinkedHashSet<Path> roots = new LinkedHashSet<>();
        try {
            Path code = Path.of(Engines.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(code) ? code.getParent() : code.getParent();
            if (dir != null) {
                roots.add(dir.resolve("native").toAbsolutePath().normalize());
            }
        } catch (Exception ignored) {
            // no code source (unusual class loader): only the working directory is searched
        }
        roots.add(Path.of("target", "native").toAbsolutePath().normalize());
        return List.copyOf(roots);
    }

    /**
     * Opens a session after the pure-Java checks: the file is a well-formed GGUF and the engine
     * knows its architecture (else one line naming the file and the reason, exit 2).
     */
    public static Session open(Engine engine, Path model, EngineSettings settings) {
        return open(engine, model, settings, 1);
    }

    /** As {@link #open(Engine, Path, EngineSettings)} with room for {@code maxSequences} KV sequences. */
    public static Session open(Engine engine, Path model, EngineSettings settings, int maxSequences) {
        String arch = dev.minillm.gguf.GgufFile.openValidated(model).info().architecture();
        String refusal = engine.refusal(arch);
        if (refusal != null) {
            throw new BadInputException(model + ": " + refusal);
        }
        return engine.open(model, settings, maxSequences);
    }

    /** Short name for cell ids and file names: "bundled", "native" or "native-<folder name>". */
    public static String idSegment(String spec) {
        if (spec == null || spec.equals(DEFAULT)) {
            return DEFAULT;
        }
        if (spec.equals(NATIVE)) {
            return NATIVE;
        }
        Path p = Path.of(spec).getFileName();
        return "native-" + (p == null ? "dir" : p.toString().replaceAll("[^A-Za-z0-9._-]", "_"));
    }
}
