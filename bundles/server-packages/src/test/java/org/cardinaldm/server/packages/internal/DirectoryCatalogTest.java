package org.cardinaldm.server.packages.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.cardinaldm.server.packages.api.PackageRejectedException;
import org.cardinaldm.server.packages.api.PublishedPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The catalogue: what is published, what is refused and left nothing, what is listed. */
class DirectoryCatalogTest {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final byte[] FIRMWARE = "a firmware image, v2".getBytes(StandardCharsets.UTF_8);
    private static final byte[] APP = "PK a bundle".getBytes(StandardCharsets.UTF_8);
    private static ManifestSigner fw1;
    private static ManifestSigner fw2;
    private static ManifestSigner app;
    private static ManifestSigner stranger;

    @TempDir
    Path dir;
    private DirectoryCatalog catalog;

    @BeforeAll
    static void signers() throws Exception {
        fw1 = signer("fw1");
        fw2 = signer("fw2");
        app = signer("app");
        stranger = signer("stranger");
    }

    private static ManifestSigner signer(String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + cn);
        return ManifestSigner.of(kp.getPrivate(), new JcaX509CertificateConverter().setProvider(BC).getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(Instant.now()),
                        Date.from(Instant.now().plus(Duration.ofDays(1))), name, kp.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(kp.getPrivate()))));
    }

    @BeforeEach
    void open() {
        catalog = catalog(1, 1 << 20);
    }

    private DirectoryCatalog catalog(int threshold, long max) {
        return new DirectoryCatalog(dir, "/packages", new CatalogTrust(org.cardinaldm.pkg.trust.standalone.StandaloneVerifier.create(),
                TrustedSigners.ofHex(fw1.signerSha256(), fw2.signerSha256()), threshold,
                TrustedSigners.ofHex(app.signerSha256())), max);
    }

    private static PackageManifest firmwareManifest(byte[] payload, String version, long counter) throws IOException {
        return ManifestSigner.describe(new ByteArrayInputStream(payload)).kind(PackageKind.FIRMWARE).name("gateway")
                .version(PackageVersion.parse(version)).deviceClass("Cardinal/Gateway").securityCounter(counter).build();
    }

    private static byte[] firmwareBy(byte[] payload, ManifestSigner... signers) throws IOException {
        return ManifestSigner.signJointly(firmwareManifest(payload, "2.0.0", 5), List.of(signers));
    }

    private static byte[] appBy(ManifestSigner s, byte[] payload) throws IOException {
        return s.sign(ManifestSigner.describe(new ByteArrayInputStream(payload)).kind(PackageKind.APPLICATION)
                .name("org.example.hello").version(PackageVersion.parse("1.0.0")).deviceClass("*").build());
    }

    private PublishedPackage publish(String name, byte[] payload, byte[] manifest) throws PackageRejectedException {
        return catalog.publish(name, new ByteArrayInputStream(payload), manifest, false);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void a_firmware_package_is_published_with_its_manifest_and_described() throws Exception {
        PublishedPackage p = publish("gateway-2.0.0.kar", FIRMWARE, firmwareBy(FIRMWARE, fw1));
        assertThat(p.kind()).isEqualTo(PackageKind.FIRMWARE);
        assertThat(p.name()).isEqualTo("gateway");
        assertThat(p.version()).isEqualTo("2.0.0");
        assertThat(p.deviceClasses()).containsExactly("Cardinal/Gateway");
        assertThat(p.securityCounter()).hasValue(5);
        assertThat(p.length()).isEqualTo(FIRMWARE.length);
        assertThat(p.sha256Hex()).hasSize(64);
        assertThat(p.signerSha256Hex()).isEqualTo(fw1.signerSha256());
        assertThat(files()).containsExactly("gateway-2.0.0.kar", "gateway-2.0.0.kar.manifest.p7");
        assertThat(Files.readAllBytes(dir.resolve("gateway-2.0.0.kar"))).isEqualTo(FIRMWARE);
        assertThat(catalog.list()).containsExactly(p);
        assertThat(catalog.find("gateway-2.0.0.kar")).contains(p);
        assertThat(catalog.path()).isEqualTo("/packages");
    }

    @Test
    void an_application_is_published_against_the_application_signers() throws Exception {
        PublishedPackage p = publish("hello-1.0.0.jar", APP, appBy(app, APP));
        assertThat(p.kind()).isEqualTo(PackageKind.APPLICATION);
        assertThat(p.securityCounter()).isEmpty();
        assertThat(p.deviceClasses()).containsExactly("*");
    }

    @Test
    void a_firmware_signer_cannot_publish_an_application_nor_an_application_signer_firmware() throws Exception {
        assertThatThrownBy(() -> publish("hello-1.0.0.jar", APP, appBy(fw1, APP)))
                .isInstanceOf(PackageRejectedException.class)
                .hasMessageContaining("UNTRUSTED_SIGNER (an application manifest: signer key " + fw1.signerSha256());
        assertThatThrownBy(() -> publish("gw.kar", FIRMWARE, firmwareBy(FIRMWARE, app)))
                .isInstanceOf(PackageRejectedException.class).hasMessageContaining("UNTRUSTED_SIGNER");
        assertThat(files()).isEmpty();
    }

    @Test
    void an_untrusted_signer_is_refused_before_the_payload_is_read_and_nothing_is_left() throws Exception {
        InputStream untouchable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the payload of a refused manifest is never read");
            }
        };
        assertThatThrownBy(() -> catalog.publish("gw.kar", untouchable, firmwareBy(FIRMWARE, stranger), false))
                .isInstanceOf(PackageRejectedException.class).hasMessageContaining("UNTRUSTED_SIGNER")
                .hasMessageNotContaining("BEGIN");
        assertThat(files()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 70_000})
    void garbage_manifests_are_refused(int size) {
        byte[] junk = new byte[size];
        new java.util.Random(size).nextBytes(junk);
        assertThatThrownBy(() -> publish("gw.kar", FIRMWARE, junk)).isInstanceOf(PackageRejectedException.class)
                .hasMessageContaining("manifest refused");
    }

    @Test
    void a_payload_that_differs_from_the_manifest_is_refused_and_nothing_is_left() throws Exception {
        byte[] m = firmwareBy(FIRMWARE, fw1);
        byte[] other = FIRMWARE.clone();
        other[0] ^= 1;
        assertThatThrownBy(() -> publish("gw.kar", other, m)).hasMessageContaining("PAYLOAD_MISMATCH");
        byte[] longer = java.util.Arrays.copyOf(FIRMWARE, FIRMWARE.length + 1);
        assertThatThrownBy(() -> publish("gw.kar", longer, m)).hasMessageContaining("PAYLOAD_MISMATCH");
        byte[] shorter = java.util.Arrays.copyOf(FIRMWARE, FIRMWARE.length - 1);
        assertThatThrownBy(() -> publish("gw.kar", shorter, m)).hasMessageContaining("PAYLOAD_MISMATCH");
        assertThat(files()).isEmpty();
    }

    @Test
    void an_upload_cut_by_an_io_error_leaves_nothing() throws Exception {
        byte[] big = new byte[200_000];
        byte[] m = firmwareBy(big, fw1);
        InputStream cut = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ > 100_000) {
                    throw new IOException("connection reset");
                }
                return 0;
            }
        };
        assertThatThrownBy(() -> catalog.publish("gw.kar", cut, m, false)).hasMessageContaining("PAYLOAD_UNREADABLE");
        assertThat(files()).isEmpty();
    }

    @Test
    void a_payload_over_the_bound_is_refused_from_the_manifest_and_while_streaming() throws Exception {
        DirectoryCatalog small = catalog(1, 10);
        assertThatThrownBy(() -> small.publish("gw.kar", new ByteArrayInputStream(FIRMWARE), firmwareBy(FIRMWARE, fw1),
                false)).hasMessageContaining("max.package.bytes");
        byte[] ten = new byte[10];
        byte[] m = firmwareBy(ten, fw1);
        // the signed length fits, the stream does not end: cut at the bound, nothing kept
        assertThatThrownBy(() -> small.publish("gw.kar", new ByteArrayInputStream(new byte[1000]), m, false))
                .isInstanceOf(PackageRejectedException.class);
        assertThat(files()).isEmpty();
        assertThat(small.publish("gw.kar", new ByteArrayInputStream(ten), m, false).length()).isEqualTo(10);
    }

    @Test
    void an_existing_package_is_replaced_only_when_asked() throws Exception {
        publish("gw.kar", FIRMWARE, firmwareBy(FIRMWARE, fw1));
        byte[] v3 = "firmware v3".getBytes(StandardCharsets.UTF_8);
        byte[] m3 = ManifestSigner.signJointly(firmwareManifest(v3, "3.0.0", 6), List.of(fw1));
        assertThatThrownBy(() -> publish("gw.kar", v3, m3)).hasMessageContaining("already published");
        assertThat(Files.readAllBytes(dir.resolve("gw.kar"))).isEqualTo(FIRMWARE);
        PublishedPackage p = catalog.publish("gw.kar", new ByteArrayInputStream(v3), m3, true);
        assertThat(p.version()).isEqualTo("3.0.0");
        assertThat(catalog.find("gw.kar")).contains(p);
        assertThat(files()).containsExactly("gw.kar", "gw.kar.manifest.p7");
        // a refused replacement keeps the published package
        assertThatThrownBy(() -> catalog.publish("gw.kar", new ByteArrayInputStream(FIRMWARE), m3, true))
                .isInstanceOf(PackageRejectedException.class);
        assertThat(catalog.find("gw.kar")).contains(p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../gw.kar", ".hidden", "a/b.kar", "a\\b", "gw.kar.manifest.p7", "", "..", "x..y",
        "%2e%2e", "name with space", "ünïcode.kar"})
    void names_the_servlet_would_not_serve_are_refused(String name) throws Exception {
        assertThatThrownBy(() -> publish(name, FIRMWARE, firmwareBy(FIRMWARE, fw1)))
                .isInstanceOf(PackageRejectedException.class).hasMessageContaining("name");
        assertThat(files()).isEmpty();
        assertThat(Files.exists(dir.getParent().resolve("gw.kar"))).isFalse();
    }

    @Test
    void a_name_too_long_for_its_manifest_is_refused() {
        String name = "a".repeat(PackageNames.MAX_LENGTH - PackageNames.MANIFEST_SUFFIX.length() + 1);
        assertThatThrownBy(() -> publish(name, FIRMWARE, firmwareBy(FIRMWARE, fw1))).hasMessageContaining("name");
    }

    @Test
    void m_of_n_firmware_needs_the_threshold_of_trusted_signers() throws Exception {
        DirectoryCatalog twoOfN = catalog(2, 1 << 20);
        assertThatThrownBy(() -> twoOfN.publish("gw.kar", new ByteArrayInputStream(FIRMWARE), firmwareBy(FIRMWARE, fw1),
                false)).hasMessageContaining("UNTRUSTED_SIGNER");
        assertThatThrownBy(() -> twoOfN.publish("gw.kar", new ByteArrayInputStream(FIRMWARE),
                firmwareBy(FIRMWARE, fw1, stranger), false)).hasMessageContaining("UNTRUSTED_SIGNER");
        PublishedPackage p = twoOfN.publish("gw.kar", new ByteArrayInputStream(FIRMWARE),
                firmwareBy(FIRMWARE, fw1, stranger, fw2), false);
        assertThat(List.of(fw1.signerSha256(), fw2.signerSha256())).contains(p.signerSha256Hex());
        assertThat(twoOfN.list()).containsExactly(p);
        // the same files under a 1-of-N catalogue are listed too; under a 3-of-N one they are not
        assertThat(catalog(3, 1 << 20).list()).isEmpty();
    }

    @Test
    void only_packages_that_verify_are_listed() throws Exception {
        PublishedPackage good = publish("gw.kar", FIRMWARE, firmwareBy(FIRMWARE, fw1));
        Files.write(dir.resolve("no-manifest.kar"), FIRMWARE);
        Files.write(dir.resolve("stranger.kar"), FIRMWARE);
        Files.write(dir.resolve("stranger.kar.manifest.p7"), firmwareBy(FIRMWARE, stranger));
        Files.write(dir.resolve("garbage.kar"), FIRMWARE);
        Files.write(dir.resolve("garbage.kar.manifest.p7"), new byte[] {0x30, 0x00});
        Files.write(dir.resolve("huge.kar"), FIRMWARE);
        Files.write(dir.resolve("huge.kar.manifest.p7"), new byte[100_000]);
        Files.write(dir.resolve(".hidden.kar"), FIRMWARE);
        Files.write(dir.resolve(".hidden.kar.manifest.p7"), firmwareBy(FIRMWARE, fw1));
        Files.createDirectory(dir.resolve("sub.kar"));
        Files.write(dir.resolve("sub.kar.manifest.p7"), firmwareBy(FIRMWARE, fw1));
        Files.createSymbolicLink(dir.resolve("link.kar"), dir.resolve("gw.kar"));
        Files.createSymbolicLink(dir.resolve("link.kar.manifest.p7"), dir.resolve("gw.kar.manifest.p7"));
        // put there by hand, signed by a trusted key: published
        Files.write(dir.resolve("by-hand.kar"), FIRMWARE);
        Files.write(dir.resolve("by-hand.kar.manifest.p7"), firmwareBy(FIRMWARE, fw2));
        assertThat(catalog.list()).extracting(PublishedPackage::fileName).containsExactly("by-hand.kar", "gw.kar");
        assertThat(catalog.find("gw.kar")).contains(good);
        assertThat(catalog.find("stranger.kar")).isEmpty();
        assertThat(catalog.find("link.kar")).isEmpty();
        assertThat(catalog.find("../gw.kar")).isEmpty();
        assertThat(catalog.find("gw.kar.manifest.p7")).isEmpty();
    }

    @Test
    void a_payload_changed_on_disk_is_no_longer_listed() throws Exception {
        publish("gw.kar", FIRMWARE, firmwareBy(FIRMWARE, fw1));
        assertThat(catalog.find("gw.kar")).isPresent();
        byte[] tampered = FIRMWARE.clone();
        tampered[3] ^= 0x20;
        Files.write(dir.resolve("gw.kar"), tampered);
        Files.setLastModifiedTime(dir.resolve("gw.kar"), FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(catalog.find("gw.kar")).isEmpty();
        assertThat(catalog.list()).isEmpty();
    }

    @Test
    void remove_takes_the_payload_and_its_manifest() throws Exception {
        publish("gw.kar", FIRMWARE, firmwareBy(FIRMWARE, fw1));
        assertThat(catalog.remove("gw.kar")).isTrue();
        assertThat(files()).isEmpty();
        assertThat(catalog.remove("gw.kar")).isFalse();
        assertThat(catalog.remove("../etc/passwd")).isFalse();
        assertThat(catalog.list()).isEmpty();
    }

    @Test
    void leftovers_of_an_interrupted_upload_are_deleted_at_start_and_never_listed() throws Exception {
        Files.write(dir.resolve(DirectoryCatalog.TEMP_PREFIX + "1234"), FIRMWARE);
        Files.write(dir.resolve(DirectoryCatalog.TEMP_PREFIX + "1234.m"), new byte[3]);
        assertThat(catalog.list()).isEmpty();
        assertThat(catalog.deleteLeftovers()).isEqualTo(2);
        assertThat(files()).isEmpty();
    }

    @Test
    void a_missing_directory_refuses_uploads_and_lists_nothing() throws Exception {
        DirectoryCatalog none = new DirectoryCatalog(dir.resolve("absent"), "/packages", new CatalogTrust(
                org.cardinaldm.pkg.trust.standalone.StandaloneVerifier.create(), TrustedSigners.ofHex(fw1.signerSha256()), 1, TrustedSigners.none()), 100);
        assertThat(none.list()).isEmpty();
        assertThat(none.deleteLeftovers()).isZero();
        assertThatThrownBy(() -> none.publish("gw.kar", new ByteArrayInputStream(FIRMWARE), firmwareBy(FIRMWARE, fw1),
                false)).hasMessageContaining("does not exist");
    }

    @Test
    void two_racing_uploads_of_one_name_publish_exactly_one() throws Exception {
        byte[] m = firmwareBy(FIRMWARE, fw1);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<Boolean> upload = () -> {
                    go.await();
                    try {
                        publish("gw.kar", FIRMWARE, m);
                        return true;
                    } catch (PackageRejectedException e) {
                        return false;
                    }
                };
                results.add(pool.submit(upload));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : results) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
            assertThat(files()).containsExactly("gw.kar", "gw.kar.manifest.p7");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void the_component_reads_signer_lists_and_drops_bad_values() {
        TrustedSigners t = CatalogComponent.signers(new String[] {fw1.signerSha256() + ", not-hex ,",
            fw2.signerSha256().toUpperCase(java.util.Locale.ROOT)}, "trusted.firmware.signers");
        assertThat(t.sha256Hex()).containsExactlyInAnyOrder(fw1.signerSha256(), fw2.signerSha256());
        assertThat(CatalogComponent.signers(null, "k").isEmpty()).isTrue();
    }
}
