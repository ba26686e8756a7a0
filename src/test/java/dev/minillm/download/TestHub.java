package dev.minillm.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Hugging Face hub on 127.0.0.1 only, serving byte arrays at fixed paths with
 * real Range/If-Range/ETag handling, and knobs for the failures a download must survive.
 */
final class TestHub implements AutoCloseable {
    /** One request as the server saw it. */
    record Hit(String path, String range, String ifRange, String authorization, int status) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-hub");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    final List<Hit> hits = new CopyOnWriteArrayList<>();

    /** Close the connection after this many body bytes, for the next {@link #cutsLeft} responses. */
    volatile long cutAfter = -1;
    final AtomicInteger cutsLeft = new AtomicInteger();
    /** Answer every request with the full file and 200, as a server without Range support does. */
    volatile boolean ignoreRange;
    /** When set, requests must carry "Authorization: Bearer <token>" or get 401. */
    volatile String requiredToken;
    /** Send no ETag (some mirrors don't). */
    volatile boolean noEtag;
    /** After this many body bytes, stop sending (without closing) for {@link #stallMillis}. */
    volatile long stallAfter = -1;
    volatile long stallMillis;
    final AtomicInteger stallsLeft = new AtomicInteger();

    TestHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void put(String path, byte[] content) {
        files.put(path, content);
    }

    /** Requests for {@code path} get a 302 to {@code location} (absolute or relative). */
    void redirect(String path, String location) {
        redirects.put(path, location);
    }

    List<Hit> hitsFor(String path) {
        return hits.stream().filter(h -> h.path().equals(path)).toList();
    }

    static String etag(byte[] content) {
        return "\"" + Integer.toHexString(java.util.Arrays.hashCode(content)) + "-" + content.length + "\"";
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        String ifRange = ex.getRequestHeaders().getFirst("If-Range");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        try (ex) {
            String location = redirects.get(path);
            if (location != null) {
                record(path, range, ifRange, auth, 302);
                ex.getResponseHeaders().add("Location", location);
                ex.sendResponseHeaders(302, -1);
                return;
            }
            if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
                record(path, range, ifRange, auth, 401);
                ex.sendResponseHeaders(401, -1);
                return;
            }
            byte[] content = files.get(path);
            if (content == null) {
                record(path, range, ifRange, auth, 404);
                ex.sendResponseHeaders(404, -1);
                return;
            }
            String tag = etag(content);
            if (!noEtag) {
                ex.getResponseHeaders().add("ETag", tag);
            }
            ex.getResponseHeaders().add("Accept-Ranges", ignoreRange ? "none" : "bytes");
            long start = 0;
            Matcher m = range == null ? null : Pattern.compile("bytes=(\\d+)-").matcher(range);
            boolean partial = m != null && m.matches() && !ignoreRange && (ifRange == null || ifRange.equals(tag));
            if (partial) {
                start = Long.parseLong(m.group(1));
                if (start >= content.length) {
                    record(path, range, ifRange, auth, 416);
                    ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().add("Content-Range",
                        "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
            }
            int status = partial ? 206 : 200;
            record(path, range, ifRange, auth, status);
            long length = content.length - start;
            ex.sendResponseHeaders(status, length);
            OutputStream out = ex.getResponseBody();
            long limit = length;
            boolean cut = cutAfter >= 0 && cutsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (cut) {
                limit = Math.min(length, cutAfter);
            }
            long stallAt = stallAfter >= 0 && stallsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? stallAfter : -1;
            long sent = 0;
            while (sent < limit) {
                int n = (int) Math.min(64 * 1024, limit - sent);
                if (stallAt >= 0 && sent < stallAt && sent + n > stallAt) {
                    n = (int) (stallAt - sent);
                }
                out.write(content, (int) (start + sent), n);
                sent += n;
                if (sent == stallAt) {
                    out.flush();
                    try {
                        Thread.sleep(stallMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            out.flush();
            if (cut) {
                // Drop the connection with the body short of its Content-Length, as a network cut does.
                throw new IOException("test hub: cutting the connection after " + sent + " bytes");
            }
        }
    }

    private void record(String path, String range, String ifRange, String auth, int status) {
        hits.add(new Hit(path, range, ifRange, auth, status));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
