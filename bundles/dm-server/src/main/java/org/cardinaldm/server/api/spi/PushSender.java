package org.cardinaldm.server.api.spi;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Delivers package-0 notifications over one bearer (UDP/WDP push, an SMS gateway ...). Registered as a
 * whiteboard service with the property {@value #SCHEME_PROPERTY} naming the address scheme it serves,
 * e.g. {@code udp} for {@code udp:192.0.2.7:2948}; a provider declares it with the component property
 * type {@link PushScheme}: {@code @PushScheme("udp")}.
 */
@ConsumerType
public interface PushSender {
    /**
     * Service property: the push-address scheme this sender serves, for readers of service properties
     * and filters; providers set it with {@link PushScheme}.
     */
    String SCHEME_PROPERTY = "dm.push.scheme";

    /**
     * Sends one notification. The content type is {@code application/vnd.syncml.notification}; bearers
     * that need WSP framing (content type 0x44, X-WAP-Application-ID 0x07) add it.
     *
     * @param address the device's push address, scheme included
     * @param notification the package 0: digest then trigger
     * @throws IOException when the bearer refused it
     */
    void send(String address, byte[] notification) throws IOException;
}
