package dev.minillm.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minillm.common.BadInputException;
import dev.minillm.common.RunFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
    static final String REPO = "test-org/Tiny-GGUF";
    static final String FILE = "tiny-q4_k_m.gguf";
    static final String PATH = "/" + REPO + "/resolve/main/" + FILE;
    static final int SIZE = 3 * 1024 * 1024 + 12345;

    @TempDir
    Path tmp;
    TestHub hub;
    byte[] content;
    Path models;

    @BeforeEach
    void setUp() throws IOException {
        hub = new TestHub();
        content = randomBytes(SIZE, 42);
        hub.put(PATH, content);
        models = tmp.resolve("models");
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    Manifest manifest(String sha256) {
        String json = """
                {"models": [{"id": "tiny", "repo": "%s", "files": [
                  {"quant": "Q4_K_M", "file": "%s", "sha256": %s}]}]}
                """.formatted(REPO, FILE, sha256 == null ? "null" : "\"" + sha256 + "\"");
        return Manifest.parse(tmp.resolve("manifest.json"), json);
    }

    DownloadItem item(String sha256) {
        return manifest(sha256).select(List.of("tiny"), List.of("q4_k_m")).get(0);
    }

    Downloader.Builder downloader() {
        return Downloader.builder().modelsDir(models).baseUrl(hub.baseUrl()).tokenSource(() -> null)
                .retryDelay(Duration.ZERO).attempts(3);
    }

    Path target() {
        return models.resolve("tiny").resolve(FILE);
    }

    Path partial() {
        return models.resolve(".partial").resolve("tiny").resolve(FILE + ".part");
    }

    @Test
    void fullDownloadLandsInModelDirAndRecordsShaInLockFile() throws Exception {
        Downloader.Result r = downloader().build().fetch(item(null));

        assertEquals(Downloader.Outcome.DOWNLOADED, r.outcome());
        assertEquals(target(), r.path());
        assertArrayEquals(content, Files.readAllBytes(target()));
        assertEquals(sha(content), r.sha256());
        assertEquals(SIZE, r.fetched());
        assertEquals("recorded", r.shaSource());
        String lock = Files.readString(models.resolve("manifest.lock.json"));
        assertTrue(lock.contains("\"tiny/" + FILE + "\""), lock);
        assertTrue(lock.contains(sha(content)), lock);
        assertFalse(Files.exists(models.resolve(".partial")), "no part files left behind");
        assertEquals(1, hub.hitsFor(PATH).size());
        assertNull(hub.hitsFor(PATH).get(0).range());
    }

    @Test
    void secondRunVerifiesAgainstLockWithoutNetwork() throws Exception {
        Downloader d = downloader().build();
        d.fetch(item(null));
        Downloader.Result again = d.fetch(item(null));

        assertEquals(Downloader.Outcome.ALREADY_PRESENT, again.outcome());
        assertEquals("lock file", again.shaSource());
        assertEquals(1, hub.hitsFor(PATH).size(), "verified from disk, not fetched again");
    }

    @Test
    void tamperedFileIsDetectedDeletedAndFetchedAgain() throws Exception {
        Downloader d = downloader().build();
        d.fetch(item(null));
        byte[] bad = content.clone();
        bad[1000] ^= 1;
        Files.write(target(), bad);

        Downloader.Result r = d.fetch(item(null));

        assertEquals(Downloader.Outcome.DOWNLOADED, r.outcome());
        assertEquals("lock file", r.shaSource());
        assertArrayEquals(content, Files.readAllBytes(target()));
        assertEquals(2, hub.hitsFor(PATH).size());
    }

    @Test
    void upstreamChangeAfterFirstDownloadFailsAgainstLockAndLeavesNothing() throws Exception {
        Downloader d = downloader().build();
        d.fetch(item(null));
        Files.delete(target());
        hub.put(PATH, randomBytes(SIZE, 7));

        RunFailedException e = assertThrows(RunFailedException.class, () -> d.fetch(item(null)));

        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("lock file"), e.getMessage());
        assertTrue(e.getMessage().contains("deleted"), e.getMessage());
        assertFalse(Files.exists(target()));
        assertFalse(Files.exists(partial()));
    }

    @Test
    void manifestChecksumMismatchDeletesTheDownload() throws Exception {
        String wrong = sha("something else".getBytes(StandardCharsets.UTF_8));

        RunFailedException e = assertThrows(RunFailedException.class, () -> downloader().build().fetch(item(wrong)));

        assertTrue(e.getMessage().contains("expected " + wrong + " (manifest)"), e.getMessage());
        assertTrue(e.getMessage().contains(sha(content)), e.getMessage());
        assertFalse(Files.exists(target()));
        assertFalse(Files.exists(partial()));
        assertFalse(Files.exists(models.resolve("manifest.lock.json")), "a bad file is not recorded");
    }

    @Test
    void manifestChecksumMatchIsAccepted() throws Exception {
        Downloader.Result r = downloader().build().fetch(item(sha(content)));
        assertEquals("manifest", r.shaSource());
        assertArrayEquals(content, Files.readAllBytes(target()));
    }

    @Test
    void cutConnectionIsResumedWithRangeInTheSameRun() throws Exception {
        hub.cutAfter = 1_000_000;
        hub.cutsLeft.set(1);

        Downloader.Result r = downloader().build().fetch(item(null));

        assertArrayEquals(content, Files.readAllBytes(target()));
        List<TestHub.Hit> hits = hub.hitsFor(PATH);
        assertEquals(2, hits.size(), hits.toString());
        assertNull(hits.get(0).range());
        long resumedAt = Long.parseLong(hits.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
        // Bytes still in flight when the connection drops may be lost, so the resume point can be a little lower.
        assertTrue(resumedAt > 0 && resumedAt <= 1_000_000, hits.get(1).range());
        assertNotNull(hits.get(1).ifRange(), "resume is guarded by the ETag");
        assertEquals(206, hits.get(1).status());
        assertEquals(SIZE, r.fetched(), "no byte fetched twice");
    }

    @Test
    void partFileSurvivesAFailedRunAndTheNextRunResumes() throws Exception {
        hub.cutAfter = 2_000_000;
        hub.cutsLeft.set(1);

        RunFailedException e = assertThrows(RunFailedException.class,
                () -> downloader().attempts(1).build().fetch(item(null)));
        assertTrue(e.getMessage().contains("connection"), e.getMessage());
        assertTrue(e.getMessage().contains("run again to resume"), e.getMessage());
        assertFalse(Files.exists(target()), "nothing half-written in models/tiny");
        try (Stream<Path> s = Files.list(models.resolve("tiny"))) {
            assertEquals(0, s.count());
        } catch (java.nio.file.NoSuchFileException ok) {
            // not even the directory: fine
        }
        long kept = Files.size(partial());
        assertTrue(kept > 0 && kept <= 2_000_000, "kept " + kept);

        Downloader.Result r = downloader().build().fetch(item(null));

        assertArrayEquals(content, Files.readAllBytes(target()));
        assertEquals(SIZE - kept, r.fetched());
        assertEquals("bytes=" + kept + "-", hub.hitsFor(PATH).get(1).range());
        assertFalse(Files.exists(partial()));
    }

    @Test
    void withoutEtagOrChecksumAPartFileIsNotTrustedForResume() throws Exception {
        hub.noEtag = true;
        hub.cutAfter = 1_000_000;
        hub.cutsLeft.set(1);
        assertThrows(RunFailedException.class, () -> downloader().attempts(1).build().fetch(item(null)));
        assertTrue(Files.size(partial()) > 0);

        downloader().build().fetch(item(null));

        assertArrayEquals(content, Files.readAllBytes(target()));
        assertNull(hub.hitsFor(PATH).get(1).range(), "restarted from 0: nothing could vouch for the partial bytes");
    }

    @Test
    void withoutEtagAKnownChecksumStillAllowsResume() throws Exception {
        hub.noEtag = true;
        hub.cutAfter = 1_000_000;
        hub.cutsLeft.set(1);

        downloader().build().fetch(item(sha(content)));

        assertArrayEquals(content, Files.readAllBytes(target()));
        assertTrue(hub.hitsFor(PATH).get(1).range().startsWith("bytes="));
        assertNull(hub.hitsFor(PATH).get(1).ifRange());
    }

    @Test
    void serverIgnoringRangeRestartsCleanly() throws Exception {
        hub.cutAfter = 1_500_000;
        hub.cutsLeft.set(1);
        hub.ignoreRange = true;

        Downloader.Result r = downloader().build().fetch(item(null));

        assertArrayEquals(content, Files.readAllBytes(target()));
        List<TestHub.Hit> hits = hub.hitsFor(PATH);
        assertEquals(2, hits.size());
        assertTrue(hits.get(1).range().startsWith("bytes="), "asked to resume");
        assertEquals(200, hits.get(1).status(), "but got the whole file");
        assertTrue(r.fetched() > SIZE, "the first partial transfer plus a full one");
    }

    @Test
    void staleOrForeignPartFileIsNotTrustedWhenTheServerSendsEverything() throws Exception {
        // A part file with wrong bytes; the server's ETag no longer matches so If-Range makes it send all.
        Files.createDirectories(partial().getParent());
        Files.write(partial(), randomBytes(500_000, 99));
        Files.writeString(partial().resolveSibling(FILE + ".part.meta"),
                "source=" + REPO + "@main/" + FILE + "\netag=\"old\"\n");

        downloader().build().fetch(item(null));

        assertArrayEquals(content, Files.readAllBytes(target()));
        TestHub.Hit hit = hub.hitsFor(PATH).get(0);
        assertEquals("\"old\"", hit.ifRange());
        assertEquals(200, hit.status());
    }

    @Test
    void notFoundIsOneClearErrorAndWritesNothing() throws Exception {
        hub.close();
        hub = new TestHub();  // serves nothing
        RunFailedException e = assertThrows(RunFailedException.class, () -> downloader().build().fetch(item(null)));

        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains(PATH), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(models.resolve("tiny")));
        assertFalse(Files.exists(models.resolve(".partial")));
        assertEquals(1, hub.hits.size(), "a 404 is not retried");
    }

    @Test
    void unauthorizedWithoutTokenHintsAtHfToken() {
        hub.requiredToken = "hf_secret";

        RunFailedException e = assertThrows(RunFailedException.class, () -> downloader().build().fetch(item(null)));

        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
        assertNull(hub.hits.get(0).authorization());
        assertFalse(Files.exists(target()));
    }

    @Test
    void tokenIsSentAsBearerToTheHub() throws Exception {
        hub.requiredToken = "hf_secret";

        downloader().tokenSource(() -> "hf_secret").build().fetch(item(null));

        assertArrayEquals(content, Files.readAllBytes(target()));
        assertEquals("Bearer hf_secret", hub.hits.get(0).authorization());
    }

    @Test
    void wrongTokenIsReportedAsSuch() {
        hub.requiredToken = "hf_secret";
        RunFailedException e = assertThrows(RunFailedException.class,
                () -> downloader().tokenSource(() -> "hf_wrong").build().fetch(item(null)));
        assertTrue(e.getMessage().contains("HF_TOKEN was sent"), e.getMessage());
    }

    @Test
    void tokenIsNotForwardedWhenRedirectedToAnotherOrigin() throws Exception {
        try (TestHub cdn = new TestHub()) {
            cdn.put("/blob/abc", content);
            hub.redirect(PATH, cdn.baseUrl() + "/blob/abc");

            downloader().tokenSource(() -> "hf_secret").build().fetch(item(null));

            assertArrayEquals(content, Files.readAllBytes(target()));
            assertEquals("Bearer hf_secret", hub.hits.get(0).authorization());
            assertNull(cdn.hits.get(0).authorization(), "the CDN never sees the token");
        }
    }

    @Test
    void relativeRedirectOnTheSameHubKeepsTheToken() throws Exception {
        hub.put("/cache/xyz", content);
        hub.redirect(PATH, "/cache/xyz");
        hub.requiredToken = null;

        downloader().tokenSource(() -> "hf_secret").build().fetch(item(null));

        assertArrayEquals(content, Files.readAllBytes(target()));
        assertEquals("Bearer hf_secret", hub.hitsFor("/cache/xyz").get(0).authorization());
    }

    @Test
    void traversalAndAbsoluteNamesInTheManifestAreRefused() {
        for (String[] bad : new String[][] {
                {"tiny", "../x.gguf"}, {"tiny", "/abs.gguf"}, {"..", "x.gguf"}, {"../evil", "x.gguf"},
                {"/etc", "x.gguf"}, {"tiny", "sub/x.gguf"}, {"tiny", ".hidden.gguf"}, {"tiny", "x\\\\..\\\\y.gguf"}}) {
            String json = """
                    {"models": [{"id": "%s", "repo": "a/b", "files": [{"quant": "Q8_0", "file": "%s"}]}]}
                    """.formatted(bad[0], bad[1]);
            BadInputException e = assertThrows(BadInputException.class,
                    () -> Manifest.parse(tmp.resolve("m.json"), json), String.join(" ", bad));
            assertTrue(e.getMessage().contains("not a plain"), e.getMessage());
        }
        for (String repo : new String[] {"../a/b", "a/b/../../c", "a", "http://evil/x"}) {
            String json = """
                    {"models": [{"id": "m", "repo": "%s", "files": [{"quant": "Q8_0", "file": "x.gguf"}]}]}
                    """.formatted(repo);
            assertThrows(BadInputException.class, () -> Manifest.parse(tmp.resolve("m.json"), json), repo);
        }
        String badRev = """
                {"models": [{"id": "m", "repo": "a/b", "files": [{"quant": "Q8_0", "file": "x.gguf", "revision": "../../x"}]}]}
                """;
        assertThrows(BadInputException.class, () -> Manifest.parse(tmp.resolve("m.json"), badRev));
    }

    @Test
    void itemsBuiltByHandAreCheckedToo() {
        DownloadItem evil = new DownloadItem("..", "evil", REPO, "main", FILE, null, null, null, null);
        assertThrows(BadInputException.class, () -> downloader().build().fetch(evil));
        assertFalse(Files.exists(tmp.resolve(FILE)));
        assertTrue(hub.hits.isEmpty());
    }

    @Test
    void symlinkedModelDirectoryIsRefused() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(models);
        Files.createSymbolicLink(models.resolve("tiny"), outside);

        BadInputException e = assertThrows(BadInputException.class, () -> downloader().build().fetch(item(null)));

        assertTrue(e.getMessage().contains("symlink"), e.getMessage());
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing written through the link");
        }
        assertTrue(hub.hits.isEmpty(), "refused before any request");
    }

    @Test
    void symlinkedPartialDirectoryIsRefused() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(models);
        Files.createSymbolicLink(models.resolve(".partial"), outside);

        assertThrows(BadInputException.class, () -> downloader().build().fetch(item(null)));
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void symlinkAsTargetFileIsRefused() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "keep me");
        Files.createDirectories(models.resolve("tiny"));
        Files.createSymbolicLink(target(), victim);

        assertThrows(BadInputException.class, () -> downloader().build().fetch(item(null)));
        assertEquals("keep me", Files.readString(victim));
    }

    @Test
    void diskFullIsAnErrorNotACorruptModel() {
        AtomicLong written = new AtomicLong();
        Downloader d = downloader().writeHook((ch, buf) -> {
            if (written.addAndGet(buf.remaining()) > 1_000_000) {
                throw new IOException("No space left on device");
            }
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }).build();

        RunFailedException e = assertThrows(RunFailedException.class, () -> d.fetch(item(null)));

        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertTrue(e.getMessage().contains("write failed"), e.getMessage());
        assertFalse(Files.exists(target()));
        assertEquals(1, hub.hitsFor(PATH).size(), "a write error is not retried");
        assertFalse(Files.exists(models.resolve("manifest.lock.json")));
    }

    @Test
    void completePartFileFromAnInterruptedRunIsVerifiedAndPlaced() throws Exception {
        Files.createDirectories(partial().getParent());
        Files.write(partial(), content);
        Files.writeString(partial().resolveSibling(FILE + ".part.meta"), "source=" + REPO + "@main/" + FILE
                + "\netag=" + TestHub.etag(content) + "\n");

        Downloader.Result r = downloader().build().fetch(item(null));

        assertEquals(416, hub.hitsFor(PATH).get(0).status());
        assertEquals(0, r.fetched());
        assertArrayEquals(content, Files.readAllBytes(target()));
        assertFalse(Files.exists(models.resolve(".partial")));
    }

    @Test
    void secondDownloadOfTheSameFileWhileOneIsRunningIsRefused() throws Exception {
        Files.createDirectories(partial().getParent());
        byte[] prefix = java.util.Arrays.copyOf(content, 100_000);
        Files.write(partial(), prefix);
        Files.writeString(partial().resolveSibling(FILE + ".part.meta"), "source=" + REPO + "@main/" + FILE + "\n");
        try (java.nio.channels.FileChannel held = java.nio.channels.FileChannel.open(partial(),
                java.nio.file.StandardOpenOption.WRITE); var lock = held.lock()) {
            RunFailedException e = assertThrows(RunFailedException.class, () -> downloader().build().fetch(item(null)));
            assertTrue(e.getMessage().contains("another download of this file is in progress"), e.getMessage());
        }
        assertArrayEquals(prefix, Files.readAllBytes(partial()), "the running download's bytes are untouched");
        assertTrue(hub.hits.isEmpty());
    }

    @Test
    void stalledTransferIsAbortedAndResumed() throws Exception {
        hub.stallAfter = 600_000;
        hub.stallMillis = 30_000;
        hub.stallsLeft.set(1);
        long t0 = System.nanoTime();

        Downloader.Result r = downloader().stallTimeout(Duration.ofSeconds(2)).build().fetch(item(null));

        assertArrayEquals(content, Files.readAllBytes(target()));
        List<TestHub.Hit> hits = hub.hitsFor(PATH);
        assertEquals(2, hits.size());
        long resumedAt = Long.parseLong(hits.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
        assertTrue(resumedAt > 0 && resumedAt <= 600_000, hits.get(1).range());
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "did not wait out the server's 30 s stall");
        assertEquals(SIZE, r.fetched());
    }

    @Test
    void realGgufFromSharedModelsDownloadsByteExact() throws Exception {
        Path source = dev.minillm.TestModel.STORIES;
        byte[] bytes = Files.readAllBytes(source);
        hub.put("/test-org/stories-GGUF/resolve/main/stories260K.gguf", bytes);
        Manifest m = Manifest.parse(tmp.resolve("m.json"), """
                {"models": [{"id": "stories260k", "repo": "test-org/stories-GGUF", "files": [
                  {"quant": "F32", "file": "stories260K.gguf", "size": %d}]}]}
                """.formatted(bytes.length));

        Downloader.Result r = downloader().build().fetch(m.select(List.of("stories260k"), List.of("all")).get(0));

        assertEquals(Downloader.sha256(source), r.sha256());
        assertEquals(models.resolve("stories260k/stories260K.gguf"), r.path());
        assertEquals("GGUF", new String(Files.readAllBytes(r.path()), 0, 4, StandardCharsets.US_ASCII));
    }

    @Test
    void manifestSizeDisagreeingWithServerFailsBeforeDownloading() {
        Manifest m = Manifest.parse(tmp.resolve("m.json"), """
                {"models": [{"id": "tiny", "repo": "%s", "files": [{"quant": "Q4_K_M", "file": "%s", "size": 123}]}]}
                """.formatted(REPO, FILE));
        RunFailedException e = assertThrows(RunFailedException.class,
                () -> downloader().build().fetch(m.select(List.of("tiny"), List.of("Q4_K_M")).get(0)));
        assertTrue(e.getMessage().contains("manifest says 123"), e.getMessage());
        assertFalse(Files.exists(target()));
    }

    @Test
    void datasetZipIsVerifiedAndItsMemberExtracted() throws Exception {
        String text = " = Robert Boulter = \n\n Robert Boulter is an English film and television actor .\n";
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream zos = new ZipOutputStream(zip)) {
            zos.putNextEntry(new ZipEntry("wikitext-2-raw/wiki.train.raw"));
            zos.write("train".getBytes(StandardCharsets.UTF_8));
            zos.putNextEntry(new ZipEntry("wikitext-2-raw/wiki.test.raw"));
            zos.write(text.getBytes(StandardCharsets.UTF_8));
        }
        hub.put("/datasets/ggml-org/ci/resolve/main/wikitext-2-raw-v1.zip", zip.toByteArray());
        Manifest m = Manifest.parse(tmp.resolve("m.json"), """
                {"models": [], "datasets": [{"id": "wikitext-2-raw", "repo": "datasets/ggml-org/ci",
                  "file": "wikitext-2-raw-v1.zip", "extract": "wikitext-2-raw/wiki.test.raw"}]}
                """);

        Downloader.Result r = downloader().build().fetch(m.dataset("wikitext-2-raw"));

        assertEquals(models.resolve("wikitext-2-raw/wiki.test.raw"), r.extracted());
        assertEquals(text, Files.readString(r.extracted()));
        assertEquals(sha(zip.toByteArray()), r.sha256());
    }

    @Test
    void datasetWithAnAbsoluteUrlIsFetchedFromItAndPinnedInTheLockOnFirstDownload() throws Exception {
        byte[] data = "{\"goal\":\"g\",\"sol1\":\"a\",\"sol2\":\"b\"}\n".getBytes(StandardCharsets.UTF_8);
        hub.put("/public/physicaliqa/valid.jsonl", data);
        Manifest m = Manifest.parse(tmp.resolve("m.json"), """
                {"models": [], "datasets": [{"id": "piqa", "url": "%s/public/physicaliqa/valid.jsonl", "file": "valid.jsonl"}]}
                """.formatted(hub.baseUrl()));
        // --base-url must not redirect a dataset that names its own URL
        Downloader d = downloader().baseUrl("http://127.0.0.1:9/unused").build();
        DownloadItem item = m.dataset("piqa");
        assertEquals(hub.baseUrl() + "/public/physicaliqa/valid.jsonl", d.url(item).toString());

        Downloader.Result r = d.fetch(item);

        assertEquals(models.resolve("piqa/valid.jsonl"), r.path());
        assertArrayEquals(data, Files.readAllBytes(r.path()));
        assertEquals("recorded", r.shaSource());
        assertEquals(sha(data), d.lockFile().get(item).sha256());
        assertThrows(BadInputException.class, () -> Manifest.parse(tmp.resolve("m.json"),
                "{\"models\": [], \"datasets\": [{\"id\": \"x\", \"url\": \"ftp://h/x\", \"file\": \"x\"}]}"));
    }
}
