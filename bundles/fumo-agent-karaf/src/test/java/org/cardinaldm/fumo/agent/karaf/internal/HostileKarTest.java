package org.cardinaldm.fumo.agent.karaf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.UpdateException;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** Hostile KARs: each is refused before Karaf sees anything, and leaves nothing behind. */
class HostileKarTest {
    static final String FEATURE = "acme-gateway";
    static final String V = "2.0.0";
    static final String XML = "repository/com/acme/gw-features/2.0.0/gw-features-2.0.0-features.xml";
    static final String CORE = "repository/com/acme/gw-core/2.0.0/gw-core-2.0.0.jar";

    @TempDir
    Path tmp;
    Path storage;
    final FakeKaraf karaf = new FakeKaraf();
    final Map<String, Object> props = new HashMap<>();

    @BeforeEach
    void setUp() {
        storage = tmp.resolve("kar");
        props.put("feature.name", FEATURE);
        props.put("kar.storage", storage.toString());
        karaf.installed.put(FEATURE, "1.0.0");
        karaf.installed.put("scr", "4.4.10");
    }

    KarafUpdateAgent agent() {
        KarafAgentConfig c = Converters.standardConverter().convert(props).to(KarafAgentConfig.class);
        return new KarafUpdateAgent(KarafAgentConfig.Settings.of(c, "org.cardinaldm.fumo.agent.karaf", null), karaf,
                l -> List.of(), tmp.resolve("state"), d -> true);
    }

