package org.cardinaldm.fumo.agent.karaf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartsTest {
    @TempDir
    Path tmp;

    @Test
    void maven_locations_map_to_the_repository_layout() {
        assertThat(MavenPath.of("mvn:com.acme/gw/2.0.0")).contains("com/acme/gw/2.0.0/gw-2.0.0.jar");
        assertThat(MavenPath.of("mvn:com.acme/gw/2.0.0/xml/features"))
                .contains("com/acme/gw/2.0.0/gw-2.0.0-features.xml");
        assertThat(MavenPath.of("mvn:com.acme/gw/1.0-SNAPSHOT/jar"))
                .contains("com/acme/gw/1.0-SNAPSHOT/gw-1.0-SNAPSHOT.jar");
        for (String bad : List.of("mvn:com.acme/gw", "mvn:com.acme//1", "mvn:a/b/c/d/e/f", "mvn:a/b/..",
                "mvn:a/b/1/jar/x y", "jar:mvn:a/b/1", "", "mvn:a/b/1?x=y")) {
            assertThat(MavenPath.of(bad)).as(bad).isEmpty();
        }
        assertThat(MavenPath.of(null)).isEmpty();
    }

    @Test
    void features_xml_lists_features_bundles_conditionals_and_dependencies() throws Exception {
        Path f = Files.writeString(tmp.resolve("f.xml"), "<features xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">"
                + "<feature name=\"gw\" version=\"2.0\"><details>d</details><config name=\"x\">a=1</config>"
                + "<feature prerequisite=\"true\">scr</feature><bundle start-level=\"80\"> mvn:a/b/1 </bundle>"
                + "<conditional><condition>shell</condition><bundle>mvn:a/c/1</bundle></conditional>"
                + "<capability>x</capability></feature><feature name=\"helper\"/></features>");
        List<FeaturesXml.Feature> fs = FeaturesXml.read(f).orElseThrow();
        assertThat(fs).hasSize(2);
        assertThat(fs.get(0).bundles()).containsExactly("mvn:a/b/1", "mvn:a/c/1");
        assertThat(fs.get(0).dependencies()).containsExactly(new FeaturesXml.Dependency("scr", ""));
        assertThat(fs.get(1).version()).isEqualTo("0.0.0");
        Path other = Files.writeString(tmp.resolve("pom.xml"), "<project><x/></project>");
        assertThat(FeaturesXml.read(other)).isEmpty();
    }

    @Test
    void version_matching_reads_karaf_ranges() {
        assertThat(KarafFeatureRuntime.matches("", "1.2.3")).isTrue();
        assertThat(KarafFeatureRuntime.matches("0.0.0", "1.2.3")).isTrue();
        assertThat(KarafFeatureRuntime.matches("[1,2)", "1.2.3")).isTrue();
        assertThat(KarafFeatureRuntime.matches("[1,2)", "2.0.0")).isFalse();
        assertThat(KarafFeatureRuntime.matches("1.2.3", "1.2.3")).isTrue();
        assertThat(KarafFeatureRuntime.matches("1.2", "1.2.3")).isFalse();
    }

    @Test
    void maven_snapshot_versions_are_read_as_karaf_reads_them() {
        assertThat(Versions.parse("0.1.0-SNAPSHOT")).contains(new org.osgi.framework.Version(0, 1, 0, "SNAPSHOT"));
        assertThat(Versions.parse("2-rc1")).contains(new org.osgi.framework.Version(2, 0, 0, "rc1"));
        assertThat(Versions.same("0.1.0-SNAPSHOT", "0.1.0.SNAPSHOT")).isTrue();
        assertThat(Versions.same("2.0", "2.0.0")).isTrue();
        assertThat(Versions.same("two", "two")).isFalse();
        assertThat(Versions.parse("x-y")).isEmpty();
        assertThat(Versions.compare("1.10", "1.9")).isPositive();
        assertThat(KarafFeatureRuntime.matches("0.1.0-SNAPSHOT", "0.1.0.SNAPSHOT")).isTrue();
        assertThat(KarafFeatureRuntime.matches("[1,2)", "odd")).isFalse();
        assertThat(KarafFeatureRuntime.matches("[bad", "1.0")).isFalse();
    }

    @Test
    void folder_names_never_carry_path_characters() {
        assertThat(KarafUpdateAgent.safe("../gw 2/x")).isEqualTo(".._gw_2_x");
    }
}
