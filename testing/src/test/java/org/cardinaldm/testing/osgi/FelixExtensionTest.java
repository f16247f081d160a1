package org.cardinaldm.testing.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.osgi.framework.Bundle;

class FelixExtensionTest {
    static final List<Bundle> SEEN = new ArrayList<>();

    static class PerClass {
        @RegisterExtension
        static final FelixExtension FELIX = new FelixExtension(FelixHarness.builder());

        @Test
        void one() {
            SEEN.add(FELIX.harness().framework());
        }

        @Test
        void two() {
            SEEN.add(FELIX.harness().framework());
        }
    }

    static class PerTest {
        @RegisterExtension
        final FelixExtension felix = new FelixExtension(FelixHarness.builder());

        @Test
        void one() {
            SEEN.add(felix.harness().framework());
        }

        @Test
        void two() {
            SEEN.add(felix.harness().framework());
        }
    }

    @Test
    void on_a_static_field_one_framework_serves_the_class_and_is_stopped_after_it() {
        SEEN.clear();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(PerClass.class)).execute().testEvents()
                .assertStatistics(s -> s.succeeded(2));
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(0)).isSameAs(SEEN.get(1));
        assertThat(SEEN.get(0).getState()).isEqualTo(Bundle.RESOLVED);
    }

    @Test
    void on_an_instance_field_each_test_gets_its_own_framework() {
        SEEN.clear();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(PerTest.class)).execute().testEvents()
                .assertStatistics(s -> s.succeeded(2));
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(1));
        assertThat(SEEN).allSatisfy(f -> assertThat(f.getState()).isEqualTo(Bundle.RESOLVED));
    }

    @Test
    void outside_a_test_there_is_no_harness() {
        assertThatThrownBy(() -> new FelixExtension(FelixHarness.builder()).harness())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no framework is running");
    }
}
