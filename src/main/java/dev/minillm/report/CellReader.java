package dev.minillm.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads cell result JSON files (results/raw/**.json). Tolerant: unknown fields are ignored and
 * missing optional parts read as null; a file that is not valid JSON or not a cell result is
 * skipped and reported as one line naming the file.
 */
public final class CellReader {
    /**
     * Cells read plus one line per file that could not be used, and the same files as audit
     * findings: a result that cannot be read is a finding wherever results are read.
     */
    public record Loaded(List<CellResult> cells, List<String> problems, List<AuditFlag> unreadable) {
    }

    private CellReader() {
    }

    /**
     * Reads every cell under each results directory: {@code <dir>/raw/**.json} when a raw
     * sub-directory exists, otherwise {@code <dir>/**.json}.
     */
    public static Loaded readAll(List<Path> resultsDirs) {
        List<CellResult> cells = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<AuditFlag> unreadable = new ArrayList<>();
        for (Path dir : resultsDirs) {
            if (!Files.isDirectory(dir)) {
                throw new BadInputException(dir + ": results directory not found");
            }
            Path raw = dir.resolve("raw");
            boolean hasRaw = Files.isDirectory(raw);
            Path root = hasRaw ? raw : dir;
            for (Path file : jsonFiles(root)) {
                // without raw/, the default report output (tables/) sits in the scanned tree: not cells
                if (!hasRaw && dir.relativize(file).startsWith("tables")) {
                    continue;
                }
                try {
                    cells.add(readFile(file));
                } catch (BadInputException e) {
                    problems.add(e.getMessage());
                    String prefix = file + ": ";
                    String why = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
                    unreadable.add(new AuditFlag(file.toString(), file, AuditRule.UNREADABLE_RESULT, null,
                            why + "; not in the tables (re-run bench to measure the cell again)"));
                }
            }
        }
        return new Loaded(cells, problems, unreadable);
    }

    private static List<Path> jsonFiles(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    // temp files of an atomic write in progress start with a dot
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new BadInputException(root + ": cannot list results: " + e.getMessage());
        }
    }

    /** Reads one cell file; throws BadInputException with a one-line message naming the file. */
    public static CellResult readFile(Path file) {
        JsonNode root = dev.minillm.common.JsonFiles.readObject(file);
        JsonNode cell = Json.obj(root, "cell");
        if (cell == null) {
            throw new BadInputException(file + ": not a cell result (no 'cell' object)");
        }
        return parse(file, root, cell);
    }

    private static CellResult parse(Path file, JsonNode root, JsonNode cell) {
        String fileName = file.getFileName().toString().replaceFirst("\\.json$", "");
        String[] nameParts = fileName.split("__");
        String id = Json.str(cell, "id");
        String model = Json.str(cell, "model");
        if (model == null) {
            model = id != null && id.contains("/") ? id.substring(0, id.indexOf('/'))
                    : file.getParent() == null ? "model" : file.getParent().getFileName().toString();
        }
        String variant = Json.str(cell, "variant");
        if (variant == null) {
            variant = nameParts[0];
        }
        String backend = Json.str(cell, "backend");
        if (backend == null) {
            backend = nameParts.length > 1 ? nameParts[1] : "cpu";
        }
        // Cells of another engine than the bundled one are their own columns and ratio groups:
        // "cpu native" is compared with "cpu native" only, never mixed with bundled figures.
        String engine = Json.str(cell, "engine");
        if (engine != null && !engine.equals("bundled")) {
            backend = backend + " " + engine;
        }
        String tag = settingsTag(id, nameParts);

        Map<String, String> settings = new LinkedHashMap<>();
        JsonNode s = Json.obj(cell, "settings");
        if (s != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    settings.put(e.getKey(), e.getValue().asText());
                }
            }
        }

        JsonNode mi = Json.obj(root, "model_info");
        CellResult.ModelInfo modelInfo = mi == null ? null : new CellResult.ModelInfo(
                Json.lng(mi, "file_size_bytes"), Json.lng(mi, "n_params"), Json.dbl(mi, "bits_per_weight"),
                Json.str(mi, "file_type"), Json.str(mi, "architecture"), Json.bool(mi, "synthetic"),
                Json.lng(Json.obj(mi, "decode_traffic"), "weight_bytes_per_token"),
                Json.lng(Json.obj(mi, "decode_traffic"), "kv_bytes_per_position"));

        JsonNode hw = Json.obj(root, "hardware");
        CellResult.Hardware hardware = hw == null ? null : new CellResult.Hardware(
                Json.str(hw, "cpu_model"), Json.str(hw, "hostname"), Json.str(hw, "os"), Json.str(hw, "native_build"),
                Json.str(hw, "gpu_backend"), Json.integer(hw, "logical_cores"), Json.lng(hw, "ram_bytes"),
                Json.dbl(Json.obj(hw, "memory_bandwidth"), "bytes_per_s"), Json.str(Json.obj(hw, "memory_bandwidth"), "method"));

        Map<String, Stat> metrics = new LinkedHashMap<>();
        Boolean coldVerified = null;
        String coldMethod = null;
        Double coldResident = null;
        JsonNode m = Json.obj(root, "metrics");
        if (m != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Stat stat = Stat.from(e.getValue());
                if (stat != null) {
                    metrics.put(e.getKey(), stat);
                }
            }
            JsonNode cold = Json.obj(m, "cold_load");
            coldVerified = Json.bool(cold, "verified");
            coldMethod = Json.str(cold, "method");
            coldResident = Json.dbl(cold, "resident_fraction_before");
        }

        JsonNode cc = Json.obj(root, "crosscheck");
        CellResult.Crosscheck crosscheck = cc == null ? null : new CellResult.Crosscheck(
                Json.dbl(cc, "decode_diff_pct"), Json.dbl(cc, "prompt_diff_pct"), Json.dbl(cc, "threshold_pct"),
                Json.bool(cc, "flagged"));

        JsonNode reps = root.get("repetitions");
        Integer repCount = reps != null && reps.isArray() ? reps.size() : null;

        JsonNode harness = Json.obj(root, "harness");
        return new CellResult(file, Json.integer(root, "schema_version"),
                Json.str(root, "status") == null ? "ok" : Json.str(root, "status"),
                Json.str(root, "reason"), id, model, variant, backend, tag, settings, modelInfo, hardware,
                Json.str(harness, "version"), metrics, coldVerified, coldMethod, coldResident, crosscheck,
                Json.integer(root, "warmup_discarded"), repCount, quality(Json.obj(root, "quality")));
    }

    /** The settings tag is the third "__" part of the cell id's file-name part, else of the file name. */
    private static String settingsTag(String id, String[] nameParts) {
        if (id != null) {
            String last = id.contains("/") ? id.substring(id.lastIndexOf('/') + 1) : id;
            String[] parts = last.split("__");
            return parts.length > 2 ? parts[2] : null;
        }
        return nameParts.length > 2 ? nameParts[2] : null;
    }

    private static CellResult.Quality quality(JsonNode q) {
        if (q == null) {
            return null;
        }
        JsonNode ppl = Json.obj(q, "ppl");
        JsonNode kld = Json.obj(q, "kld");
        JsonNode hall = Json.obj(q, "hallucination");
        return new CellResult.Quality(Json.bool(q, "synthetic"), Json.str(q, "baseline_variant"),
                Json.dbl(ppl, "value"), Json.dbl(ppl, "stderr"),
                Json.dbl(kld, "mean"), Json.dbl(kld, "p99"), Json.dbl(kld, "top1_agreement"),
                Json.dbl(kld, "delta_ppl"),
                Json.dbl(hall, "accuracy"), Json.dbl(hall, "hallucination_rate"), Json.integer(hall, "questions"),
                accuracy(q, hall));
    }

    /** A short fingerprint of the scored items (comparing the full id lists of 200+ items in memory is as good, but larger). */
    private static String digest(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CellResult.Accuracy accuracy(JsonNode q, JsonNode hall) {
        java.util.List<CellResult.TaskScore> tasks = new java.util.ArrayList<>();
        JsonNode mc = q.get("mc");
        if (mc != null && mc.isArray()) {
            for (JsonNode t : mc) {
                String name = Json.str(t, "task");
                Double norm = Json.dbl(t, "acc_norm");
                Double acc = Json.dbl(t, "acc");
                if (name == null || acc == null) {
                    continue;
                }
                StringBuilder key = new StringBuilder(String.valueOf(Json.str(t, "data_sha256")));
                JsonNode ids = t.get("sample_ids");
                if (ids != null && ids.isArray()) {
                    ids.forEach(id -> key.append('|').append(id.asText()));
                }
                Integer items = Json.integer(t, "items");
                tasks.add(new CellResult.TaskScore(name, norm != null ? "acc_norm" : "acc", norm != null ? norm : acc,
                        norm != null ? Json.dbl(t, "acc_norm_stderr") : Json.dbl(t, "acc_stderr"), items == null ? 0 : items,
                        digest(key.toString())));
            }
        }
        JsonNode lk = Json.obj(hall, "likelihood");
        JsonNode wf = Json.obj(q, "weight_fidelity");
        JsonNode worst = wf == null ? null : wf.get("worst");
        String worstTensor = worst != null && worst.isArray() && worst.size() > 0 ? Json.str(worst.get(0), "name") : null;
        CellResult.Accuracy a = new CellResult.Accuracy(tasks, Json.dbl(lk, "accuracy"), Json.dbl(lk, "accuracy_stderr"),
                Json.dbl(lk, "mean_margin"), Json.dbl(wf, "mean_cosine"), Json.dbl(wf, "min_cosine"), worstTensor,
                Json.integer(wf, "tensors"));
        return a.hasFigures() ? a : null;
    }
}
