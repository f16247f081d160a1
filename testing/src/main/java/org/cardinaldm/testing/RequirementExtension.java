package org.cardinaldm.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shape of the kit's extensions. A missing resource <em>disables</em> the class or method (an execution
 * condition: JUnit and Surefire report its tests as skipped with the reason, and none of its set-up or
 * tear-down methods runs) unless {@code CI=true}; then the class is failed before its {@code @BeforeAll}
 * methods, or the method before its {@code @BeforeEach} methods, with an {@code AssertionFailedError}.
 */
abstract class RequirementExtension implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback {
    /**
     * @param element the test class or test method
     * @param classLevel whether the element is the test class (on which the extension is registered)
     * @param environment the environment to read
     * @return what needs the resource and why it is missing; empty when nothing the element asks for is missing
     */
    abstract Optional<Missing> missing(AnnotatedElement element, boolean classLevel, Environment environment);

    /** What a test needs and why it is missing. */
    record Missing(String what, String why) {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Environment env = Environment.of(context);
        Optional<Missing> missing = missing(context);
        if (missing.isPresent() && !env.ci()) {
            return ConditionEvaluationResult.disabled(
                    missing.get().what() + " skipped: " + Secrets.mask(missing.get().why()));
        }
        return ConditionEvaluationResult.enabled(null);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        enforce(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        enforce(context);
    }

    private void enforce(ExtensionContext context) {
        missing(context).ifPresent(m -> Requirements.enforce(m.what(), Optional.of(m.why()), Environment.of(context)));
    }

    private Optional<Missing> missing(ExtensionContext context) {
        Environment env = Environment.of(context);
        if (context.getTestMethod().isPresent()) {
            return missing(context.getTestMethod().get(), false, env);
        }
        return context.getTestClass().flatMap(c -> missing(c, true, env));
    }
}
