package org.cardinaldm.fumo.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server for the download tests: serves files from memory with {@code Range} and an ETag, and can
 * misbehave on purpose (cut the body, announce a huge length, send more than asked, redirect, ask for Basic
 * authentication). Records every request's Range header.
 */
final class PackageServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final Map<String, String> redirects = new ConcurrentHashMap<>();
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final List<String> paths = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** Cut the body of the next N payload answers after this many bytes (then serve normally). */
    volatile long cutAfter = -1;
    volatile int cuts;
    /** Announce this Content-Length (and send a few bytes) instead of the real one. */
    volatile long fakeLength = -1;
    /** Append this many bytes to payloads. */
    volatile int extra;
    /** Require HTTP Basic with this token ("user:password"), or null. */
    volatile String basic;
    /** Answer 403 to everything. */
    volatile boolean forbid;
    /** Ignore Range (always answer 200 with everything). */
    volatile boolean noRange;

    PackageServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            paths.add(path);
            String range = x.getRequestHeaders().getFirst("Range");
            ranges.add(range == null ? "" : range);
            String auth = x.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            if (forbid) {
                x.sendResponseHeaders(403, -1);
                return;
            }
            if (basic != null && !("Basic " + java.util.Base64.getEncoder().encodeToString(basic.getBytes()))
                    .equals(auth)) {
                x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"firmware\"");
                x.sendResponseHeaders(401, -1);
                return;
            }
            String to = redirects.get(path);
            if (to != null) {
                x.getResponseHeaders().add("Location", to);
                x.sendResponseHeaders(302, -1);
                return;
            }
            byte[] body = files.get(path);
            if (body == null) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            boolean payload = !path.endsWith(".manifest.p7");
            if (payload && extra > 0) {
                byte[] more = new byte[body.length + extra];
                System.arraycopy(body, 0, more, 0, body.length);
                body = more;
            }
            x.getResponseHeaders().add("ETag", "\"v1-" + body.length + "\"");
            x.getResponseHeaders().add("Accept-Ranges", "bytes");
            long from = 0;
            boolean cutNow = payload && cutAfter >= 0 && cuts > 0;
            Matcher m = range == null || noRange ? null : RANGE.matcher(range);
            if (m != null && m.matches()) {
                from = Long.parseLong(m.group(1));
                x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/"
                        + body.length);
                x.sendResponseHeaders(206, cutNow ? 0 : body.length - from);
            } else if (payload && fakeLength > 0) {
                x.sendResponseHeaders(200, fakeLength);
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body, 0, Math.min(body.length, 16));
                } catch (IOException e) {
                    // the client hangs up
                }
                return;
            } else {
                // a cut body is sent chunked and ends early: the JDK server cannot drop the connection itself
                x.sendResponseHeaders(200, cutNow ? 0 : body.length);
            }
            try (OutputStream out = x.getResponseBody()) {
                if (cutNow) {
                    cuts--;
                    out.write(body, (int) from, (int) Math.min(cutAfter, body.length - from));
                    return;
                }
                out.write(body, (int) from, (int) (body.length - from));
            }
        } catch (IOException e) {
            // a cut: the exchange is closed without the rest
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
