package org.cardinaldm.itests;

import java.util.Optional;

import org.junit.AssumptionViolatedException;
import org.junit.runner.Description;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunNotifier;
import org.junit.runners.model.InitializationError;
import org.ops4j.pax.exam.junit.PaxExam;

/**
 * Pax Exam for a class that needs pcscd with vsmartcard's vpcd driver. It decides in the test JVM, before any
 * container starts: without them each test is reported as skipped with the reason (Pax Exam alone reports a
 * test whose assumption failed in the container as passed), or failed when {@code CI=true}. The same check as
 * {@link PcscdCheck}.
 */
public final class PcscdPaxExam extends PaxExam {
    /**
     * @param klass the test class
     * @throws InitializationError as {@link PaxExam} does
     */
    public PcscdPaxExam(Class<?> klass) throws InitializationError {
        super(klass);
    }

    @Override
    public void run(RunNotifier notifier) {
        Optional<String> missing = PcscdCheck.missing();
        if (missing.isEmpty()) {
            super.run(notifier);
            return;
        }
        boolean ci = "true".equals(System.getenv("CI"));
        String what = getDescription().getDisplayName();
        for (Description test : getDescription().getChildren()) {
            notifier.fireTestStarted(test);
            if (ci) {
                notifier.fireTestFailure(new Failure(test, new AssertionError(what + " cannot run (CI=true requires it): "
                        + missing.get())));
            } else {
                notifier.fireTestAssumptionFailed(new Failure(test, new AssumptionViolatedException(what
                        + " skipped: " + missing.get())));
            }
            notifier.fireTestFinished(test);
        }
    }
}
