package dev.minillm.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.AtomicFiles;
import dev.minillm.common.BadInputException;
import dev.minillm.common.PrettyJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trust-on-first-use checksums ({@code <models-dir>/manifest.lock.json}): the sha256 and size of
 * every file fetched, keyed by {@code <dir>/<file>}. A file whose checksum the manifest does not
 * give is recorded on its first download and checked against the record afterwards, so a later
 * re-download or a file changed on disk is noticed. An entry only applies while repo, revision and
 * file name match the manifest, so pointing the manifest at another revision starts afresh.
 */
public final class LockFile {
    public static final String FILE_NAME = "manifest.lock.json";
    private static final ObjectMapper JSON = PrettyJson.mapper();

    public record Entry(String repo, String revision, String file, String sha256, long size, String recordedUtc) {
    }

    private final Path path;

    public LockFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The recorded entry for this item, or null if none applies. */
    public synchronized Entry get(DownloadItem item) {
        Entry e = readAll().get(item.relativePath());
        if (e == null || !item.repo().equals(e.repo()) || !item.revision().equals(e.revision())
                || !item.file().equals(e.file())) {
            return null;
        }
        return e;
    }

    public synchronized void record(DownloadItem item, String sha256, long size) throws IOException {
        // Re-read before writing so entries recorded meanwhile (another run, the shell script) survive.
        Map<String, Entry> all = readAll();
        all.put(item.relativePath(), new Entry(item.repo(), item.revision(), item.file(), sha256, size,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
        ObjectNode root = JSON.createObjectNode();
        root.put("schema_version", 1);
        root.put("note", "sha256 of downloaded files, recorded on first download (minillm download / "
                + "scripts/download-models.sh) and checked on later runs");
        ObjectNode files = root.putObject("files");
        for (Map.Entry<String, Entry> kv : all.entrySet()) {
            Entry e = kv.getValue();
            ObjectNode n = files.putObject(kv.getKey());
            n.put("repo", e.repo());
            n.put("revision", e.revision());
            n.put("file", e.file());
            n.put("sha256", e.sha256());
            n.put("size", e.size());
            n.put("recorded_utc", e.recordedUtc());
        }
        AtomicFiles.writeString(path, JSON.writeValueAsString(root) + "\n");
    }

    private Map<String, Entry> readAll() {
        Map<String, Entry> out = new TreeMap<>();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(path));
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new BadInputException(path + ": lock file is unreadable or not JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + "); fix or delete it");
        }
        JsonNode files = root == null ? null : root.get("files");
        if (files == null || !files.isObject()) {
            throw new BadInputException(path + ": lock file has no 'files' object; fix or delete it");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> kv = it.next();
            JsonNode n = kv.getValue();
            String sha = n.path("sha256").asText("");
            if (!sha.matches("[0-9a-f]{64}")) {
                throw new BadInputException(path + ": entry '" + kv.getKey() + "' has no valid sha256; fix or delete it");
            }
            out.put(kv.getKey(), new Entry(n.path("repo").asText(""), n.path("revision").asText(""),
                    n.path("file").asText(""), sha, n.path("size").asLong(-1), n.path("recorded_utc").asText("")));
        }
        return out;
    }
}
