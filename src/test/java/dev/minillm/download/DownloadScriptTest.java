package dev.minillm.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/download-models.sh (bash + curl + sha256sum + python3) against the same local hub. */
class DownloadScriptTest {
    static final String REPO = DownloaderTest.REPO;
    static final String FILE = DownloaderTest.FILE;
    static final String PATH = DownloaderTest.PATH;
    static final int SIZE = 2 * 1024 * 1024 + 777;

    @TempDir
    Path tmp;
    TestHub hub;
    byte[] content;
    Path models;
    Path manifest;

    record Run(int exit, String out, String err) {
        String lastErrLine() {
            String[] lines = err.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        hub = new TestHub();
        content = DownloaderTest.randomBytes(SIZE, 5);
        hub.put(PATH, content);
        models = tmp.resolve("models");
        manifest = writeManifest(null);
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    Path writeManifest(String sha256) throws IOException {
        return Files.writeString(tmp.resolve("manifest.json"), """
                {"models": [{"id": "tiny", "repo": "%s", "files": [
                  {"quant": "Q4_K_M", "file": "%s", "sha256": %s}]}],
                 "datasets": [{"id": "wiki", "repo": "datasets/ggml-org/ci", "file": "w.zip",
                               "extract": "wikitext-2-raw/wiki.test.raw"}]}
                """.formatted(REPO, FILE, sha256 == null ? "null" : "\"" + sha256 + "\""));
    }

    Run script(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "scripts/download-models.sh",
                "--manifest", manifest.toString(), "--models-dir", models.toString(), "--base-url", hub.baseUrl()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> e = pb.environment();
        // Only the local hub may be contacted: no proxies, no ambient token or endpoint.
        for (String k : List.of("HF_TOKEN", "HF_ENDPOINT", "http_proxy", "https_proxy", "HTTP_PROXY",
                "HTTPS_PROXY", "ALL_PROXY", "all_proxy")) {
            e.remove(k);
        }
        e.put("NO_PROXY", "127.0.0.1");
        // The system python3 a fresh Debian has (a version-manager shim on PATH costs ~0.7 s per call).
        e.put("PATH", "/usr/bin:/bin:" + e.getOrDefault("PATH", ""));
        e.put("MINILLM_RETRY_DELAY", "0");
        e.putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "script finished");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    Run script(String... args) throws Exception {
        return script(Map.of(), args);
    }

    Path target() {
        return models.resolve("tiny").resolve(FILE);
    }

    Path partial() {
        return models.resolve(".partial/tiny/" + FILE + ".part");
    }

    @Test
    void downloadsRecordsLockVerifiesAndDetectsTampering() throws Exception {
        Run r = script("--model", "tiny", "--quant", "q4_k_m");
        assertEquals(0, r.exit(), r.err());
        assertEquals(target().toString(), r.out().strip());
        assertArrayEquals(content, Files.readAllBytes(target()));
        assertFalse(Files.exists(models.resolve(".partial")));
        // The lock is the same format the Java side reads.
        DownloadItem item = Manifest.load(manifest).select(List.of("tiny"), List.of("all")).get(0);
        LockFile.Entry entry = new LockFile(models.resolve("manifest.lock.json")).get(item);
        assertEquals(DownloaderTest.sha(content), entry.sha256());
        assertEquals(SIZE, entry.size());

        Run again = script("--model", "tiny", "--quant", "Q4_K_M");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("already present, sha256 matches the lock file"), again.err());
        assertEquals(1, hub.hitsFor(PATH).size());

        byte[] bad = content.clone();
        bad[SIZE - 1] ^= 0x55;
        Files.write(target(), bad);
        Run tampered = script("--model", "tiny", "--quant", "all");
        assertEquals(0, tampered.exit(), tampered.err());
        assertTrue(tampered.err().contains("does not match the lock file"), tampered.err());
        assertArrayEquals(content, Files.readAllBytes(target()));
    }

