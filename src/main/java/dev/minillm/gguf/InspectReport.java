package dev.minillm.gguf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.PrettyJson;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code minillm inspect} shows: computed model facts, metadata (arrays summarized) and the
 * validation verdict, as text or JSON. Parse errors are thrown by {@link #of(Path)}; validation
 * problems are part of the report ({@link #problems()}).
 */
public final class InspectReport {
    private static final int MAX_TEXT_VALUE = 100;

    private final GgufFile file;
    private final ModelInfo info;
    private final List<String> problems;

    private InspectReport(GgufFile file) {
        this.file = file;
        this.info = file.info();
        this.problems = GgufValidator.problems(file);
    }

    /** Reads the header; throws a one-line BadInputException if it cannot be parsed at all. */
    public static InspectReport of(Path path) {
        return new InspectReport(GgufFile.open(path));
    }

    public GgufFile file() {
        return file;
    }

    public ModelInfo info() {
        return info;
    }

    /** Validation problems; empty when llama.cpp b4916 should load the file. */
    public List<String> problems() {
        return problems;
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /**
     * The model facts under the key names of the cell result schema's {@code model_info}
     * (file_size_bytes, n_params, bits_per_weight, file_type, architecture, synthetic, n_layers,
     * n_embd, n_vocab, n_ctx_train).
     */
    public static Map<String, Object> cellModelInfo(ModelInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file_size_bytes", i.fileSizeBytes());
        m.put("n_params", i.parameterCount());
        m.put("bits_per_weight", i.bitsPerWeight());
        m.put("file_type", i.fileType());
        m.put("architecture", i.architecture());
        m.put("synthetic", i.synthetic());
        m.put("n_layers", i.layers());
        m.put("n_embd", i.embeddingLength());
        m.put("n_vocab", i.vocabSize());
        m.put("n_ctx_train", i.contextLength());
        return m;
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        line(b, "file", file.label());
        line(b, "size", String.format(Locale.ROOT, "%,d bytes (%s)", info.fileSizeBytes(), human(info.fileSizeBytes())));
        line(b, "format", "GGUF v" + info.ggufVersion() + ", alignment " + file.alignment() + ", "
                + info.tensorCount() + " tensors, " + file.metadata().size() + " metadata keys");
        line(b, "architecture", info.architecture().isEmpty() ? "(missing)" : info.architecture());
        line(b, "name", info.name() + (info.synthetic() ? "  [synthetic weights: speed/memory only, no quality]" : ""));
        line(b, "file type", info.fileType() != null ? info.fileType() + " (general.file_type " + info.fileTypeId() + ")"
                : info.fileTypeId() >= 0 ? "unknown (general.file_type " + info.fileTypeId() + ")" : "(not set)");
        line(b, "parameters", String.format(Locale.ROOT, "%,d (%s)", info.parameterCount(), humanCount(info.parameterCount())));
        line(b, "bits per weight", String.format(Locale.ROOT, "%.2f", info.bitsPerWeight()));
        line(b, "context length", orUnknown(info.contextLength()));
        line(b, "vocabulary", orUnknown(info.vocabSize()));
        line(b, "layers", orUnknown(info.layers()));
        line(b, "embedding", orUnknown(info.embeddingLength()));
        line(b, "feed-forward", orUnknown(info.feedForwardLength()));
        line(b, "heads", orUnknown(info.headCount()) + (info.headCountKv() >= 0 ? " (KV " + info.headCountKv() + ")" : ""));
        StringBuilder types = new StringBuilder();
        info.tensorCountByType().forEach((t, n) -> types.append(types.length() > 0 ? ", " : "").append(t).append(' ').append(n));
        line(b, "tensor types", types.toString());
        line(b, "validation", valid() ? (KnownArchitectures.isKnown(info.architecture())
                        ? "ok (loadable by llama.cpp " + KnownArchitectures.NATIVE_BUILD + ")"
                        : "ok (well-formed; architecture '" + info.architecture() + "' is newer than the bundled llama.cpp "
                        + KnownArchitectures.NATIVE_BUILD + ": use --engine native)")
                : "FAILED: " + problems.get(0) + (problems.size() > 1 ? " (+" + (problems.size() - 1) + " more)" : ""));
        b.append("\nmetadata:\n");
        file.metadata().asMap().forEach((k, v) -> {
            String s = v.isArray() ? v.summary() : v.toString();
            s = s.replace("\n", "\\n");
            if (s.length() > MAX_TEXT_VALUE) {
                s = s.substring(0, MAX_TEXT_VALUE) + "... (" + s.length() + " chars)";
            }
            b.append("  ").append(k).append(" = ").append(s).append('\n');
        });
        return b.toString();
    }

    public String toJson() {
        ObjectMapper om = PrettyJson.mapper();
        ObjectNode root = om.createObjectNode();
        root.put("file", file.label());
        root.put("valid", valid());
        ArrayNode p = root.putArray("problems");
        problems.forEach(p::add);
        root.set("model_info", om.valueToTree(cellModelInfo(info)));
        ObjectNode i = root.putObject("details");
        i.put("gguf_version", info.ggufVersion());
        i.put("alignment", file.alignment());
        i.put("name", info.name());
        i.put("tensor_count", info.tensorCount());
        i.put("tensor_data_bytes", info.tensorDataBytes());
        i.put("file_type_id", info.fileTypeId());
        i.put("n_ff", info.feedForwardLength());
        i.put("n_head", info.headCount());
        i.put("n_head_kv", info.headCountKv());
        i.set("tensor_types", om.valueToTree(info.tensorCountByType()));
        ObjectNode md = root.putObject("metadata");
        file.metadata().asMap().forEach((k, v) -> {
            if (v.isArray()) {
                ObjectNode a = md.putObject(k);
                a.put("type", "array");
                a.put("element_type", v.elementType().name());
                a.put("length", v.length());
            } else if (v.type() == GgufValueType.STRING) {
                md.put(k, v.asString());
            } else if (v.type() == GgufValueType.BOOL) {
                md.put(k, v.asBoolean());
            } else if (v.type() == GgufValueType.FLOAT32) {
                md.put(k, Double.parseDouble(Float.toString((float) v.asDouble()))); // 1e-5, not 9.99e-6
            } else if (v.type().isFloat()) {
                md.put(k, v.asDouble());
            } else if (v.type() == GgufValueType.UINT64 && v.asLong() < 0) {
                md.put(k, new java.math.BigInteger(Long.toUnsignedString(v.asLong())));
            } else {
                md.put(k, v.asLong());
            }
        });
        try {
            return om.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-16s %s%n", label + ":", value));
    }

    private static String orUnknown(long v) {
        return v >= 0 ? Long.toString(v) : "(unknown)";
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    static String humanCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fK", n / 1e3);
    }
}
