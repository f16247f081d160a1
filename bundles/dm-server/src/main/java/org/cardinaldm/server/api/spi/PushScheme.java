package org.cardinaldm.server.api.spi;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service property of a {@link PushSender}: the push-address schemes it serves, property
 * {@value PushSender#SCHEME_PROPERTY}. Declared once so that bearer authors cannot misspell it:
 * {@code @PushScheme("udp")} on the sender's component; the server picks the sender by the scheme of
 * the device's push address ({@code udp:192.0.2.7:2948}).
 *
 * @since 1.2
 */
@ComponentPropertyType
public @interface PushScheme {
    /** Prefix of the generated property name. */
    String PREFIX_ = "dm.";

    /** @return the lower-case push-address schemes, e.g. {@code udp} or {@code sms}: property {@code dm.push.scheme} */
    String[] value();
}
