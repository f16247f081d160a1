package org.cardinaldm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequirementsTest {
    private static final Optional<String> MISSING = Optional.of("wbxml2xml is not on PATH (Debian: apt-get install -y libwbxml2-utils)");

    @Test
    void a_present_resource_lets_the_test_run_on_ci_and_off_it() {
        assertThatCode(() -> Requirements.enforce("x", Optional.empty(), Environment.of(Map.of("CI", "true"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> Requirements.enforce("x", Optional.empty(), Environment.of(Map.of())))
                .doesNotThrowAnyException();
    }

    @Test
    void a_missing_resource_skips_the_test_with_the_package_to_install_when_ci_is_unset() {
        Throwable t = catchThrowable(() -> Requirements.enforce("codec cross-check", MISSING, Environment.of(Map.of())));
        assertThat(t).isInstanceOf(TestAbortedException.class)
                .hasMessage("codec cross-check skipped: " + MISSING.get());
    }

    @Test
    void a_missing_resource_fails_the_test_as_an_assertion_when_ci_is_true() {
        Throwable t = catchThrowable(
                () -> Requirements.enforce("codec cross-check", MISSING, Environment.of(Map.of("CI", "true"))));
        assertThat(t).isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI=true")
                .hasMessageContaining("apt-get install -y libwbxml2-utils");
    }

    @Test
    void ci_other_than_true_still_skips() {
        for (String ci : new String[] {"false", "", "1", "yes"}) {
            assertThat(catchThrowable(() -> Requirements.enforce("x", MISSING, Environment.of(Map.of("CI", ci)))))
                    .as("CI=%s", ci).isInstanceOf(TestAbortedException.class);
        }
        assertThat(Environment.of(Map.of("CI", "TRUE")).ci()).isTrue();
    }

    @Test
    void a_reason_that_carries_a_password_is_masked() {
        Throwable t = catchThrowable(() -> Requirements.enforce("db", Optional.of(
                "no server at jdbc:postgresql://h/db?user=u&password=hunter2"), Environment.of(Map.of())));
        assertThat(t.getMessage()).doesNotContain("hunter2").contains("password=***");
    }
}
