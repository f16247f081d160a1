package org.cardinaldm.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Checks {@link Pcscd} before a class (when registered on the class) or before a method annotated
 * {@link RequiresPcscd}. Registered by {@link RequiresPcscd}, or directly with {@code @ExtendWith}.
 */
public final class PcscdExtension implements BeforeAllCallback, BeforeEachCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        Requirements.enforce(Pcscd.WHAT, Pcscd.missing(), Environment.of(context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (AnnotationSupport.isAnnotated(context.getTestMethod(), RequiresPcscd.class)) {
            Requirements.enforce(Pcscd.WHAT, Pcscd.missing(), Environment.of(context));
        }
    }
}
