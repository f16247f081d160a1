package org.cardinaldm.benchmarks.loadgen;

import java.io.IOException;
import java.io.OutputStream;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The baseline: reads the whole request body and answers it unchanged, with the request's content
 * type, on the same Jetty, connector and client as the DM endpoint.
 */
final class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = req.getInputStream().readAllBytes();
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(req.getContentType() == null ? "application/octet-stream" : req.getContentType());
        resp.setContentLength(body.length);
        resp.setHeader("Cache-Control", "no-store");
        try (OutputStream os = resp.getOutputStream()) {
            os.write(body);
        }
    }
}
