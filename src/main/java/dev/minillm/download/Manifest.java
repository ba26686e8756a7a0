package dev.minillm.download;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The list of known models and their GGUF files on the Hugging Face hub ({@code models/manifest.json}).
 * Loading validates every name that will become a path or URL part, so a bad entry is reported as
 * bad input before anything is fetched.
 */
public final class Manifest {
    public static final String DEFAULT_REVISION = "main";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ABSOLUTE_URL = Pattern.compile("https?://[^\\s/?#]+/[^\\s]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One GGUF file of a model. {@code size}/{@code sha256} are null when not known in advance. */
    public record FileEntry(String quant, String file, String revision, Long size, String sha256, Double approxMb) {
    }

    public record Model(String id, String name, String repo, String license, List<FileEntry> files) {
        /** The entry for a quant name such as "q4_k_m", "Q8_0", "fp16"; null if the model has none. */
        public FileEntry file(String quant) {
            String wanted = normalizeQuant(quant);
            for (FileEntry f : files) {
                if (f.quant().equals(wanted)) {
                    return f;
                }
            }
            return null;
        }
    }

    /**
     * A non-model file, e.g. the wikitext-2 test text; {@code extract} names a zip member to unpack.
     * {@code url} (instead of {@code repo}) is for data published outside the hub: the file is
     * fetched from that absolute URL, which {@code --base-url} does not change.
     */
    public record Dataset(String id, String description, String repo, String revision, String file, Long size,
                          String sha256, String extract, Double approxMb, String url, String path) {
    }

    private final Path source;
    private final Map<String, Model> models;
    private final Map<String, Dataset> datasets;

    private Manifest(Path source, Map<String, Model> models, Map<String, Dataset> datasets) {
        this.source = source;
        this.models = models;
        this.datasets = datasets;
    }

    public static Manifest load(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new BadInputException(path + ": manifest not found (use --manifest to point at models/manifest.json)");
        } catch (IOException e) {
            throw new BadInputException(path + ": cannot read manifest: " + e.getMessage());
        }
        return parse(path, text);
    }

    /** Where the shipped manifest lives, in the repository and inside the jar. */
    public static final Path DEFAULT_PATH = Path.of("models", "manifest.json");
    private static final String PACKED = "/models/manifest.json";