    @Test
    void lockRecordedByTheJarIsHonouredByTheScript() throws Exception {
        DownloadItem item = Manifest.load(manifest).select(List.of("tiny"), List.of("all")).get(0);
        Downloader.builder().modelsDir(models).baseUrl(hub.baseUrl()).tokenSource(() -> null).build().fetch(item);
        Files.delete(target());
        hub.put(PATH, DownloaderTest.randomBytes(SIZE, 6));  // upstream changed since the lock was written

        Run r = script("--model", "tiny", "--quant", "q4_k_m");

        assertEquals(1, r.exit(), r.err());
        assertTrue(r.lastErrLine().contains("checksum mismatch"), r.err());
        assertTrue(r.lastErrLine().contains("(lock file)"), r.err());
        assertFalse(Files.exists(target()));
        assertFalse(Files.exists(partial()));
    }

    @Test
    void cutConnectionIsResumedWithCurlRange() throws Exception {
        hub.cutAfter = 700_000;
        hub.cutsLeft.set(1);

        Run r = script("--model", "tiny", "--quant", "q4_k_m");

        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(content, Files.readAllBytes(target()));
        List<TestHub.Hit> hits = hub.hitsFor(PATH);
        assertEquals(2, hits.size(), hits.toString());
        assertTrue(hits.get(1).range().matches("bytes=\\d+-"), hits.toString());
        assertEquals(206, hits.get(1).status());
        assertTrue(hits.get(1).ifRange() != null, "resume guarded by If-Range");
    }

    @Test
    void partialIsKeptAcrossRunsAndResumed() throws Exception {
        hub.cutAfter = 900_000;
        hub.cutsLeft.set(1);

        Run first = script("--model", "tiny", "--quant", "q4_k_m", "--attempts", "1");
        assertEquals(1, first.exit(), first.err());
        assertTrue(first.lastErrLine().contains("run again to resume"), first.err());
        assertFalse(Files.exists(target()));
        long kept = Files.size(partial());
        assertTrue(kept > 0 && kept <= 900_000, "kept " + kept);

        Run second = script("--model", "tiny", "--quant", "q4_k_m");
        assertEquals(0, second.exit(), second.err());
        assertArrayEquals(content, Files.readAllBytes(target()));
        assertEquals("bytes=" + kept + "-", hub.hitsFor(PATH).get(1).range());
        assertFalse(Files.exists(models.resolve(".partial")));
    }

    @Test
    void completePartFileIsVerifiedAndPlaced() throws Exception {
        Files.createDirectories(partial().getParent());
        Files.write(partial(), content);
        Files.writeString(partial().resolveSibling(FILE + ".part.meta"), "source=" + REPO + "@main/" + FILE + "\n");
        Files.writeString(partial().resolveSibling(FILE + ".part.hdr"),
                "HTTP/1.1 200 OK\r\nETag: " + TestHub.etag(content) + "\r\n\r\n");

        Run r = script("--model", "tiny", "--quant", "q4_k_m");

        assertEquals(0, r.exit(), r.err());
        assertEquals(416, hub.hitsFor(PATH).get(0).status());
        assertArrayEquals(content, Files.readAllBytes(target()));
        assertFalse(Files.exists(models.resolve(".partial")));
    }

    @Test
    void withoutEtagOrChecksumAPartFileIsRestarted() throws Exception {
        hub.noEtag = true;
        hub.cutAfter = 700_000;
        hub.cutsLeft.set(1);

        Run r = script("--model", "tiny", "--quant", "q4_k_m");

        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(content, Files.readAllBytes(target()));
        assertNull(hub.hitsFor(PATH).get(1).range(), r.err());
        assertTrue(r.err().contains("no ETag"), r.err());
    }

