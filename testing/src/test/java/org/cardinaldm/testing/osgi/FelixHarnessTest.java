package org.cardinaldm.testing.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

class FelixHarnessTest {
    /** A bundle with one DS component, {@code greeter}, providing {@code java.util.function.Supplier}. */
    static byte[] greeter(String symbolicName, String componentAttributes, String componentBody) {
        String xml = "<scr:component xmlns:scr='http://www.osgi.org/xmlns/scr/v1.3.0' name='greeter' immediate='true' "
                + componentAttributes + "><implementation class='" + Greeter.class.getName() + "'/>"
                + "<service><provide interface='java.util.function.Supplier'/></service>" + componentBody
                + "</scr:component>";
        return TestBundle.named(symbolicName).header("Bundle-Version", "1.0.0")
                .header("Service-Component", "OSGI-INF/greeter.xml").resource("OSGI-INF/greeter.xml", xml)
                .withClass(Greeter.class).bytes();
    }

    private static Path jar(Path dir, String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name + ".jar"), bytes);
    }

    @Test
    void felix_and_scr_start_a_trivial_bundle_whose_component_is_a_service(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path greeter = jar(dir, "greeter", greeter("com.acme.greeter", "", ""));
        try (FelixHarness felix = FelixHarness.builder().bundles(greeter).start()) {
            assertThat(felix.symbolicNames()).contains("org.apache.felix.scr", "org.osgi.service.component",
                    "com.acme.greeter");
            assertThat(felix.bundle("com.acme.greeter").getState()).isEqualTo(Bundle.ACTIVE);
            @SuppressWarnings("unchecked")
            Supplier<String> service = felix.service(Supplier.class, "(component.name=greeter)");
            assertThat(service.get()).as("made by the bundle's own class loader, not the test's")
                    .startsWith("hello from ").doesNotContain("AppClassLoader");
            assertThat(service.getClass()).isNotSameAs(Greeter.class);
            assertThat(felix.reference(Supplier.class.getName(), null).getBundle())
                    .isEqualTo(felix.bundle("com.acme.greeter"));
            assertThat(felix.diagnosis()).isEqualTo("all bundles active, all components satisfied");
        }
    }

    @Test
    void a_bundle_that_does_not_resolve_fails_the_start_naming_the_missing_requirement(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path broken = jar(dir, "broken", TestBundle.named("com.acme.broken").header("Bundle-Version", "2.0.0")
                .header("Import-Package", "org.acme.nowhere;version=\"[1,2)\"").bytes());
        FelixHarness.Builder builder = FelixHarness.builder().bundles(broken);

        assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bundle com.acme.broken 2.0.0 (broken.jar) does not resolve")
                .hasMessageContaining("missing requirement").hasMessageContaining("org.acme.nowhere");
        try (var felix = FelixHarness.builder().start()) {
            assertThat(felix.symbolicNames()).as("the failed start stopped its framework; a new one starts")
                    .doesNotContain("com.acme.broken");
        }
    }

    @Test
    void a_service_that_does_not_come_fails_after_the_timeout_naming_the_unsatisfied_reference(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path waiting = jar(dir, "waiting", greeter("com.acme.waiting", "",
                "<reference name='clock' interface='java.time.Clock'/>"));
        try (FelixHarness felix = FelixHarness.builder().bundles(waiting).timeout(Duration.ofMillis(200)).start()) {
            assertThatThrownBy(() -> felix.service(Supplier.class)).isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("no service (objectClass=java.util.function.Supplier) within")
                    .hasMessageContaining("component greeter (bundle com.acme.waiting) has unsatisfied references"
                            + " [clock");
        }
    }

    @Test
    void a_service_of_another_class_space_is_refused_with_the_way_out(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        try (FelixHarness felix = FelixHarness.builder().bundles(jar(dir, "greeter", greeter("com.acme.g", "", "")))
                .start()) {
            felix.service(Supplier.class);
            Object scr = felix.service("org.osgi.service.component.runtime.ServiceComponentRuntime");
            assertThat(scr).isNotNull();
            assertThatThrownBy(() -> felix.service(Class.forName(
                    "org.osgi.service.component.runtime.ServiceComponentRuntime")))
                    .isInstanceOfAny(AssertionFailedError.class, ClassNotFoundException.class);
        }
    }

    @Test
    void configuration_admin_configures_a_component_that_requires_its_configuration(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path greeter = jar(dir, "greeter", greeter("com.acme.configured",
                "configuration-policy='require' configuration-pid='com.acme.greeter'", ""));
        try (FelixHarness felix = FelixHarness.builder().configAdmin().bundles(greeter)
                .timeout(Duration.ofMillis(300)).start()) {
            assertThatThrownBy(() -> felix.service(Supplier.class)).isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("component greeter (bundle com.acme.configured) has no configuration"
                            + " (configuration policy require)");

            felix.configure("com.acme.greeter", Map.of("greeting", "hi"));

            ServiceReference<?> ref = felix.reference(Supplier.class.getName(), "(greeting=hi)");
            assertThat(ref.getProperty("component.name")).isEqualTo("greeter");
        }
    }

    @Test
    void close_stops_the_framework_and_deletes_its_storage() throws Exception {
        FelixHarness felix = FelixHarness.builder().start();
        Path storage = Path.of(felix.framework().getBundleContext().getProperty("org.osgi.framework.storage"));
        assertThat(storage).isDirectory();
        Bundle app = felix.install("test:app", TestBundle.named("com.acme.app").bytes());
        assertThat(app.getState()).isEqualTo(Bundle.INSTALLED);

        felix.close();
        felix.close();

        assertThat(felix.framework().getState()).isEqualTo(Bundle.RESOLVED);
        assertThat(storage).doesNotExist();
    }

    @Test
    void without_scr_the_framework_holds_only_the_system_bundle_and_the_given_bundles(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path app = jar(dir, "app", TestBundle.named("com.acme.app").header("Bundle-Version", "1.0.0").bytes());
        try (FelixHarness felix = FelixHarness.builder().withoutScr().bundles(app).start()) {
            assertThat(felix.symbolicNames()).containsExactly("org.apache.felix.framework", "com.acme.app");
            assertThat(felix.bundle("com.acme.app").getState()).isEqualTo(Bundle.ACTIVE);
            assertThat(felix.diagnosis()).as("no SCR to ask, and nothing missing")
                    .isEqualTo("all bundles active, all components satisfied");
            Bundle legacy = felix.install("test:legacy", TestBundle.withoutSymbolicName()
                    .header("Bundle-Name", "Legacy R3 bundle").header("Bundle-Version", "1.0").bytes());
            assertThat(legacy.getSymbolicName()).as("a pre-R4 bundle has no symbolic name").isNull();
            assertThat(legacy.getHeaders().get("Bundle-ManifestVersion")).isNull();
            assertThat(legacy.getHeaders().get("Bundle-Name")).isEqualTo("Legacy R3 bundle");
            assertThat(felix.diagnosis()).isEqualTo("bundle null [" + legacy.getBundleId()
                    + "] is INSTALLED (not resolved)");
            assertThat(felix.context().getServiceReference(
                    "org.osgi.service.component.runtime.ServiceComponentRuntime")).isNull();
        }
    }

    @Test
    void system_packages_are_shared_with_the_test() throws Exception {
        try (FelixHarness felix = FelixHarness.builder()
                .systemPackages("org.cardinaldm.testing.osgi;version=1.0.0").start()) {
            felix.context().registerService(Greeter.class, new Greeter(), null);
            assertThat(felix.service(Greeter.class)).isInstanceOf(Greeter.class);
        }
    }

    @Test
    void system_packages_take_the_version_their_bundle_exports() throws Exception {
        assertThat(BundleJars.exportedVersion("org.osgi.service.component")).startsWith("1.5");
        assertThatThrownBy(() -> BundleJars.exportedVersion("org.acme.nowhere"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("org.acme.nowhere");
        Path needs = Files.createTempFile(Path.of("target"), "needs", ".jar");
        Files.write(needs, TestBundle.named("com.acme.needs")
                .header("Import-Package", "org.junit.jupiter.api;version=\"[5.11,6)\"").bytes());
        try (FelixHarness felix = FelixHarness.builder().systemPackagesOf("org.junit.jupiter.api")
                .bundles(needs).start()) {
            assertThat(felix.context().getProperty("org.osgi.framework.system.packages.extra"))
                    .matches("org\\.junit\\.jupiter\\.api;version=5\\.11\\.\\d+");
            assertThat(felix.bundle("com.acme.needs").getState()).as("resolved against the system bundle's export")
                    .isEqualTo(Bundle.ACTIVE);
        } finally {
            Files.delete(needs);
        }
    }

    @Test
    void missing_jars_and_bundles_are_named() {
        assertThatThrownBy(() -> BundleJars.onClassPath("no-such-artifact")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no bundle no-such-artifact-<version>.jar on the test class path");
        assertThatThrownBy(() -> BundleJars.maven("org.acme", "none", "1.0")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no org.acme:none:1.0 in the local repository");
        assertThat(BundleJars.onClassPath("org.apache.felix.scr").getFileName().toString())
                .startsWith("org.apache.felix.scr-2.");
        assertThat(BundleJars.holding(Test.class).getFileName().toString()).startsWith("junit-jupiter-api-");
        String previous = System.clearProperty(BundleJars.UNDER_TEST_PROPERTY);
        try {
            assertThatThrownBy(BundleJars::underTest).hasMessageContaining("bundle.under.test")
                    .hasMessageContaining("maven-failsafe-plugin");
            assertThatThrownBy(() -> FelixHarness.builder().bundleUnderTest().start())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("bundle.under.test");
        } finally {
            if (previous != null) {
                System.setProperty(BundleJars.UNDER_TEST_PROPERTY, previous);
            }
        }
    }
}
