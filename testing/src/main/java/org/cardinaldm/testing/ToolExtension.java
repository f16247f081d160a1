package org.cardinaldm.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Checks the {@link RequiresTool} programs of a test class before it, and of a test method before it. */
public final class ToolExtension implements BeforeAllCallback, BeforeEachCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        check(context.getTestClass(), context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        check(context.getTestMethod(), context);
    }

    private static void check(Optional<? extends AnnotatedElement> element, ExtensionContext context) {
        Environment env = Environment.of(context);
        for (RequiresTool tool : AnnotationSupport.findRepeatableAnnotations(element, RequiresTool.class)) {
            Requirements.enforce("test with " + tool.name(), Tools.missing(tool.name(), tool.debianPackage(), env),
                    env);
        }
    }
}
