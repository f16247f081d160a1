package org.cardinaldm.server.console.internal;

import java.io.IOException;
import java.util.Optional;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Serves the console's files (GET and HEAD only) with the headers that keep the page to itself: a
 * Content-Security-Policy that allows scripts, styles, images and requests from this origin only and
 * no inline script or style, no framing, no referrer, no content sniffing. The console's root (with or
 * without a trailing slash) is {@code index.html}; a name the console does not have is 404; other
 * methods are 405. Files are revalidated with their ETag ({@code Cache-Control: no-cache}).
 */
final class ConsoleServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** The policy every answer carries. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final transient ConsoleAssets assets;

    ConsoleServlet(ConsoleAssets assets) {
        this.assets = assets;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, true);
    }

    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, false);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws javax.servlet.ServletException,
            IOException {
        String m = req.getMethod();
        if ("GET".equals(m) || "HEAD".equals(m)) {
            super.service(req, resp);
            return;
        }
        headers(resp);
        resp.setHeader("Allow", "GET, HEAD");
        plain(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "The console only answers GET and HEAD.");
    }

    private void serve(HttpServletRequest req, HttpServletResponse resp, boolean body) throws IOException {
        headers(resp);
        String info = req.getPathInfo();
        if (info == null || info.isEmpty()) {
            // the console's root without its slash: relative links need the slash
            String target = req.getRequestURI() == null ? "" : req.getRequestURI();
            resp.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
            resp.setHeader("Location", target.endsWith("/") ? target : target + "/");
            return;
        }
        String name = info.equals("/") ? ConsoleAssets.INDEX : info.substring(1);
        Optional<ConsoleAssets.Asset> found = assets.get(name);
        if (found.isEmpty()) {
            plain(resp, HttpServletResponse.SC_NOT_FOUND, "The console has no such file.");
            return;
        }
        ConsoleAssets.Asset a = found.get();
        resp.setHeader("ETag", a.etag());
        resp.setHeader("Cache-Control", "no-cache");
        String match = req.getHeader("If-None-Match");
        if (match != null && match.contains(a.etag())) {
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(a.contentType());
        resp.setContentLength(a.body().length);
        if (body) {
            resp.getOutputStream().write(a.body());
        }
    }

    private static void headers(HttpServletResponse resp) {
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        resp.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    }

    private static void plain(HttpServletResponse resp, int status, String text) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(text);
    }
}
