package org.cardinaldm.testing;

import java.util.Objects;
import java.util.Optional;

import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The one decision of the kit: a test whose outside resource is missing is skipped (aborted) with the reason,
 * or fails with it when {@code CI=true}, because CI installs every resource and must not pass while running
 * nothing.
 */
public final class Requirements {
    /**
     * The JUnit tag of every test that needs an outside daemon or program ({@link RequiresPcscd},
     * {@link RequiresPostgres}, {@link RequiresTool}, and tests that ask for one in code): the bare path of CI
     * ({@code .ci/bare-path.sh}) runs only these, with the resources out of reach, to show that each skips with its
     * reason (or runs on the embedded PostgreSQL).
     */
    public static final String OUTSIDE_TAG = "outside";

    private Requirements() {
    }

    /**
     * @param what what needs the resource, e.g. "PC/SC integration test"
     * @param missing why the resource is missing; empty when it is there
     * @param environment where {@code CI} is read
     * @throws AssertionFailedError when missing and {@code CI=true} (a test failure, not an error)
     * @throws TestAbortedException when missing otherwise (JUnit reports the test as skipped)
     */
    public static void enforce(String what, Optional<String> missing, Environment environment) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(environment, "environment");
        if (missing.isEmpty()) {
            return;
        }
        String why = Secrets.mask(missing.get());
        if (environment.ci()) {
            throw new AssertionFailedError(what + " cannot run (CI=true requires it): " + why);
        }
        throw new TestAbortedException(what + " skipped: " + why);
    }

    /**
     * {@link #enforce(String, Optional, Environment)} on the process environment.
     *
     * @param what what needs the resource
     * @param missing why the resource is missing; empty when it is there
     */
    public static void enforce(String what, Optional<String> missing) {
        enforce(what, missing, Environment.system());
    }
}