    @Test
    void serverIgnoringRangeRestartsCleanly() throws Exception {
        hub.cutAfter = 800_000;
        hub.cutsLeft.set(1);
        hub.ignoreRange = true;

        Run r = script("--model", "tiny", "--quant", "q4_k_m");

        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(content, Files.readAllBytes(target()));
        assertTrue(r.err().contains("restarting from 0"), r.err());
        assertEquals(200, hub.hitsFor(PATH).get(hub.hitsFor(PATH).size() - 1).status());
    }

    @Test
    void notFoundIsOneLineExitOneAndNothingWritten() throws Exception {
        hub.close();
        hub = new TestHub();

        Run r = script("--model", "tiny", "--quant", "q4_k_m");

        assertEquals(1, r.exit(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertTrue(r.lastErrLine().startsWith("download-models.sh: HTTP 404"), r.err());
        assertEquals(1, Arrays.stream(lines).filter(l -> l.startsWith("download-models.sh:")).count(), r.err());
        assertFalse(r.err().contains("curl:"), "curl's own error line stays quiet off a terminal");
        assertFalse(Files.exists(models.resolve("tiny")));
        assertFalse(Files.exists(models.resolve(".partial")));
    }

    @Test
    void unauthorizedAndHfToken() throws Exception {
        hub.requiredToken = "hf_abc";

        Run denied = script("--model", "tiny", "--quant", "q4_k_m");
        assertEquals(1, denied.exit());
        assertTrue(denied.lastErrLine().contains("HTTP 401") && denied.lastErrLine().contains("set HF_TOKEN"), denied.err());
        assertNull(hub.hits.get(0).authorization());

        Run ok = script(Map.of("HF_TOKEN", "hf_abc"), "--model", "tiny", "--quant", "q4_k_m");
        assertEquals(0, ok.exit(), ok.err());
        assertEquals("Bearer hf_abc", hub.hits.get(1).authorization());
        assertArrayEquals(content, Files.readAllBytes(target()));
    }

    @Test
    void tokenIsNotForwardedToTheRedirectTarget() throws Exception {
        try (TestHub cdn = new TestHub()) {
            cdn.put("/blob/1", content);
            hub.redirect(PATH, cdn.baseUrl() + "/blob/1");

            Run r = script(Map.of("HF_TOKEN", "hf_abc"), "--model", "tiny", "--quant", "q4_k_m");

            assertEquals(0, r.exit(), r.err());
            assertEquals("Bearer hf_abc", hub.hits.get(0).authorization());
            assertNull(cdn.hits.get(0).authorization());
            assertArrayEquals(content, Files.readAllBytes(target()));
        }
    }

    @Test
    void manifestChecksumMismatchDeletesTheDownload() throws Exception {
        manifest = writeManifest("0".repeat(64));

        Run r = script("--model", "tiny", "--quant", "q4_k_m");

        assertEquals(1, r.exit());
        assertTrue(r.lastErrLine().contains("checksum mismatch") && r.lastErrLine().contains("deleted"), r.err());
        assertFalse(Files.exists(target()));
        assertFalse(Files.exists(partial()));
        assertFalse(Files.exists(models.resolve("manifest.lock.json")));
    }

    @Test
    void badInputExitsTwoBeforeAnyRequest() throws Exception {
        assertEquals(2, script("--model", "nope", "--quant", "q4_k_m").exit());
        assertEquals(2, script("--model", "tiny", "--quant", "q2_k").exit());
        assertEquals(2, script("--bogus").exit());
        for (String[] bad : new String[][] {{"tiny", "../x.gguf"}, {"tiny", "/abs.gguf"}, {"../up", "x.gguf"}}) {
            manifest = Files.writeString(tmp.resolve("bad.json"), """
                    {"models": [{"id": "%s", "repo": "a/b", "files": [{"quant": "Q8_0", "file": "%s"}]}]}
                    """.formatted(bad[0], bad[1]));
            Run r = script("--model", bad[0], "--quant", "all");
            assertEquals(2, r.exit(), String.join(" ", bad) + ": " + r.err());
            assertTrue(r.lastErrLine().contains("not a plain name"), r.err());
        }
        Files.writeString(tmp.resolve("bad.json"), "{not json");
        Run r = script("--model", "tiny", "--quant", "all");
        assertEquals(2, r.exit());
        assertTrue(r.lastErrLine().contains("not valid JSON"), r.err());
        assertTrue(hub.hits.isEmpty());
        assertFalse(Files.exists(tmp.resolve("x.gguf")));
    }

    @Test
    void symlinkedTargetDirectoryIsRefused() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(models);
        Files.createSymbolicLink(models.resolve("tiny"), outside);

        Run r = script("--model", "tiny", "--quant", "q4_k_m");

        assertEquals(2, r.exit(), r.err());
        assertTrue(r.lastErrLine().contains("symlink"), r.err());
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count());
        }
        assertTrue(hub.hits.isEmpty());
    }

