package org.cardinaldm.smartcard.api.spi;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service properties of a {@link CardBackend}, declared once so that backend authors cannot misspell
 * them. Annotate the backend component with it:
 * <pre>{@code
 * @Component(service = CardBackend.class, configurationPid = "org.cardinaldm.smartcard.pcsc",
 *            configurationPolicy = ConfigurationPolicy.REQUIRE)
 * @CardBackendProperties(backend = "pcsc")
 * public final class PcscCardBackend implements CardBackend { … }
 * }</pre>
 * The reader name normally comes from the component's (factory) configuration under the key
 * {@code card.reader}, which Declarative Services publishes as a service property as well; a backend with a
 * fixed reader name may set {@link #reader()} here instead.
 */
@ComponentPropertyType
public @interface CardBackendProperties {
    /** Prefix of the generated property names. */
    String PREFIX_ = "card.";

    /** @return the backend kind, e.g. {@code pcsc}: property {@code card.backend} */
    String backend();

    /** @return the reader name, if fixed: property {@code card.reader}; empty (not set) by default */
    String[] reader() default {};
}
