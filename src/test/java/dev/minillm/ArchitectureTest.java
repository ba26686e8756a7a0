package dev.minillm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's architecture table says which package uses which; the sources must agree. */
class ArchitectureTest {
    static final Path SOURCES = Path.of("src/main/java/dev/minillm");
    /** A use of another package (or one of its subpackages): an import or a fully qualified name (a class name starts upper-case). */
    static final Pattern USE = Pattern.compile("\\bdev\\.minillm\\.([a-z]+)(?:\\.[a-z]+)*\\.[A-Z]");
    static final Pattern ROW = Pattern.compile("^\\| `([a-z]+)` \\| [^|]+ \\| ([^|]+) \\|$");

    @Test
    void theReadmeTableListsExactlyThePackagesEachPackageUses() throws IOException {
        Map<String, Set<String>> actual = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(f).getName(0).toString();
                Set<String> uses = actual.computeIfAbsent(pkg, k -> new TreeSet<>());
                String text = Files.readString(f);
                Matcher m = USE.matcher(text);
                while (m.find()) {
                    // A class named in a string (the child JVM's main class) is started, not used by the code.
                    boolean quoted = m.start() > 0 && text.charAt(m.start() - 1) == '"';
                    if (!m.group(1).equals(pkg) && !quoted) {
                        uses.add(m.group(1));
                    }
                }
            }
        }
        Map<String, Set<String>> documented = new TreeMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Architecture");
            }
            Matcher m = ROW.matcher(line.strip());
            if (!inSection) {
                continue;
            }
            if (m.matches()) {
                Set<String> uses = new TreeSet<>();
                for (String u : m.group(2).split(",")) {
                    if (!u.isBlank() && !u.strip().equals("–")) {
                        uses.add(u.strip());
                    }
                }
                documented.put(m.group(1), uses);
            }
        }
        assertFalse(documented.isEmpty(), "README.md has no architecture table");
        assertEquals(actual, documented, "README.md's architecture table (## Architecture) must list what each package uses");
    }
}
