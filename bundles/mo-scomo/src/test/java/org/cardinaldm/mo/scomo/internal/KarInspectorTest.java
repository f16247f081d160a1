package org.cardinaldm.mo.scomo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cardinaldm.mo.scomo.internal.BundleInstaller.InstallException;
import org.cardinaldm.mo.scomo.internal.KarInspector.KarContent;
import org.cardinaldm.mo.scomo.internal.KarInspector.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The KAR checks as plain functions: what is accepted, and every way a hostile KAR is refused (1407 or 1413). */
class KarInspectorTest {
    private static final String MVN = "mvn:com.acme/hello/1.0.0";
    private static final byte[] JAR = "not inspected".getBytes(StandardCharsets.US_ASCII);
    private static final Limits LIMITS = new Limits(64, 64 * 1024, 256 * 1024);

    @TempDir
    Path dir;

    private KarContent inspect(TestKar kar) throws Exception {
        Path p = dir.resolve("p.kar");
        Files.write(p, kar.bytes());
        return KarInspector.inspect(p, LIMITS);
    }

    private void assertRefused(TestKar kar, int code, String why) {
        assertThatThrownBy(() -> inspect(kar)).isInstanceOfSatisfying(InstallException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(why);
        });
    }

    private static TestKar feature(String body) {
        return new TestKar().features("app", body).put(KarInspector.entryOf(MVN), JAR);
    }

    @Test
    void a_kar_with_its_bundles_inside_is_accepted_with_its_features_and_external_dependencies() throws Exception {
        KarContent c = inspect(new TestKar().features("app", "<feature name=\"app\" version=\"1.2.0\">"
                + "<feature version=\"[2,3)\">scr</feature><feature>lib</feature><bundle>" + MVN + "</bundle></feature>"
                + "<feature name=\"lib\"><bundle dependency=\"true\" start=\"false\">mvn:com.acme/lib/2.0/jar/core"
                + "</bundle></feature>").put(KarInspector.entryOf(MVN), JAR)
                .put("repository/com/acme/lib/2.0/lib-2.0-core.jar", JAR).put("repository/README.txt", JAR));
        assertThat(c.repositoryName()).isEqualTo("app");
        assertThat(c.features()).extracting(KarInspector.FeatureDef::id).containsExactly("app/1.2.0", "lib/0.0.0");
        assertThat(c.entries()).containsExactly("repository/com/acme/hello/1.0.0/hello-1.0.0.jar",
                "repository/com/acme/lib/2.0/lib-2.0-core.jar");
        assertThat(c.externalDependencies()).containsExactly(new KarInspector.Dependency("scr", "[2,3)"));
        assertThat(c.features().get(1).bundles().get(0).dependency()).isTrue();
        assertThat(c.features().get(1).bundles().get(0).start()).isFalse();
    }

    @Test
    void mvn_references_map_to_repository_paths_and_anything_else_maps_to_nothing() {
        assertThat(KarInspector.entryOf("mvn:org.example/app/1.0.0"))
                .isEqualTo("repository/org/example/app/1.0.0/app-1.0.0.jar");
        assertThat(KarInspector.entryOf("mvn:org.example/app/1.0.0/xml/features"))
                .isEqualTo("repository/org/example/app/1.0.0/app-1.0.0-features.xml");
        assertThat(KarInspector.entryOf("mvn:http://repo.evil!org.example/app/1.0.0")).isNull();
        assertThat(KarInspector.entryOf("wrap:mvn:org.example/app/1.0.0")).isNull();
        assertThat(KarInspector.entryOf("file:/tmp/app.jar")).isNull();
        assertThat(KarInspector.entryOf("mvn:../../etc/app/1.0")).isNull();
        assertThat(KarInspector.entryOf("mvn:org..example/app/1.0")).isNull();
        assertThat(KarInspector.entryOf("mvn:org.example/../1.0")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvn:org.evil/payload/6.6.6", "http://repo.evil/payload.jar", "file:/tmp/payload.jar",
        "wrap:mvn:com.acme/hello/1.0.0", "mvn:https://user:pw@repo.evil!com.acme/hello/1.0.0"})
    void a_feature_bundle_from_outside_the_kar_is_refused(String location) {
        assertRefused(feature("<feature name=\"app\"><bundle>" + MVN + "</bundle><bundle>" + location
                + "</bundle></feature>"), ScomoCodes.VALIDATION_FAILED, "of feature app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<repository>mvn:org.evil/features/1.0/xml/features</repository>",
        "<resource-repository>http://evil/repo.xml</resource-repository>",
        "<feature name=\"app\"><configfile finalname=\"/etc/org.cardinaldm.pkg.trust.cfg\">" + MVN
            + "</configfile></feature>",
        "<feature name=\"app\"><config name=\"org.cardinaldm.pkg.trust\">trusted.signers=00</config></feature>",
        "<feature name=\"app\"><conditional><condition>shell</condition><bundle>mvn:org.evil/x/1</bundle>"
            + "</conditional></feature>",
        "<feature name=\"app\"><requirement>osgi.wiring.package;filter:=\"(osgi.wiring.package=x)\"</requirement>"
            + "</feature>",
        "<feature name=\"app\" evil=\"1\"><bundle>" + MVN + "</bundle></feature>"})
    void elements_that_could_pull_code_or_configuration_from_outside_are_refused(String body) {
        assertRefused(feature(body), ScomoCodes.VALIDATION_FAILED, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"repository/../../etc/passwd", "/etc/passwd", "repository/a/./b.jar",
        "C:/windows/x.jar", "repository\\..\\x.jar", "repository//x.jar", "resource/etc/org.cardinaldm.pkg.trust.cfg",
        "deploy/evil.jar"})
    void hostile_entry_names_are_refused(String name) {
        assertRefused(feature("<feature name=\"app\"><bundle>" + MVN + "</bundle></feature>").put(name, JAR),
                ScomoCodes.VALIDATION_FAILED, "");
    }

    @Test
    void an_entry_that_inflates_beyond_the_limit_is_refused_whatever_its_header_says() {
        byte[] zeros = new byte[LIMITS.maxEntryBytes() + 1 > Integer.MAX_VALUE ? 1 : (int) LIMITS.maxEntryBytes() + 1];
        assertRefused(feature("<feature name=\"app\"><bundle>" + MVN + "</bundle></feature>")
                .put("repository/bomb.bin", zeros), ScomoCodes.VALIDATION_FAILED, "inflates to more than");
        TestKar many = feature("<feature name=\"app\"><bundle>" + MVN + "</bundle></feature>");
        for (int i = 0; i < 5; i++) {
            many.put("repository/part" + i + ".bin", new byte[60 * 1024]);
        }
        assertRefused(many, ScomoCodes.VALIDATION_FAILED, "the KAR inflates to more than");
        TestKar crowded = feature("<feature name=\"app\"><bundle>" + MVN + "</bundle></feature>");
        for (int i = 0; i < 70; i++) {
            crowded.put("repository/f" + i, JAR);
        }
        assertRefused(crowded, ScomoCodes.VALIDATION_FAILED, "more than 64 entries");
    }

    @Test
    void xml_with_a_dtd_or_external_entity_is_refused_and_never_read_from_outside() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE features [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<features name=\"app\"><feature name=\"app\"><bundle>&x;</bundle></feature></features>";
        assertRefused(new TestKar().put("repository/app-features.xml", xxe.getBytes(StandardCharsets.UTF_8)),
                ScomoCodes.VALIDATION_FAILED, "DTD");
    }

    @Test
    void a_manifest_naming_feature_repositories_two_repositories_or_none_are_refused() {
        assertRefused(feature("<feature name=\"app\"><bundle>" + MVN + "</bundle></feature>")
                .manifest("Karaf-Feature-Repos", "http://evil/features.xml"), ScomoCodes.VALIDATION_FAILED,
                "Karaf-Feature-Repos");
        assertRefused(feature("<feature name=\"app\"><bundle>" + MVN + "</bundle></feature>")
                .features("other", "<feature name=\"o\"/>"), ScomoCodes.VALIDATION_FAILED, "more than one");
        assertRefused(new TestKar().put("repository/x.jar", JAR), ScomoCodes.UNSUPPORTED_TYPE, "no features");
        assertRefused(feature("<feature name=\"..\"><bundle>" + MVN + "</bundle></feature>"),
                ScomoCodes.VALIDATION_FAILED, "no name");
        assertRefused(new TestKar().features("..", "<feature name=\"a\"/>"), ScomoCodes.VALIDATION_FAILED, "");
        assertRefused(feature("<feature name=\"app\"/><feature name=\"app\"/>"), ScomoCodes.VALIDATION_FAILED,
                "defined twice");
    }

    @Test
    void something_that_is_no_zip_is_1413() throws Exception {
        Path p = dir.resolve("text.kar");
        Files.writeString(p, "plain text");
        assertThatThrownBy(() -> KarInspector.inspect(p, LIMITS)).isInstanceOfSatisfying(InstallException.class,
                e -> assertThat(e.code()).isEqualTo(ScomoCodes.UNSUPPORTED_TYPE));
    }
}
