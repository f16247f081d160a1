package org.cardinaldm.api.spi.transport;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A bearer for SyncML DM messages: one request out, one response back (the SyncML HTTP binding's
 * POST, or its equivalent on another bearer). Registered as a whiteboard service with the URI
 * schemes it serves:
 * <pre>{@code
 * @Component(service = DmTransport.class)
 * @TransportScheme({"http", "https"})
 * public final class HttpTransport implements DmTransport { … }
 * }</pre>
 *
 * <p>Implementations are thread-safe, never retry on their own (the session layer decides about
 * retries and back-off), bound the response to {@link TransportRequest#maxResponseBytes()} and give
 * up after {@link TransportRequest#timeout()}. They never log message bodies or header values.
 */
@ConsumerType
public interface DmTransport {
    /** Service property listing the URI schemes a transport serves, e.g. {@code http} and {@code https}. */
    String SCHEME_PROPERTY = "dm.transport.scheme";

    /**
     * Sends one message and waits for the answer.
     *
     * @param request the message, its media type and where it goes
     * @return the peer's answer
     * @throws TransportException when the peer cannot be reached, does not answer in time, answers
     *     with an error status or an answer that is too large or unusable
     */
    TransportResponse exchange(TransportRequest request) throws TransportException;
}
