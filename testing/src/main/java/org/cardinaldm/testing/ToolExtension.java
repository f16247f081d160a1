package org.cardinaldm.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;

import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Checks the {@link RequiresTool} programs of a test class and of a test method: skipped when one is missing,
 * failed when {@code CI=true}.
 */
public final class ToolExtension extends RequirementExtension {
    @Override
    Optional<Missing> missing(AnnotatedElement element, boolean classLevel, Environment environment) {
        for (RequiresTool tool : AnnotationSupport.findRepeatableAnnotations(element, RequiresTool.class)) {
            Optional<String> why = Tools.missing(tool.name(), tool.debianPackage(), environment);
            if (why.isPresent()) {
                return Optional.of(new Missing("test with " + tool.name(), why.get()));
            }
        }
        return Optional.empty();
    }
}
