package org.cardinaldm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;

/**
 * The extensions as JUnit runs them: the sample classes below are run through the engine test kit with
 * {@code CI} (and other variables) set as configuration parameters, never read from this JVM's environment.
 * Their set-up and tear-down would throw if JUnit ran them after a skip, turning it into a failure.
 */
class ExtensionBehaviourTest {
    private static final String NO_TOOL = "cardinal-no-such-program";
    private static final String NO_PACKAGE = "cardinal-no-such-package";

    private static EngineExecutionResults run(Class<?> sample, Map<String, String> env) {
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample));
        // the samples choose their PATH: an override of the surrounding run (.ci/bare-path.sh) must not apply
        kit.configurationParameter(Environment.PARAMETER_PREFIX + Tools.TOOLS_PATH, " ");
        // nor does the surrounding run's CI=true (CI runs these tests with it): a sample is outside CI unless it says so
        kit.configurationParameter(Environment.PARAMETER_PREFIX + "CI", "false");
        env.forEach((k, v) -> kit.configurationParameter(Environment.PARAMETER_PREFIX + k, v));
        return kit.execute();
    }

    private static String reason(Event e) {
        return e.getPayload(String.class).orElseThrow();
    }

    private static Throwable cause(Event e) {
        return e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    @Test
    void a_class_needing_a_missing_program_is_skipped_naming_the_package_and_its_tear_down_does_not_run() {
        EngineExecutionResults r = run(MissingToolClass.class, Map.of("CI", "false"));
        List<Event> skipped = r.containerEvents().skipped().list();
        assertThat(skipped).hasSize(1);
        assertThat(reason(skipped.get(0))).contains(NO_TOOL).contains("apt-get install -y " + NO_PACKAGE);
        assertThat(r.containerEvents().failed().count()).isZero();
        assertThat(r.testEvents().failed().count()).isZero();
        assertThat(r.testEvents().succeeded().count()).isZero();
    }

    @Test
    void a_class_needing_a_missing_program_fails_as_an_assertion_when_ci_is_true() {
        EngineExecutionResults r = run(MissingToolClass.class, Map.of("CI", "true"));
        List<Event> failed = r.containerEvents().failed().list();
        assertThat(failed).hasSize(1);
        assertThat(cause(failed.get(0))).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("apt-get install -y " + NO_PACKAGE).hasNoSuppressedExceptions();
    }

    @Test
    void a_method_needing_a_missing_program_is_skipped_alone_and_its_after_each_does_not_run() {
        EngineExecutionResults r = run(MissingToolMethod.class, Map.of());
        assertThat(r.testEvents().succeeded().count()).isEqualTo(1);
        List<Event> skipped = r.testEvents().skipped().list();
        assertThat(skipped).hasSize(1);
        assertThat(reason(skipped.get(0))).contains(NO_PACKAGE);
        assertThat(r.testEvents().failed().count()).isZero();
    }

    @Test
    void a_method_needing_a_missing_program_fails_when_ci_is_true_and_the_others_still_pass() {
        EngineExecutionResults r = run(MissingToolMethod.class, Map.of("CI", "true"));
        assertThat(r.testEvents().succeeded().count()).isEqualTo(1);
        List<Event> failed = r.testEvents().failed().list();
        assertThat(failed).hasSize(1);
        assertThat(cause(failed.get(0))).isInstanceOf(AssertionFailedError.class).hasNoSuppressedExceptions();
    }

    @Test
    void a_program_on_path_lets_the_class_run() {
        EngineExecutionResults r = run(PresentToolClass.class, Map.of("CI", "true"));
        assertThat(r.testEvents().succeeded().count()).isEqualTo(1);
        assertThat(r.allEvents().failed().count()).isZero();
    }

    @Test
    void the_pcscd_extension_skips_exactly_when_pcscd_is_missing_here() {
        EngineExecutionResults r = run(PcscdClass.class, Map.of("CI", "false"));
        if (Pcscd.missing().isPresent()) {
            assertThat(r.containerEvents().skipped().list()).singleElement()
                    .satisfies(e -> assertThat(reason(e)).contains("vsmartcard-vpcd"));
            assertThat(r.allEvents().failed().count()).isZero();
        } else {
            assertThat(r.testEvents().succeeded().count()).isEqualTo(1);
        }
    }

    @Test
    void an_unreachable_postgresql_skips_without_ci_and_fails_with_it_and_never_prints_its_password() {
        String url = "jdbc:postgresql://127.0.0.1:1/cardinal_test?user=cardinal&password=hunter2&connectTimeout=2";
        EngineExecutionResults skipped = run(PostgresClass.class, Map.of(Postgres.URL_VARIABLE, url));
        assertThat(skipped.containerEvents().skipped().list()).singleElement().satisfies(e -> assertThat(reason(e))
                .contains("password=***").doesNotContain("hunter2").contains("postgresql"));
        assertThat(skipped.allEvents().failed().count()).isZero();

        EngineExecutionResults failed = run(PostgresClass.class, Map.of(Postgres.URL_VARIABLE, url, "CI", "true"));
        assertThat(failed.containerEvents().failed().list()).singleElement().satisfies(e -> assertThat(cause(e))
                .isInstanceOf(AssertionFailedError.class).hasMessageNotContaining("hunter2")
                .hasNoSuppressedExceptions());
    }

    // ---- samples, run only through the engine test kit (Surefire skips nested classes) ----

    @RequiresTool(name = NO_TOOL, debianPackage = NO_PACKAGE)
    static class MissingToolClass {
        static Object resource;

        @BeforeAll
        static void open() {
            resource = new Object();
        }

        @AfterAll
        static void close() {
            throw new IllegalStateException("tear-down ran after a skip");
        }

        @Test
        void needs_the_program() {
        }
    }

    static class MissingToolMethod {
        Object resource;

        @BeforeEach
        void open() {
            resource = new Object();
        }

        @AfterEach
        void close() {
            resource.hashCode();
            resource = null;
        }

        @Test
        @RequiresTool(name = NO_TOOL, debianPackage = NO_PACKAGE)
        void needs_the_program() {
        }

        @Test
        void does_not() {
        }
    }

    @RequiresTool(name = "sh", debianPackage = "dash")
    static class PresentToolClass {
        @Test
        void runs() {
        }
    }

    @RequiresPcscd
    static class PcscdClass {
        @Test
        void runs() {
        }
    }

    @RequiresPostgres
    static class PostgresClass {
        @Test
        void runs(PostgresDatabase db) {
        }
    }
}
