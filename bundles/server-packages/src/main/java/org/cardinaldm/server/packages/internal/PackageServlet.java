package org.cardinaldm.server.packages.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the files of one directory, read-only, to devices that download packages and their signed
 * manifests: {@code GET} and {@code HEAD} of {@code <servlet path>/<file name>}. No listing, no
 * subdirectory, no symbolic link, no other method (405). One byte range per request ({@link ByteRange}: 206 with
 * {@code Content-Range}, 416 when unsatisfiable, the whole file for several ranges), honoured under
 * {@code If-Range} only for the current strong ETag (the SHA-256 prefix, {@link EntityTags}) or Last-Modified,
 * so that devices resume cut downloads. The name is taken from the raw request
 * path and must pass {@link PackageNames}; anything else, and any name that is not a regular file of the
 * directory, is 404. Each download takes a slot of {@link DownloadLimits} first; without one, 503 with
 * {@code Retry-After}. Logs one DEBUG line per request: the name, the status and the source address, never
 * the query (a package URL may carry a token there). Public (in a package the bundle does not export) only so that
 * {@code benchmarks/loadgen}'s download benchmark can put it in a plain Jetty.
 */
public final class PackageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PackageServlet.class);
    /** Seconds a refused client is told to wait. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final transient Path directory;
    private final transient DownloadLimits limits;
    private final transient EntityTags tags = new EntityTags();

    /**
     * @param directory the directory whose regular files are served
     * @param limits the bounds on downloads in progress
     */
    public PackageServlet(Path directory, DownloadLimits limits) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            resp.setHeader("Allow", "GET, HEAD");
            plain(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "only GET and HEAD");
            return;
        }
        String source = String.valueOf(req.getRemoteAddr());
        Optional<String> name = PackageNames.fromRawPath(rawPathBelowServlet(req));
        Path file = name.map(directory::resolve).orElse(null);
        if (file == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            LOG.debug("package request refused: 404 for {}", source);
            plain(resp, HttpServletResponse.SC_NOT_FOUND, "no such package");
            return;
        }
        if (!limits.tryAcquire(source)) {
            LOG.debug("package {}: 503 for {} (downloads in progress: {})", name.get(), source, limits.inFlight());
            resp.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            plain(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "too many downloads at once, retry later");
            return;
        }
        try {
            send(file, name.get(), head, source, req, resp);
        } finally {
            limits.release(source);
        }
    }

    private void send(Path file, String name, boolean head, String source, HttpServletRequest req,
            HttpServletResponse resp) throws IOException {
        SeekableByteChannel channel;
        long length;
        long modified;
        String etag;
        try {
            channel = head ? null : Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            length = attrs.size();
            modified = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            etag = tags.tag(file, length, modified);
        } catch (NoSuchFileException e) {
            LOG.debug("package {}: 404 for {} (removed meanwhile)", name, source);
            plain(resp, HttpServletResponse.SC_NOT_FOUND, "no such package");
            return;
        }
        try (SeekableByteChannel body = channel) {
            ByteRange range = ifRangeHolds(req.getHeader("If-Range"), etag, modified)
                    ? ByteRange.parse(req.getHeader("Range"), length)
                    : ByteRange.WHOLE;
            resp.setHeader("Accept-Ranges", "bytes");
            resp.setHeader("ETag", etag);
            resp.setDateHeader("Last-Modified", TimeUnit.NANOSECONDS.toMillis(modified));
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setHeader("Cache-Control", "no-cache");
            if (!range.satisfiable()) {
                resp.setHeader("Content-Range", "bytes */" + length);
                plain(resp, HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE, "range not satisfiable");
                LOG.debug("package {}: 416 for {}", name, source);
                return;
            }
            long first = range.partial() ? range.first() : 0;
            long count = range.partial() ? range.length() : length;
            resp.setStatus(range.partial() ? HttpServletResponse.SC_PARTIAL_CONTENT : HttpServletResponse.SC_OK);
            if (range.partial()) {
                resp.setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + length);
            }
            resp.setContentType(PackageNames.contentType(name));
            resp.setContentLengthLong(count);
            if (!head) {
                body.position(first);
                copy(Channels.newInputStream(body), resp.getOutputStream(), count);
            }
            LOG.debug("package {}: {} ({} bytes from {}{}) for {}", name, range.partial() ? 206 : 200, count, first,
                    head ? ", HEAD" : "", source);
        } catch (IOException e) {
            // the client went away, or the file changed under us: nothing an operator must do
            LOG.debug("package {}: download to {} ended early: {}", name, source, e.getClass().getSimpleName());
        }
    }

    /**
     * RFC 9110 §13.1.5: a Range is honoured only when there is no If-Range, or when it names the current
     * representation: exactly this strong ETag, or exactly this Last-Modified date. A weak tag or anything else
     * means "send everything".
     */
    static boolean ifRangeHolds(String ifRange, String etag, long modifiedNanos) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.strip();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return v.equals(etag);
        }
        try {
            long date = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
            return date == TimeUnit.NANOSECONDS.toSeconds(modifiedNanos);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Copies exactly the announced length, so a file growing meanwhile cannot break the response. */
    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("file shorter than announced");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
        out.flush();
    }

    /** @return the request path below this servlet's path, not decoded, or null */
    static String rawPathBelowServlet(HttpServletRequest req) {
        String uri = req.getRequestURI();
        String prefix = nullToEmpty(req.getContextPath()) + nullToEmpty(req.getServletPath());
        if (uri == null || !uri.startsWith(prefix)) {
            return null;
        }
        return uri.substring(prefix.length());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void plain(HttpServletResponse resp, int status, String reason) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain;charset=UTF-8");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.getWriter().println(reason);
    }
}