    /**
     * {@code models/manifest.json} of the working directory when there is one (a checkout, or a
     * user's edited copy), else the copy packed in the jar, so download works from any directory.
     */
    public static Manifest loadDefault() {
        if (Files.exists(DEFAULT_PATH)) {
            return load(DEFAULT_PATH);
        }
        try (var in = Manifest.class.getResourceAsStream(PACKED)) {
            if (in == null) {
                throw new BadInputException(DEFAULT_PATH + ": manifest not found and none packed in the jar (use --manifest FILE)");
            }
            return parse(Path.of("minillm.jar!" + PACKED), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BadInputException("cannot read the packed manifest: " + e.getMessage());
        }
    }

    public static Manifest parse(Path source, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadInputException(source + ": manifest is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(source + ": manifest must be a JSON object");
        }
        Map<String, Model> models = new LinkedHashMap<>();
        for (JsonNode m : array(source, root, "models")) {
            String where = source + ": model";
            String id = SafePaths.component(text(source, m, "id", true), where + " id");
            where = source + ": model '" + id + "'";
            String repo = SafePaths.repo(text(source, m, "repo", true), where + " repo");
            List<FileEntry> files = new ArrayList<>();
            Set<String> quants = new LinkedHashSet<>();
            for (JsonNode f : array(source, m, "files")) {
                String quant = normalizeQuant(text(source, f, "quant", true));
                String file = SafePaths.component(text(source, f, "file", true), where + " file name");
                if (!quants.add(quant)) {
                    throw new BadInputException(where + ": quant " + quant + " listed twice");
                }
                files.add(new FileEntry(quant, file, revision(source, f, where), size(source, f, where),
                        sha(source, f, where), approx(f)));
            }
            if (models.put(id, new Model(id, text(source, m, "name", false), repo,
                    text(source, m, "license", false), List.copyOf(files))) != null) {
                throw new BadInputException(source + ": model id '" + id + "' listed twice");
            }
        }
        Map<String, Dataset> datasets = new LinkedHashMap<>();
        if (root.has("datasets")) {
            for (JsonNode d : array(source, root, "datasets")) {
                String id = SafePaths.component(text(source, d, "id", true), source + ": dataset id");
                String where = source + ": dataset '" + id + "'";
                String extract = text(source, d, "extract", false);
                if (extract != null) {
                    // The member name is matched inside the zip; only its last component becomes a file name.
                    SafePaths.component(extract.substring(extract.lastIndexOf('/') + 1), where + " extract");
                }
                String url = text(source, d, "url", false);
                if (url != null && !ABSOLUTE_URL.matcher(url).matches()) {
                    throw new BadInputException(where + ": url must be an absolute http(s) URL, got '" + url + "'");
                }
                String repo = url != null && !d.hasNonNull("repo") ? null
                        : SafePaths.repo(text(source, d, "repo", true), where + " repo");
                Dataset ds = new Dataset(id, text(source, d, "description", false), repo,
                        revision(source, d, where),
                        SafePaths.component(text(source, d, "file", true), where + " file name"),
                        size(source, d, where), sha(source, d, where), extract, approx(d), url,
                        repoPath(text(source, d, "path", false), where + " path"));
                if (models.containsKey(id) || datasets.put(id, ds) != null) {
                    throw new BadInputException(source + ": id '" + id + "' listed twice");
                }
            }
        }
        return new Manifest(source, models, datasets);
    }

    /** Upper-case llama.cpp type name; "fp16" and "f16" are the same thing under two spellings. */
    public static String normalizeQuant(String quant) {
        return dev.minillm.gguf.LlamaFileType.normalize(quant);
    }

    public Path source() {
        return source;
    }

    public List<Model> models() {
        return List.copyOf(models.values());
    }

    public List<Dataset> datasets() {
        return List.copyOf(datasets.values());
    }

    public Model model(String id) {
        return models.get(id);
    }

    /**
     * The files to fetch for the given model ids and quant names ("all" = every file of the model).
     * Unknown ids or quants are bad input, named in the message together with what exists.
     */
    public List<DownloadItem> select(List<String> modelIds, List<String> quants) {
        List<DownloadItem> items = new ArrayList<>();
        for (String id : modelIds) {
            Model m = models.get(id);
            if (m == null) {
                throw new BadInputException("unknown model '" + id + "' in " + source + " (known: "
                        + String.join(", ", models.keySet()) + ")");
            }
            boolean all = quants.stream().anyMatch(q -> q.equalsIgnoreCase("all"));
            if (all) {
                for (FileEntry f : m.files()) {
                    items.add(DownloadItem.of(m, f));
                }
                continue;
            }
            if (quants.isEmpty()) {
                throw new BadInputException("no --quant given for model '" + id + "' (available: "
                        + String.join(", ", m.files().stream().map(FileEntry::quant).toList()) + ", or all)");
            }
            for (String q : quants) {
                FileEntry f = m.file(q);
                if (f == null) {
                    throw new BadInputException("model '" + id + "' has no quant '" + q + "' in " + source
                            + " (available: " + String.join(", ", m.files().stream().map(FileEntry::quant).toList()) + ", or all)");
                }
                DownloadItem item = DownloadItem.of(m, f);
                if (!items.contains(item)) {
                    items.add(item);
                }
            }
        }
        return items;
    }

    public DownloadItem dataset(String id) {
        Dataset d = datasets.get(id);
        if (d == null) {
            throw new BadInputException("unknown dataset '" + id + "' in " + source + " (known: "
                    + String.join(", ", datasets.keySet()) + ")");
        }
        return DownloadItem.of(d);
    }

    private static Iterable<JsonNode> array(Path source, JsonNode node, String field) {
        JsonNode a = node.get(field);
        if (a == null || !a.isArray()) {
            throw new BadInputException(source + ": manifest needs an array '" + field + "'");
        }
        return a;
    }

    private static String text(Path source, JsonNode node, String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new BadInputException(source + ": manifest entry is missing '" + field + "': " + node);
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new BadInputException(source + ": '" + field + "' must be a string: " + node);
        }
        return v.asText();
    }

    /** A path inside the repo ("dir/file.gguf"): every component a plain name, so it cannot climb out. */
    private static String repoPath(String path, String what) {
        if (path == null) {
            return null;
        }
        for (String part : path.split("/", -1)) {
            SafePaths.component(part, what);
        }
        return path;
    }

    private static String revision(Path source, JsonNode node, String where) {
        String r = text(source, node, "revision", false);
        return r == null ? DEFAULT_REVISION : SafePaths.revision(r, where + " revision");
    }

    private static Long size(Path source, JsonNode node, String where) {
        JsonNode v = node.get("size");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new BadInputException(where + ": size must be a non-negative byte count or null");
        }
        return v.asLong();
    }

    private static String sha(Path source, JsonNode node, String where) {
        String s = text(source, node, "sha256", false);
        if (s == null) {
            return null;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(lower).matches()) {
            throw new BadInputException(where + ": sha256 must be 64 hex digits or null, got '" + s + "'");
        }
        return lower;
    }

    private static Double approx(JsonNode node) {
        JsonNode v = node.get("approx_mb");
        return v == null || !v.isNumber() ? null : v.asDouble();
    }
}
