package org.cardinaldm.api.spi.mo;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a plugin reports the outcome of an Exec it answered with 202 (Accepted): the work goes on after
 * the command, and its result reaches the server that sent the Exec later, as a Generic Alert (Alert 1226,
 * OMA-TS-DM_Protocol-V1_2 §8.7) carrying the Exec's Correlator. The device agent provides this service:
 * it keeps each report on disk until that server acknowledges it and delivers it in the next session with
 * that server, starting one when none is running.
 *
 * <p>A plugin answers 202 only when the Exec came from a DM server ({@link MoContext#principal()} of kind
 * {@code SERVER}): the report goes to that server. An Exec of the local administrator or of the system
 * has no server to hear a later result, so the plugin runs it to the end before returning.
 * <pre>{@code
 * @Reference AsyncResults results;
 *
 * public StatusCode exec(NodeUri uri, NodeValue data, String correlator, MoContext context) {
 *     String server = context.principal().id();
 *     worker.submit(() -> results.report(AsyncResult.builder(server, "urn:oma:at:scomo:1.0:OperationComplete")
 *             .source(uri.toString()).correlator(correlator).data("1200").build()));
 *     return StatusCode.ACCEPTED;
 * }
 * }</pre>
 */
@ProviderType
public interface AsyncResults {
    /**
     * Queues a result for its server; the call returns once the report is kept (on disk), before delivery.
     *
     * @param result the outcome of an accepted Exec
     * @return the id under which the report is queued
     * @throws IllegalStateException when the report cannot be kept (the queue is full or cannot be written);
     *         the plugin then records the failure in its own state (a SCOMO {@code Status} node, for example)
     */
    String report(AsyncResult result);
}
