package org.cardinaldm.transport.http.internal.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

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
 * <p>Refusals: 415 for another media type, 413 over the size limit (checked on Content-Length and
 * while reading), 400 for an empty or undecodable body, 405 for anything but POST.
 */
public final class DmServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DmServlet.class);
    /** The SyncML HMAC header (digest section 3.3). */
    static final String HMAC_HEADER = "x-syncml-hmac";
    /** The media types accepted: DM and, as some DM clients send them, data synchronisation. */
    static final List<String> MEDIA_TYPES = List.of("application/vnd.syncml.dm+xml",
            "application/vnd.syncml.dm+wbxml", "application/vnd.syncml+xml", "application/vnd.syncml+wbxml");

    private final transient Supplier<ServerEndpoint> endpoint;
    private final int maxBytes;
    private final String publicUrl;

    /**
     * @param endpoint the server
     * @param maxBytes the largest body accepted, or 0 for the server's MaxMsgSize
     * @param publicUrl the URL clients reach this servlet at (behind a proxy), or null for the request URL
     */
    public DmServlet(Supplier<ServerEndpoint> endpoint, int maxBytes, String publicUrl) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.maxBytes = maxBytes;
        this.publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl;
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
        ServerEndpoint server = endpoint.get();
        if (server == null) {
            refuse(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the DM server is not running");
            return;
        }
        String contentType = req.getContentType();
        String media = contentType == null ? "" : bare(contentType);
        if (!MEDIA_TYPES.contains(media)) {
            resp.setHeader("Accept", String.join(", ", MEDIA_TYPES));
            refuse(resp, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "unsupported media type " + (contentType == null ? "(none)" : media));
            return;
        }
        int limit = maxBytes > 0 ? maxBytes : server.maxMessageBytes();
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            refuse(resp, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    "message of " + declared + " bytes exceeds MaxMsgSize " + limit);
            return;
        }
        byte[] body = read(req.getInputStream(), limit);
        if (body == null) {
            refuse(resp, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "message exceeds MaxMsgSize " + limit);
            return;
        }
        if (body.length == 0) {
            refuse(resp, HttpServletResponse.SC_BAD_REQUEST, "empty message");
            return;
        }
        String url = publicUrl != null ? publicUrl : req.getRequestURL().toString();
        OutboundMessage out = server.process(new InboundMessage(body, contentType, req.getHeader(HMAC_HEADER),
                sessionToken(req.getQueryString()), url, req.getRemoteAddr()));
        if (!out.isMessage()) {
            LOG.debug("Refused a message from {}: {} {}", req.getRemoteAddr(), out.transportStatus(), out.reason());
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

    private static void refuse(HttpServletResponse resp, int status, String reason) throws IOException {
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
