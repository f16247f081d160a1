package org.cardinaldm.client.api.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service property of a {@link CredentialProvider}: the name of the place that holds the credentials,
 * property {@value CredentialProvider#SOURCE_PROPERTY}, for logs and {@code .target} filters. Declared once so
 * that provider authors cannot misspell it: a DS component writes {@code @CredentialSource("card")} next to
 * {@code @Component}. It is kept at run time, so that a provider registered by hand can read its own
 * annotation for the properties it registers with.
 *
 * @since 1.2
 */
@ComponentPropertyType
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CredentialSource {
    /** Prefix of the generated property name. */
    String PREFIX_ = "dm.";

    /** @return the source's name, e.g. {@code card}: property {@code dm.credential.source} */
    String value();
}
