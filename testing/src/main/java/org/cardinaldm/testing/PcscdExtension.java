package org.cardinaldm.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;

import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Checks {@link Pcscd} for a class on which it is registered ({@link RequiresPcscd} or {@code @ExtendWith}) and
 * for a method annotated {@link RequiresPcscd}: skipped when missing, failed when {@code CI=true}.
 */
public final class PcscdExtension extends RequirementExtension {
    @Override
    Optional<Missing> missing(AnnotatedElement element, boolean classLevel, Environment environment) {
        if (!classLevel && !AnnotationSupport.isAnnotated(element, RequiresPcscd.class)) {
            return Optional.empty();
        }
        return Pcscd.missing(environment).map(why -> new Missing(Pcscd.WHAT, why));
    }
}