    /** Applies a KAR with these entries and checks the refusal code and that nothing is left. */
    String refused(Map<String, byte[]> entries, FumoResult expected) throws Exception {
        Path kar = Kars.zip(Files.createTempFile(tmp, "hostile", ".kar"), entries);
        KarafUpdateAgent a = agent();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> a.apply(Kars.pkg(kar, PackageKind.FIRMWARE, FEATURE, V)));
        assertThat(t).isInstanceOf(UpdateException.class);
        assertThat(((UpdateException) t).result()).as(t.getMessage()).isEqualTo(expected);
        assertThat(karaf.calls).noneMatch(c -> c.startsWith("addRepository") || c.startsWith("switchTo"));
        assertThat(karaf.installed).containsEntry(FEATURE, "1.0.0");
        assertThat(a.pendingVersion()).isEmpty();
        try (Stream<Path> left = Files.exists(storage) ? Files.list(storage) : Stream.empty()) {
            assertThat(left).isEmpty();
        }
        return t.getMessage();
    }

    static Map<String, byte[]> good() throws IOException {
        return new LinkedHashMap<>(Kars.gateway(V));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void the_well_formed_kar_passes() throws Exception {
        agent().apply(Kars.pkg(Kars.zip(tmp.resolve("ok.kar"), good()), PackageKind.FIRMWARE, FEATURE, V));
        assertThat(karaf.installed).containsEntry(FEATURE, V);
    }

    @Test
    void path_traversal_entries_are_402() throws Exception {
        for (String evil : List.of("repository/../../../etc/evil.jar", "repository/./x.jar", "/etc/passwd",
                "repository\\..\\evil", "repository//x.jar", "C:/x.jar", "repository/a\u0001b.jar")) {
            Map<String, byte[]> e = good();
            e.put(evil, new byte[] {1});
            refused(e, FumoResult.CORRUPTED_PACKAGE);
        }
        assertThat(tmp.resolve("etc")).doesNotExist();
    }

    @Test
    void resources_outside_the_repository_are_refused() throws Exception {
        Map<String, byte[]> e = good();
        e.put("resources/etc/org.apache.karaf.shell.cfg", utf8("sshPort=22"));
        assertThat(refused(e, FumoResult.PACKAGE_MISMATCH)).contains("resources");
    }

    @Test
    void the_same_name_twice_in_other_case_is_402() throws Exception {
        Map<String, byte[]> e = good();
        e.put(CORE.toUpperCase().replace("REPOSITORY/", "repository/"), new byte[] {1});
        e.put("repository/x/A.jar", new byte[] {1});
        e.put("repository/x/a.jar", new byte[] {2});
        assertThat(refused(e, FumoResult.CORRUPTED_PACKAGE)).contains("twice");
    }

    @Test
    void a_huge_entry_is_502() throws Exception {
        props.put("max.entry.bytes", 4096L);
        Map<String, byte[]> e = good();
        e.put("repository/com/acme/big/1/big-1.jar", new byte[5000]);
        assertThat(refused(e, FumoResult.UPDATE_OUT_OF_MEMORY)).contains("larger than 4096");
    }

    @Test
    void a_zip_bomb_is_stopped_at_the_total_limit() throws Exception {
        props.put("max.extracted.bytes", 1024L * 1024);
        Map<String, byte[]> e = good();
        e.put("repository/com/acme/zeros/1/zeros-1.jar", new byte[8 * 1024 * 1024]);
        refused(e, FumoResult.UPDATE_OUT_OF_MEMORY);
    }

    @Test
    void too_many_entries_are_502() throws Exception {
        props.put("max.entries", 5);
        Map<String, byte[]> e = good();
        for (int i = 0; i < 5; i++) {
            e.put("repository/n/" + i + ".txt", new byte[] {1});
        }
        refused(e, FumoResult.UPDATE_OUT_OF_MEMORY);
    }

    @Test
    void a_bundle_that_is_not_inside_the_kar_is_refused_rather_than_fetched() throws Exception {
        Map<String, byte[]> e = good();
        e.remove(CORE);
        assertThat(refused(e, FumoResult.PACKAGE_MISMATCH)).contains("does not carry");
        assertThat(karaf.calls).noneMatch(c -> c.contains("gw-core"));
    }

    @Test
    void bundle_locations_that_are_not_plain_maven_coordinates_are_refused() throws Exception {
        for (String loc : List.of("http://evil.example/x.jar", "mvn:https://evil.example/repo!com.acme/x/1",
                "wrap:mvn:com.acme/x/1", "mvn:com.acme/x/${evil}", "mvn:com.acme/../x/1", "file:/etc/passwd")) {
            Map<String, byte[]> e = good();
            e.put(XML, utf8(Kars.features(FEATURE, V, "", "mvn:com.acme/gw-core/2.0.0", loc)));
            assertThat(refused(e, FumoResult.PACKAGE_MISMATCH)).contains("not a plain mvn:");
        }
    }

    @Test
    void elements_that_fetch_or_write_outside_the_package_are_refused() throws Exception {
        for (String extra : List.of("<configfile finalname=\"/etc/x\">mvn:a/b/1/cfg</configfile>",
                "<library>mvn:a/b/1</library>", "<requirement>osgi.service;filter:=x</requirement>",
                "<bundle><x/></bundle>", "<feature><bundle>mvn:com.acme/gw-core/2.0.0</bundle></feature>",
                "<unknown/>")) {
            Map<String, byte[]> e = good();
            e.put(XML, utf8(Kars.features(FEATURE, V, extra, "mvn:com.acme/gw-core/2.0.0")));
            assertThat(refused(e, FumoResult.PACKAGE_MISMATCH)).contains("not allowed");
        }
        Map<String, byte[]> e = good();
        e.put(XML, utf8("<features><repository>mvn:evil/features/1/xml/features</repository>"
                + "<feature name=\"acme-gateway\" version=\"2.0.0\"><bundle>mvn:com.acme/gw-core/2.0.0</bundle>"
                + "</feature></features>"));
        assertThat(refused(e, FumoResult.PACKAGE_MISMATCH)).contains("<repository>");
    }

    @Test
    void a_dtd_or_external_entity_is_refused_and_never_read() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "top secret");
        Map<String, byte[]> e = good();
        e.put(XML, utf8("<?xml version=\"1.0\"?><!DOCTYPE features [<!ENTITY x SYSTEM \"" + secret.toUri()
                + "\">]><features><feature name=\"acme-gateway\" version=\"2.0.0\"><bundle>&x;</bundle>"
                + "</feature></features>"));
        String message = refused(e, FumoResult.PACKAGE_MISMATCH);
        assertThat(message).doesNotContain("top secret");
    }

    @Test
    void malformed_xml_and_a_file_that_is_no_zip_are_402() throws Exception {
        Map<String, byte[]> e = good();
        e.put(XML, utf8("<features><feature name=\"acme-gateway\" version=\"2.0.0\">"));
        refused(e, FumoResult.CORRUPTED_PACKAGE);

        Path notZip = Files.writeString(tmp.resolve("not.kar"), "this is not a zip");
        assertThatThrownBy(() -> agent().apply(Kars.pkg(notZip, PackageKind.FIRMWARE, FEATURE, V)))
                .extracting(t -> ((UpdateException) t).result()).isEqualTo(FumoResult.CORRUPTED_PACKAGE);
    }

    @Test
    void a_kar_without_features_or_without_the_signed_version_is_403() throws Exception {
        Map<String, byte[]> e = good();
        e.remove(XML);
        assertThat(refused(e, FumoResult.PACKAGE_MISMATCH)).contains("no features repository");
        e = good();
        e.put(XML, utf8(Kars.features(FEATURE, "2.0.1", "", "mvn:com.acme/gw-core/2.0.0")));
        assertThat(refused(e, FumoResult.PACKAGE_MISMATCH)).contains("signed version");
        e = good();
        e.put(XML, utf8(Kars.features(FEATURE, "two", "", "mvn:com.acme/gw-core/2.0.0")));
        assertThat(refused(e, FumoResult.PACKAGE_MISMATCH)).contains("not an OSGi version");
    }

    @Test
    void a_dependency_neither_in_the_kar_nor_installed_is_refused() throws Exception {
        Map<String, byte[]> e = good();
        e.put(XML, utf8(Kars.features(FEATURE, V, "<feature version=\"[1,2)\">camel-core</feature>",
                "mvn:com.acme/gw-core/2.0.0")));
        assertThat(refused(e, FumoResult.PACKAGE_MISMATCH)).contains("camel-core");
    }

    @Test
    void a_protected_bundle_or_a_jar_that_is_no_bundle_is_refused() throws Exception {
        Map<String, byte[]> e = good();
        e.put(CORE, Kars.bundle("org.cardinaldm.fumo.agent.karaf"));
        assertThat(refused(e, FumoResult.PACKAGE_MISMATCH)).contains("runs the update");
        e = good();
        e.put(CORE, Kars.bundle(null));
        assertThat(refused(e, FumoResult.PACKAGE_MISMATCH)).contains("not an OSGi bundle");
        e = good();
        e.put(CORE, utf8("not a jar"));
        refused(e, FumoResult.CORRUPTED_PACKAGE);
    }
}
