package org.cardinaldm.api.spi.transport;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service property of a {@link DmTransport}: the URI schemes it serves, property
 * {@value DmTransport#SCHEME_PROPERTY}. Declared once so that bearer authors cannot misspell it:
 * {@code @TransportScheme({"http", "https"})}.
 */
@ComponentPropertyType
public @interface TransportScheme {
    /** Prefix of the generated property name. */
    String PREFIX_ = "dm.";

    /** @return the lower-case URI schemes, e.g. {@code http} and {@code https}: property {@code dm.transport.scheme} */
    String[] value();
}
