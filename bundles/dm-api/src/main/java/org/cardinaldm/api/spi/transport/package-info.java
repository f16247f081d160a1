/**
 * Contract for bearers that carry SyncML DM messages from the device to a DM server and back
 * (OMA-TS-DM_Protocol-V1_2 and the SyncML HTTP binding; digest 1.1): a {@link
 * org.cardinaldm.api.spi.transport.DmTransport} takes the encoded bytes of one message and its media
 * type and returns the server's answer. Transports are whiteboard services keyed by the URI schemes
 * they serve ({@link org.cardinaldm.api.spi.transport.TransportScheme}, property
 * {@code dm.transport.scheme}); a new bearer is a new bundle.
 *
 * <p>The package carries no HTTP, XML or WBXML types: a request is a URI, bytes, a media type and a
 * few named header values (such as {@code x-syncml-hmac}); failures are a
 * {@link org.cardinaldm.api.spi.transport.TransportException} with a typed reason.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.api.spi.transport;
