package dev.minillm.download;

import dev.minillm.common.AtomicFiles;
import dev.minillm.common.BadInputException;
import dev.minillm.common.Progress;
import dev.minillm.common.RunFailedException;
import dev.minillm.common.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Fetches manifest files from the Hugging Face hub (or a mirror) into {@code <models-dir>/<dir>/<file>}.
 *
 * <p>Bytes go to {@code <models-dir>/.partial/<dir>/<file>.part} first, so {@code models/<dir>/}
 * only ever holds complete, verified files: an interrupted transfer is resumed with an HTTP Range
 * request (guarded by If-Range on the server's ETag), a server that ignores Range restarts the file
 * cleanly, and only after the sha256 matches (manifest or lock file) is the part file renamed into
 * place. A write error (disk full) leaves the part file for a later resume and fails the run.
 *
 * <p>Redirects are followed by hand so the {@code HF_TOKEN} bearer token is only ever sent to the
 * origin of the base URL, never to the CDN host the hub redirects to.
 */
public final class Downloader {
    public static final String DEFAULT_BASE_URL = "https://huggingface.co";
    public static final String BASE_URL_ENV = "MINILLM_BASE_URL";
    public static final String PARTIAL_DIR = ".partial";
    private static final long MIB = 1024 * 1024;
    private static final int MAX_REDIRECTS = 10;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "minillm-download-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** How a fetch ended. */
    public enum Outcome { DOWNLOADED, ALREADY_PRESENT }

    /**
     * @param path      the verified file under the models directory
     * @param extracted the unpacked zip member, or null
     * @param fetched   bytes transferred over the network in this run
     * @param shaSource where the expected checksum came from: "manifest", "lock file", or "recorded" (first download)
     */
    public record Result(DownloadItem item, Path path, Path extracted, Outcome outcome, String sha256, long size,
                         long fetched, String shaSource) {
    }

    /** What {@code --dry-run} reports for one item, computed without network access. */
    public record Plan(DownloadItem item, URI url, Path target, String state, String expectedSha, String shaSource) {
    }

    /** Writes a buffer to the part file; replaceable in tests to simulate a full disk. */
    @FunctionalInterface
    interface WriteHook {
        void write(FileChannel channel, ByteBuffer buffer) throws IOException;
    }

    private final Path modelsDir;
    private final URI baseUrl;
    private final Supplier<String> tokenSource;
    private final LockFile lock;
    private final int attempts;
    private final Duration retryDelay;
    private final Duration stallTimeout;
    private final WriteHook writeHook;
    private final HttpClient http;

    private Downloader(Builder b) {
        this.modelsDir = b.modelsDir.toAbsolutePath().normalize();
        this.baseUrl = parseBase(b.baseUrl);
        this.tokenSource = b.tokenSource;
        this.lock = new LockFile(b.lockFile != null ? b.lockFile : modelsDir.resolve(LockFile.FILE_NAME));
        this.attempts = b.attempts;
        this.retryDelay = b.retryDelay;
        this.stallTimeout = b.stallTimeout;
        this.writeHook = b.writeHook;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(b.connectTimeout)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options; every one has a default suitable for the real hub. */
    public static final class Builder {
        private Path modelsDir = Path.of("models");
        private String baseUrl = defaultBaseUrl();
        private Supplier<String> tokenSource = () -> System.getenv("HF_TOKEN");
        private Path lockFile;
        private int attempts = 5;
        private Duration retryDelay = Duration.ofSeconds(2);
        private Duration stallTimeout = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(30);
        private WriteHook writeHook = Downloader::writeFully;

        public Builder modelsDir(Path dir) {
            this.modelsDir = dir;
            return this;
        }

        public Builder baseUrl(String url) {
            this.baseUrl = url;
            return this;
        }

        /** Source of the bearer token (default: the HF_TOKEN environment variable); null or blank = none. */
        public Builder tokenSource(Supplier<String> source) {
            this.tokenSource = source;
            return this;
        }

        /** Lock file path (default {@code <models-dir>/manifest.lock.json}). */
        public Builder lockFile(Path path) {
            this.lockFile = path;
            return this;
        }

        /** Tries per file for transient failures (cut connection, 5xx, timeouts); each retry resumes. */
        public Builder attempts(int n) {
            if (n < 1) {
                throw new BadInputException("attempts must be at least 1");
            }
            this.attempts = n;
            return this;
        }

        public Builder retryDelay(Duration d) {
            this.retryDelay = d;
            return this;
        }

        /** A transfer that receives no byte for this long is aborted (and retried). */
        public Builder stallTimeout(Duration d) {
            this.stallTimeout = d;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        Builder writeHook(WriteHook hook) {
            this.writeHook = hook;
            return this;
        }

        public Downloader build() {
            return new Downloader(this);
        }
    }

    /**
     * {@code $MINILLM_BASE_URL} (minillm's own mirror variable, honoured by every download) when set, else
     * {@code $HF_ENDPOINT} (the hub client's), else https://huggingface.co.
     */
    public static String defaultBaseUrl() {
        for (String name : new String[] {BASE_URL_ENV, "HF_ENDPOINT"}) {
            String env = System.getenv(name);
            if (env != null && !env.isBlank()) {
                return env.trim();
            }
        }
        return DEFAULT_BASE_URL;
    }

    public Path modelsDir() {
        return modelsDir;
    }

    public LockFile lockFile() {
        return lock;
    }

    public URI url(DownloadItem item) {
        if (item.url() != null) {
            return URI.create(item.url());
        }
        String base = baseUrl.toString();
        return URI.create(base + (base.endsWith("/") ? "" : "/") + item.urlPath());
    }

    /** Where the item would land and what is there now; touches no network and writes nothing. */
    public Plan plan(DownloadItem item) {
        Path target = modelsDir.resolve(SafePaths.component(item.dir(), "directory"))
                .resolve(SafePaths.component(item.file(), "file name"));
        Path part = partialPath(item);
        String state;
        try {
            if (Files.isSymbolicLink(target.getParent()) || Files.isSymbolicLink(target)) {
                state = "refused: symlink in target path";
            } else if (Files.isRegularFile(target)) {
                state = "present (" + Files.size(target) + " bytes; sha256 checked on download)";
            } else if (Files.isRegularFile(part)) {
                state = "partial: " + Files.size(part) + " bytes in " + modelsDir.relativize(part) + ", will resume";
            } else {
                state = "missing";
            }
        } catch (IOException e) {
            state = "unreadable: " + e.getMessage();
        }
        Expected expected = expectedSha(item);
        return new Plan(item, url(item), target, state, expected == null ? null : expected.sha256(),
                expected == null ? null : expected.source());
    }

    public List<Result> fetchAll(List<DownloadItem> items) {
        List<Result> results = new ArrayList<>();
        for (DownloadItem item : items) {
            results.add(fetch(item));
        }
        return results;
    }

    /** Downloads (or resumes, or verifies an existing copy of) one item. */
    public Result fetch(DownloadItem item) {
        try {
            return fetchChecked(item);
        } catch (IOException e) {
            throw new RunFailedException(item.relativePath() + ": " + describe(e), e);
        }
    }

    private Result fetchChecked(DownloadItem item) throws IOException {
        Path target = SafePaths.target(modelsDir, item.dir(), item.file(), false);
        Expected expected = expectedSha(item);
        if (Files.isRegularFile(target)) {
            String actual = sha256(target);
            long size = Files.size(target);
            if (expected == null) {
                lock.record(item, actual, size);
                Progress.info(rel(target) + ": already present; sha256 " + actual + " recorded in " + rel(lock.path()));
                return new Result(item, target, extract(item, target), Outcome.ALREADY_PRESENT, actual, size, 0, "recorded");
            }
            if (actual.equals(expected.sha256())) {
                Progress.info(rel(target) + ": already present, sha256 matches the " + expected.source());
                return new Result(item, target, extract(item, target), Outcome.ALREADY_PRESENT, actual, size, 0, expected.source());
            }
            Files.delete(target);
            Progress.info(rel(target) + ": sha256 " + actual + " does not match the " + expected.source() + " ("
                    + expected.sha256() + "); deleted it, downloading again");
        }

        Path part = preparePartial(item);
        long fetched = transferWithRetries(item, part, expected != null);
        long size = Files.size(part);
        String actual = sha256(part);
        if (expected != null && !actual.equals(expected.sha256())) {
            deletePartial(item, part);
            throw new RunFailedException(item.relativePath() + ": checksum mismatch, expected " + expected.sha256() + " ("
                    + expected.source() + ") but the download has " + actual + "; deleted the download"
                    + ("lock file".equals(expected.source()) ? " (if upstream really changed the file, remove its entry from "
                    + rel(lock.path()) + ")" : ""));
        }
        if (item.size() != null && item.size() != size) {
            deletePartial(item, part);
            throw new RunFailedException(item.relativePath() + ": size mismatch, the manifest says " + item.size()
                    + " bytes but the download has " + size + "; deleted the download");
        }
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        // Checked again right before the rename: the directory may have been swapped for a link meanwhile.
        target = SafePaths.target(modelsDir, item.dir(), item.file(), true);
        AtomicFiles.moveIntoPlace(part, target);
        deletePartial(item, part);
        if (expected == null || !"lock file".equals(expected.source())) {
            lock.record(item, actual, size);
        }
        Progress.info(rel(target) + ": " + size + " bytes, sha256 " + actual
                + (expected == null ? " (recorded in " + rel(lock.path()) + ")" : " (matches the " + expected.source() + ")"));
        return new Result(item, target, extract(item, target), Outcome.DOWNLOADED, actual, size, fetched,
                expected == null ? "recorded" : expected.source());
    }

    /** A checksum to hold a file to, and where it came from ("manifest" or "lock file"). */
    private record Expected(String sha256, String source) {
    }

    /** From the manifest, else from the lock file, else null (the first download will record it). */
    private Expected expectedSha(DownloadItem item) {
        if (item.sha256() != null) {
            return new Expected(item.sha256(), "manifest");
        }
        LockFile.Entry e = lock.get(item);
        return e == null ? null : new Expected(e.sha256(), "lock file");
    }

    private Path partialRoot() {
        return modelsDir.resolve(PARTIAL_DIR);
    }

    private Path partialPath(DownloadItem item) {
        return partialRoot().resolve(item.dir()).resolve(item.file() + ".part");
    }

    private Path preparePartial(DownloadItem item) throws IOException {
        Files.createDirectories(modelsDir);
        if (Files.isSymbolicLink(partialRoot())) {
            throw new BadInputException(partialRoot() + ": is a symlink; refusing to download through it");
        }
        return SafePaths.target(partialRoot(), item.dir(), item.file() + ".part");
    }

    private void deletePartial(DownloadItem item, Path part) throws IOException {
        Files.deleteIfExists(part);
        Files.deleteIfExists(metaPath(part));
        // Tidy up empty directories so models/.partial only exists while something is resumable.
        for (Path dir = part.getParent(); dir != null && dir.startsWith(partialRoot()); dir = dir.getParent()) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    break;
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static Path metaPath(Path part) {
        return part.resolveSibling(part.getFileName() + ".meta");
    }

    /** @param verifiable whether the result will be checked against a known sha256 */
    private long transferWithRetries(DownloadItem item, Path part, boolean verifiable) throws IOException {
        long fetched = 0;
        for (int attempt = 1; ; attempt++) {
            AtomicLong count = new AtomicLong();
            try {
                transfer(item, part, count, verifiable);
                return fetched + count.get();
            } catch (RunFailedException e) {
                removeIfEmpty(item, part);
                throw e;
            } catch (TransientException e) {
                fetched += count.get();
                if (attempt >= attempts) {
                    removeIfEmpty(item, part);
                    throw new RunFailedException(item.relativePath() + ": " + e.getMessage() + " (gave up after "
                            + attempts + " attempt" + (attempts == 1 ? "" : "s") + "; "
                            + partState(part) + ")");
                }
                Progress.info(item.relativePath() + ": " + e.getMessage() + "; retrying (" + (attempt + 1) + "/" + attempts + ")");
                sleep(retryDelay.multipliedBy(attempt));
            }
        }
    }

    /** After a failure that wrote nothing, leave no empty part file or directories behind. */
    private void removeIfEmpty(DownloadItem item, Path part) {
        try {
            if (!Files.isRegularFile(part) || Files.size(part) == 0) {
                deletePartial(item, part);
            }
        } catch (IOException ignored) {
            // best effort: an empty leftover is harmless
        }
    }

    private String partState(Path part) {
        try {
            long n = Files.isRegularFile(part) ? Files.size(part) : 0;
            return n > 0 ? n + " bytes kept in " + rel(part) + "; run again to resume" : "nothing written";
        } catch (IOException e) {
            return "partial file state unknown";
        }
    }

    /** A failure worth retrying: cut connection, timeout, 5xx, 429. */
    private static final class TransientException extends Exception {
        TransientException(String message) {
            super(message);
        }
    }

    private void transfer(DownloadItem item, Path part, AtomicLong count, boolean verifiable)
            throws IOException, TransientException {
        // The part file is opened and locked before anything is decided about it, so a second run on the
        // same file fails cleanly instead of interleaving writes (or deleting what the first one fetched).
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock fileLock;
            try {
                fileLock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                fileLock = null;
            }
            if (fileLock == null) {
                throw new RunFailedException(rel(part) + ": another download of this file is in progress");
            }
            Properties meta = readMeta(part);
            String key = item.repo() + "@" + item.revision() + "/" + item.file();
            long have = ch.size();
            if (have > 0 && !key.equals(meta.getProperty("source"))) {
                // Left over from another repo/revision (or of unknown origin): not a prefix of this file.
                ch.truncate(0);
                have = 0;
            }
            String etag = meta.getProperty("etag");
            boolean strongEtag = etag != null && !etag.isEmpty() && !etag.startsWith("W/");
            if (have > 0 && !strongEtag && !verifiable) {
                // Without If-Range a changed file would be spliced onto the old prefix, and with no
                // checksum to catch it that hybrid would be recorded as the truth in the lock file.
                Progress.info(item.relativePath() + ": cannot tell whether the partial file matches the server's "
                        + "(no ETag); restarting from 0");
                ch.truncate(0);
                have = 0;
            }
            HttpResponse<InputStream> resp = send(url(item), have, have > 0 ? etag : null);
            int status = resp.statusCode();
            try (InputStream body = resp.body()) {
                long start;
                long total;
                if (status == 200) {
                    if (have > 0) {
                        Progress.info(item.relativePath() + ": server did not resume (sent the whole file); restarting from 0");
                    }
                    start = 0;
                    total = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
                } else if (status == 206) {
                    long[] range = contentRange(resp.headers());
                    if (range == null || range[0] != have) {
                        ch.truncate(0);
                        throw new TransientException("server answered a range request with an unexpected Content-Range "
                                + resp.headers().firstValue("Content-Range").orElse("(none)") + "; restarting");
                    }
                    start = have;
                    total = range[2];
                    Progress.info(item.relativePath() + ": resuming at byte " + have);
                } else if (status == 416) {
                    long[] range = contentRange(resp.headers());
                    if (range != null && range[2] == have) {
                        return;  // the part file already holds everything; the checksum decides
                    }
                    ch.truncate(0);
                    throw new TransientException("server rejected the resume range; restarting from 0");
                } else {
                    throw statusError(status, resp.uri());
                }
                if (item.size() != null && total >= 0 && total != item.size()) {
                    throw new RunFailedException(item.relativePath() + ": server offers " + total
                            + " bytes but the manifest says " + item.size() + " (" + resp.uri() + ")");
                }
                meta.setProperty("source", key);
                resp.headers().firstValue("ETag").ifPresentOrElse(e -> meta.setProperty("etag", e), () -> meta.remove("etag"));
                writeMeta(part, meta);
                copyBody(item, body, ch, part, start, total, count);
            }
        }
    }

    private void copyBody(DownloadItem item, InputStream body, FileChannel ch, Path part, long start, long total,
                          AtomicLong count) throws IOException, TransientException {
        long expectedTotal = total >= 0 ? total : (item.size() != null ? item.size() : -1);
        long unitsTotal = expectedTotal >= 0 ? Math.max(1, (expectedTotal + MIB - 1) / MIB) : 0;
        AtomicLong lastProgressNanos = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        long stallNanos = stallTimeout.toNanos();
        ScheduledFuture<?> watchdog = WATCHDOG.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastProgressNanos.get() > stallNanos && stalled.compareAndSet(false, true)) {
                try {
                    body.close();  // unblocks the read below
                } catch (IOException ignored) {
                    // the read will fail anyway
                }
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        try (Progress bar = Progress.start(item.label(), unitsTotal, "MiB")) {
            ch.truncate(start);
            ch.position(start);
            long written = start;
            bar.stepTo(written / MIB);
            byte[] buf = new byte[1 << 16];
            while (true) {
                int n;
                try {
                    n = body.read(buf);
                } catch (IOException e) {
                    ch.force(false);
                    throw new TransientException(stalled.get()
                            ? "no data for " + stallTimeout.toMillis() / 1000.0 + " s after " + written + " bytes"
                            : "connection lost after " + written + (expectedTotal >= 0 ? " of " + expectedTotal : "")
                            + " bytes (" + describe(e) + ")");
                }
                if (n < 0) {
                    break;
                }
                lastProgressNanos.set(System.nanoTime());
                try {
                    writeHook.write(ch, ByteBuffer.wrap(buf, 0, n));
                } catch (IOException e) {
                    throw new RunFailedException(rel(part) + ": write failed after " + written + " bytes ("
                            + describe(e) + "; disk full?); the partial file is kept for resume, nothing was placed in "
                            + rel(modelsDir), e);
                }
                written += n;
                count.addAndGet(n);
                bar.stepTo(written / MIB);
            }
            ch.force(false);
            if (total < 0 || written == total) {
                bar.stepTo(unitsTotal);
            }
            if (stalled.get()) {
                throw new TransientException("no data for " + stallTimeout.toMillis() / 1000.0 + " s after " + written + " bytes");
            }
            if (total >= 0 && written != total) {
                throw new TransientException("connection closed after " + written + " of " + total + " bytes");
            }
        } finally {
            watchdog.cancel(false);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** GET with manual redirects; the bearer token only goes to the base URL's origin. */
    private HttpResponse<InputStream> send(URI uri, long rangeStart, String etag) throws IOException, TransientException {
        String token = Optional.ofNullable(tokenSource.get()).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder req = HttpRequest.newBuilder(current).GET()
                    .header("User-Agent", "minillm/" + Version.get());
            if (rangeStart > 0) {
                req.header("Range", "bytes=" + rangeStart + "-");
                if (etag != null && !etag.startsWith("W/")) {
                    req.header("If-Range", etag);
                }
            }
            if (token != null && sameOrigin(current, baseUrl)) {
                req.header("Authorization", "Bearer " + token);
            }
            HttpResponse<InputStream> resp;
            try {
                resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunFailedException("interrupted while fetching " + current);
            } catch (HttpConnectTimeoutException e) {
                throw new TransientException("connection to " + current.getHost() + " timed out");
            } catch (IOException | UncheckedIOException | UnresolvedAddressException e) {
                if (inChain(e, UnresolvedAddressException.class) || inChain(e, UnknownHostException.class)) {
                    throw new RunFailedException("cannot resolve host " + current.getHost() + "; no network?");
                }
                if (inChain(e, ConnectException.class)) {
                    throw new RunFailedException("cannot connect to " + hostPort(current) + "; no network?");
                }
                throw new TransientException("request to " + hostPort(current) + " failed (" + describe(e) + ")");
            }
            int status = resp.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                resp.body().close();
                String location = resp.headers().firstValue("Location")
                        .orElseThrow(() -> new RunFailedException("HTTP " + status + " without Location from " + resp.uri()));
                try {
                    current = resp.uri().resolve(new URI(location));
                } catch (URISyntaxException e) {
                    throw new RunFailedException("bad redirect Location '" + location + "' from " + resp.uri());
                }
                String scheme = String.valueOf(current.getScheme()).toLowerCase(Locale.ROOT);
                if (!scheme.equals("https") && !scheme.equals("http")) {
                    throw new RunFailedException("refusing redirect to " + current);
                }
                continue;
            }
            if (status == 429 || status >= 500) {
                resp.body().close();
                throw new TransientException("HTTP " + status + " from " + hostPort(resp.uri()));
            }
            return resp;
        }
        throw new RunFailedException("more than " + MAX_REDIRECTS + " redirects fetching " + uri);
    }

    private RunFailedException statusError(int status, URI uri) {
        String hint = switch (status) {
            case 401, 403 -> tokenSource.get() == null || tokenSource.get().isBlank()
                    ? " (gated or private repo? set HF_TOKEN to a Hugging Face access token)"
                    : " (HF_TOKEN was sent; does it have access to this repo?)";
            case 404 -> " (check repo, revision and file name in the manifest, and --base-url)";
            default -> "";
        };
        return new RunFailedException("HTTP " + status + " for " + uri + hint);
    }

    private static long[] contentRange(HttpHeaders headers) {
        // "bytes 100-199/200" or "bytes */200"
        String v = headers.firstValue("Content-Range").orElse(null);
        if (v == null || !v.startsWith("bytes ")) {
            return null;
        }
        try {
            String spec = v.substring(6).trim();
            int slash = spec.indexOf('/');
            long total = spec.substring(slash + 1).equals("*") ? -1 : Long.parseLong(spec.substring(slash + 1));
            if (spec.startsWith("*")) {
                return new long[] {-1, -1, total};
            }
            int dash = spec.indexOf('-');
            return new long[] {Long.parseLong(spec.substring(0, dash)), Long.parseLong(spec.substring(dash + 1, slash)), total};
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : ("https".equalsIgnoreCase(u.getScheme()) ? 443 : 80);
    }

    private static String hostPort(URI u) {
        return u.getHost() + ":" + port(u);
    }

    private static URI parseBase(String url) {
        URI u;
        try {
            u = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new BadInputException("--base-url '" + url + "' is not a URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null) {
            throw new BadInputException("--base-url '" + url + "' must be an http(s) URL such as " + DEFAULT_BASE_URL);
        }
        return u;
    }

    /** Unpacks the item's zip member next to the zip (atomically); null when the item is not a zip. */
    private Path extract(DownloadItem item, Path zip) throws IOException {
        if (item.extract() == null) {
            return null;
        }
        Path out = SafePaths.target(modelsDir, item.dir(), item.extractedName());
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            ZipEntry entry = zf.getEntry(item.extract());
            if (entry == null || entry.isDirectory()) {
                throw new RunFailedException(rel(zip) + ": has no member '" + item.extract() + "'");
            }
            try (InputStream in = zf.getInputStream(entry)) {
                AtomicFiles.write(out, in::transferTo);
            }
        } catch (java.util.zip.ZipException e) {
            throw new RunFailedException(rel(zip) + ": not a readable zip (" + e.getMessage() + ")");
        }
        Progress.info(rel(out) + ": extracted from " + zip.getFileName());
        return out;
    }

    /** Lower-case hex sha256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static Properties readMeta(Path part) throws IOException {
        Properties p = new Properties();
        Path meta = metaPath(part);
        if (Files.isRegularFile(meta)) {
            try (var r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IllegalArgumentException e) {
                return new Properties();
            }
        }
        return p;
    }

    private static void writeMeta(Path part, Properties p) throws IOException {
        var w = new java.io.StringWriter();
        p.store(w, "minillm download resume state");
        AtomicFiles.writeString(metaPath(part), w.toString());
    }

    private String rel(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private static boolean inChain(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static String describe(Throwable e) {
        Throwable c = rootCause(e);
        String msg = c.getMessage();
        return msg == null || msg.isBlank() ? c.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailedException("interrupted");
        }
    }
}