    @Test
    void noServerIsOneLineExitOne() throws Exception {
        String base = hub.baseUrl();
        hub.close();
        Run r = script("--model", "tiny", "--quant", "q4_k_m", "--base-url", base);
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.lastErrLine().contains("cannot connect"), r.err());
        assertFalse(Files.exists(models.resolve("tiny")));
        assertFalse(Files.exists(models.resolve(".partial")));
        hub = new TestHub();
    }

    @Test
    void writeFailureIsAnErrorAndNoModelAppears() throws Exception {
        // A 600 KiB file-size limit makes curl's writes fail (EFBIG) like a full disk would (ENOSPC).
        List<String> cmd = List.of("bash", "-c", "ulimit -f 600; trap '' XFSZ; exec bash scripts/download-models.sh "
                + "--manifest '" + manifest + "' --models-dir '" + models + "' --base-url " + hub.baseUrl()
                + " --model tiny --quant q4_k_m");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("HF_TOKEN");
        pb.environment().put("NO_PROXY", "127.0.0.1");
        pb.environment().put("PATH", "/usr/bin:/bin:" + pb.environment().getOrDefault("PATH", ""));
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String e = Files.readString(err);

        assertEquals(1, p.exitValue(), e);
        assertTrue(e.contains("write failed (disk full?)"), e);
        assertFalse(Files.exists(target()));
        assertTrue(Files.size(partial()) <= 600 * 1024, "partial kept for resume, within the limit");
        assertFalse(Files.exists(models.resolve("manifest.lock.json")));
    }

    @Test
    void dryRunFetchesNothing() throws Exception {
        Run r = script("--model", "tiny", "--quant", "all", "--dataset", "wiki", "--dry-run");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(hub.baseUrl() + PATH), r.out());
        assertTrue(r.out().contains(hub.baseUrl() + "/datasets/ggml-org/ci/resolve/main/w.zip"), r.out());
        assertTrue(hub.hits.isEmpty());
        assertFalse(Files.exists(models));
    }

    @Test
    void datasetZipMemberIsExtracted() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream zos = new ZipOutputStream(zip)) {
            zos.putNextEntry(new ZipEntry("wikitext-2-raw/wiki.test.raw"));
            zos.write(" = Valkyria Chronicles III = \n".getBytes(StandardCharsets.UTF_8));
        }
        hub.put("/datasets/ggml-org/ci/resolve/main/w.zip", zip.toByteArray());

        Run r = script("--dataset", "wiki");

        assertEquals(0, r.exit(), r.err());
        assertEquals(" = Valkyria Chronicles III = \n", Files.readString(models.resolve("wiki/wiki.test.raw")));
        assertTrue(r.out().contains(models.resolve("wiki/wiki.test.raw").toString()), r.out());
    }

    @Test
    void realGgufIsFetchedByteExact() throws Exception {
        byte[] gguf = Files.readAllBytes(dev.minillm.TestModel.STORIES);
        hub.put(PATH, gguf);

        Run r = script("--model", "tiny", "--quant", "q4_k_m");

        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(gguf, Files.readAllBytes(target()));
    }
}
