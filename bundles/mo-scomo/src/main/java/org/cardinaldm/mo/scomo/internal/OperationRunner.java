package org.cardinaldm.mo.scomo.internal;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.api.spi.mo.AsyncResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs SCOMO operations, one at a time per entry (a busy entry answers 417): for a DM server on the worker
 * thread {@code dm-scomo-N} (202, the outcome reported to {@link AsyncResults} as an OperationComplete
 * alert), for the local administrator and the system in the caller's thread (200 or an error).
 */
final class OperationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);
    private static final int QUEUE = 16;

    private final ThreadPoolExecutor worker;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final Supplier<AsyncResults> results;

    /** @param results the DM client's result queue, or null while there is none */
    OperationRunner(Supplier<AsyncResults> results) {
        this.results = results;
        AtomicInteger threads = new AtomicInteger();
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "dm-scomo-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Stops the worker (an operation under way is interrupted). */
    void shutdown() {
        worker.shutdownNow();
    }

    /** @throws DmException 417 while an operation on the entry {@code key} is under way */
    void requireIdle(String key, NodeUri uri) throws DmException {
        if (busy.contains(key)) {
            throw new DmException(StatusCode.RETRY_LATER, "An operation on " + uri + " is under way");
        }
    }

    /**
     * Starts an operation: on the worker for a server (202, result reported later), in the caller's thread for
     * the local administrator and the system (200 or an error).
     */
    StatusCode run(String key, NodeUri uri, Principal who, String correlator, Runnable begin,
            Callable<Outcome> work) throws DmException {
        if (!busy.add(key)) {
            throw new DmException(StatusCode.RETRY_LATER, "An operation on " + uri.parent().parent() + " is under way");
        }
        LOG.debug("SCOMO: {} executes {}", who, uri);
        if (who.kind() != Principal.Kind.SERVER) {
            Outcome o;
            try {
                begin.run();
                o = safely(work);
            } finally {
                busy.remove(key);
            }
            log(uri, o);
            if (!o.succeeded()) {
                throw new DmException(StatusCode.COMMAND_FAILED, "SCOMO result " + o.code() + ": " + o.detail());
            }
            return StatusCode.OK;
        }
        try {
            begin.run();
            worker.execute(() -> {
                Outcome o;
                try {
                    o = safely(work);
                } finally {
                    busy.remove(key); // free before the report: the server may act on it at once
                }
                log(uri, o);
                report(who, uri, correlator, o);
            });
        } catch (RejectedExecutionException e) {
            busy.remove(key);
            throw new DmException(StatusCode.RETRY_LATER, "Too many SCOMO operations queued; retry later");
        } catch (RuntimeException e) {
            busy.remove(key);
            throw e;
        }
        return StatusCode.ACCEPTED;
    }

    private static Outcome safely(Callable<Outcome> work) {
        try {
            return work.call();
        } catch (Exception e) {
            LOG.warn("SCOMO operation failed unexpectedly", e);
            return Outcome.failure(ScomoCodes.UNDEFINED, null, "unexpected " + e.getClass().getSimpleName());
        }
    }

    private static void log(NodeUri uri, Outcome o) {
        if (o.succeeded()) {
            LOG.info("SCOMO {}: {} {}", uri, o.code(), o.identifier());
        } else {
            LOG.info("SCOMO {}: {} ({})", uri, o.code(), o.detail());
        }
    }

    private void report(Principal who, NodeUri uri, String correlator, Outcome o) {
        AsyncResults r = results.get();
        if (r == null) {
            LOG.info("SCOMO: no DM client to report {} of {}; the result is in the Status node only", o.code(), uri);
            return;
        }
        try {
            r.report(AsyncResult.builder(who.id(), ScomoCodes.ALERT_TYPE).format("xml")
                    .mark(o.succeeded() ? "informational" : "critical").source(uri.toString()).target(o.target())
                    .correlator(correlator).data(o.data()).build());
        } catch (RuntimeException e) {
            LOG.warn("SCOMO: the result {} of {} could not be queued for {} ({})", o.code(), uri, who, e.toString());
        }
    }
}
