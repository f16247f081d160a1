package org.cardinaldm.transport.http.server.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

import javax.servlet.AsyncContext;
import javax.servlet.DispatcherType;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.api.transport.ServerEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DM server's HTTP endpoint (OMA-TS-SyncML_HTTPBinding-V1_2; digest section 1.1): one SyncML
 * message per POST, answered in the client's own media type. The session token of the RespURI comes
 * back as the query parameter {@value ServerEndpoint#SESSION_PARAMETER}.
 *
 * <p>Everything is checked before the DM server sees a byte: 405 for anything but POST, 415 for another
 * media type (or a Content-Type over {@value #MAX_CONTENT_TYPE_CHARS} characters), 431 for an
 * {@code x-syncml-hmac} header over {@value #MAX_HMAC_HEADER_CHARS} characters, 414 for a query over
 * {@value #MAX_QUERY_CHARS} characters, 413 over the size limit (checked on Content-Length and while
 * reading), 408 when the body is not complete within the body timeout, 400 for an empty body; the server
 * answers 400 for an undecodable one.
 *
 * <p>Where the container supports it (Servlet 3.1 asynchronous I/O, as Jetty through Pax Web does), the
 * body is read without holding a thread: a client that sends slowly or stalls costs a buffer of what it
 * has sent, not a worker thread, and is answered 408 after the body timeout. The complete body is then
 * processed in an asynchronous dispatch. Elsewhere the body is read blocking, bounded by its size.
 *
 * <p>The source address handed to the server ({@link InboundMessage#remoteAddress()}) is the TCP peer,
 * or what a trusted proxy forwarded ({@link SourceAddress}).
 */
public final class DmServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DmServlet.class);
    /** The SyncML HMAC header (digest section 3.3). */
    static final String HMAC_HEADER = "x-syncml-hmac";
    /** The media types accepted: DM and, as some DM clients send them, data synchronisation. */
    static final List<String> MEDIA_TYPES = List.of("application/vnd.syncml.dm+xml",
            "application/vnd.syncml.dm+wbxml", "application/vnd.syncml+xml", "application/vnd.syncml+wbxml");
    /** Longest Content-Type value accepted. */
    static final int MAX_CONTENT_TYPE_CHARS = 256;
    /** Longest {@code x-syncml-hmac} value accepted (a real one is about 100 characters). */
    static final int MAX_HMAC_HEADER_CHARS = 1024;
    /** Longest query string accepted (it carries only the session token). */
    static final int MAX_QUERY_CHARS = 1024;
    /** Request attribute carrying the body from the asynchronous read to the dispatch that processes it. */
    static final String BODY_ATTRIBUTE = DmServlet.class.getName() + ".body";

    private final transient Supplier<ServerEndpoint> endpoint;
    private final transient EndpointSettings settings;
    private final transient BodyBudget budget;

    /**
     * @param endpoint the server
     * @param maxBytes the largest body accepted, or 0 for the server's MaxMsgSize
     * @param publicUrl the URL clients reach this servlet at (behind a proxy), or null for the request URL
     */
    public DmServlet(Supplier<ServerEndpoint> endpoint, int maxBytes, String publicUrl) {
        this(endpoint, EndpointSettings.of(maxBytes, publicUrl));
    }

    DmServlet(Supplier<ServerEndpoint> endpoint, EndpointSettings settings) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.budget = new BodyBudget(settings.pendingBytes(), settings.pendingBytesPerSource());
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        refuse(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "SyncML DM messages are POSTed");
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        refuse(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "SyncML DM messages are POSTed");
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        refuse(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "SyncML DM messages are POSTed");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getDispatcherType() == DispatcherType.ASYNC && req.getAttribute(BODY_ATTRIBUTE) instanceof byte[]) {
            byte[] body = (byte[]) req.getAttribute(BODY_ATTRIBUTE);
            req.removeAttribute(BODY_ATTRIBUTE);
            ServerEndpoint server = endpoint.get();
            if (server == null) {
                refuse(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the DM server is not running");
                return;
            }
            process(server, req, resp, body);
            return;
        }
        ServerEndpoint server = endpoint.get();
        if (server == null) {
            refuse(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the DM server is not running");
            return;
        }
        String contentType = req.getContentType();
        String media = contentType == null || contentType.length() > MAX_CONTENT_TYPE_CHARS ? "" : bare(contentType);
        if (!MEDIA_TYPES.contains(media)) {
            resp.setHeader("Accept", String.join(", ", MEDIA_TYPES));
            refuse(resp, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "unsupported media type "
                    + (contentType == null ? "(none)" : media.isEmpty() ? "(not a media type)" : media));
            return;
        }
        String hmac = req.getHeader(HMAC_HEADER);
        if (hmac != null && hmac.length() > MAX_HMAC_HEADER_CHARS) {
            refuse(resp, 431, HMAC_HEADER + " header longer than " + MAX_HMAC_HEADER_CHARS + " characters");
            return;
        }
        String query = req.getQueryString();
        if (query != null && query.length() > MAX_QUERY_CHARS) {
            refuse(resp, 414, "query longer than " + MAX_QUERY_CHARS + " characters");
            return;
        }
        int limit = settings.maxBytes() > 0 ? settings.maxBytes() : server.maxMessageBytes();
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            refuse(resp, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    "message of " + declared + " bytes exceeds MaxMsgSize " + limit);
            return;
        }
        if (req.isAsyncSupported()) {
            AsyncContext async = req.startAsync();
            async.setTimeout(settings.bodyTimeout().toMillis());
            ServletInputStream in = req.getInputStream();
            BodyReader reader = new BodyReader(async, in, limit, declared, budget, source(req));
            async.addListener(reader);
            in.setReadListener(reader);
            return;
        }
        byte[] body = read(req.getInputStream(), limit);
        if (body == null) {
            refuse(resp, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "message exceeds MaxMsgSize " + limit);
            return;
        }
        process(server, req, resp, body);
    }

    private void process(ServerEndpoint server, HttpServletRequest req, HttpServletResponse resp, byte[] body)
            throws IOException {
        if (body.length == 0) {
            refuse(resp, HttpServletResponse.SC_BAD_REQUEST, "empty message");
            return;
        }
        String source = source(req);
        String url = settings.publicUrl() != null ? settings.publicUrl() : req.getRequestURL().toString();
        OutboundMessage out = server.process(new InboundMessage(body, req.getContentType(),
                req.getHeader(HMAC_HEADER), sessionToken(req.getQueryString()), url, source));
        if (!out.isMessage()) {
            LOG.debug("Refused a message from {}: {} {}", source, out.transportStatus(), out.reason());
            refuse(resp, out.transportStatus(), out.reason());
            return;
        }
        byte[] answer = out.body();
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(out.contentType());
        resp.setContentLength(answer.length);
        resp.setHeader("Cache-Control", "no-store");
        if (out.hmacHeader() != null) {
            resp.setHeader(HMAC_HEADER, out.hmacHeader());
        }
        try (OutputStream os = resp.getOutputStream()) {
            os.write(answer);
        }
    }

    /** @return the request's source: the peer, or what a trusted proxy forwarded */
    String source(HttpServletRequest req) {
        SourceAddress sources = settings.sources();
        List<String> forwarded = List.of();
        if (sources.trustsAnyProxy()) {
            Enumeration<String> values = req.getHeaders(sources.header());
            forwarded = values == null ? List.of() : Collections.list(values);
        }
        return sources.resolve(req.getRemoteAddr(), forwarded);
    }

    /** @return the bare lower-case media type of a Content-Type value */
    static String bare(String contentType) {
        int semicolon = contentType.indexOf(';');
        String t = semicolon >= 0 ? contentType.substring(0, semicolon) : contentType;
        return t.trim().toLowerCase(Locale.ROOT);
    }

    /** @return the session token from a query string, or null */
    static String sessionToken(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(ServerEndpoint.SESSION_PARAMETER)) {
                try {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** @return the bytes, or null when there are more than {@code limit} */
    private static byte[] read(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 8192));
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > limit) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static void refuse(HttpServletResponse resp, int status, String reason) throws IOException {
        byte[] text = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        if (status == HttpServletResponse.SC_METHOD_NOT_ALLOWED) {
            resp.setHeader("Allow", "POST");
        }
        resp.setContentType("text/plain;charset=utf-8");
        resp.setContentLength(text.length);
        try (OutputStream os = resp.getOutputStream()) {
            os.write(text);
        }
    }
}
