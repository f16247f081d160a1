package org.cardinaldm.transport.http.server.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one request body with Servlet 3.1 non-blocking I/O: the container calls back when bytes have
 * arrived, so no thread waits for a slow client. The body is bounded by a byte limit (413 as soon as it
 * is exceeded) and, through the asynchronous context's timeout, by time (408). A complete body goes back
 * to the servlet in an asynchronous dispatch, as the request attribute {@link DmServlet#BODY_ATTRIBUTE}.
 *
 * <p>Exactly one of these ends a read: the dispatch, a refusal, or the completion after an I/O error
 * (the client has gone, or the container's idle timeout or minimum data rate ended the read).
 */
final class BodyReader implements ReadListener, AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);

    private final AsyncContext async;
    private final ServletInputStream in;
    private final int limit;
    private final ByteArrayOutputStream body;
    private final byte[] buffer = new byte[8192];
    private final AtomicBoolean finished = new AtomicBoolean();
    private final BodyBudget budget;
    private final String source;
    /** What this body holds of the budget; given back once, when the read ends in any way. */
    private long reserved;

    /**
     * @param async the request's asynchronous context, its timeout already set
     * @param in the request's input stream
     * @param limit the largest body accepted
     * @param declared the Content-Length, or -1; it sizes the first buffer, never beyond the limit
     * @param budget the bytes all bodies in flight may hold
     * @param source the request's source, whose share of the budget this body uses
     */
    BodyReader(AsyncContext async, ServletInputStream in, int limit, long declared, BodyBudget budget, String source) {
        this.async = async;
        this.in = in;
        this.limit = limit;
        this.budget = budget;
        this.source = source;
        this.body = new ByteArrayOutputStream((int) Math.min(Math.min(limit, 8192), declared > 0 ? declared : 8192));
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!finished.get() && in.isReady()) {
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            if (body.size() + (long) n > limit) {
                refuse(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "message exceeds MaxMsgSize " + limit);
                return;
            }
            if (!reserve(n)) {
                refuse(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "too many message bytes in flight; try again");
                return;
            }
            body.write(buffer, 0, n);
        }
    }

    @Override
    public void onAllDataRead() {
        if (finished.compareAndSet(false, true)) {
            async.getRequest().setAttribute(DmServlet.BODY_ATTRIBUTE, body.toByteArray());
            // from here the body is processed on a request thread: the pool, not this budget, bounds it
            giveBack();
            async.dispatch();
        }
    }

    private synchronized boolean reserve(int n) {
        if (!budget.reserve(source, n)) {
            return false;
        }
        reserved += n;
        return true;
    }

    private synchronized void giveBack() {
        budget.release(source, reserved);
        reserved = 0;
    }

    @Override
    public void onError(Throwable t) {
        if (isTimeout(t)) {
            refuse(408, "message body not received in time");
        } else {
            LOG.debug("Reading a message failed: {}", t.getClass().getSimpleName());
            end();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        refuse(408, "message body not received within " + async.getTimeout() + " ms");
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable() == null ? new IOException("asynchronous error") : event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // nothing held
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            // the container's idle timeout, or its minimum data rate (Jetty: BadMessageException 408)
            if (c instanceof TimeoutException || c.getClass().getSimpleName().contains("Timeout")
                    || String.valueOf(c.getMessage()).contains("data rate")) {
                return true;
            }
        }
        return false;
    }

    private void refuse(int status, String reason) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            HttpServletResponse resp = (HttpServletResponse) async.getResponse();
            if (!resp.isCommitted()) {
                LOG.debug("Refused a message body: {} {}", status, reason);
                resp.setHeader("Connection", "close");
                DmServlet.refuse(resp, status, reason);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.debug("Could not answer {}: {}", status, e.getClass().getSimpleName());
        } finally {
            giveBack();
            completeQuietly();
        }
    }

    private void end() {
        if (finished.compareAndSet(false, true)) {
            giveBack();
            completeQuietly();
        }
    }

    private void completeQuietly() {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // already completed by the container
        }
    }
}
