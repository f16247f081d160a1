package org.cardinaldm.pkg.trust.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cardinaldm.pkg.trust.internal.Fixtures.DEVICE;
import static org.cardinaldm.pkg.trust.internal.Fixtures.cms;
import static org.cardinaldm.pkg.trust.internal.Fixtures.manifestFor;
import static org.cardinaldm.pkg.trust.internal.Fixtures.other;
import static org.cardinaldm.pkg.trust.internal.Fixtures.signer;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.cardinaldm.pkg.trust.api.ManifestSignature;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.Refusal;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.cardinaldm.pkg.trust.internal.Fixtures.Signer;
import org.cardinaldm.pkg.trust.internal.Fixtures.SignerWith;
import org.junit.jupiter.api.Test;

import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;

/** Firmware manifests signed by several keys (M-of-N): counting, reporting and the attacks on it. */
class MultipleSignersTest {
    private static final byte[] PAYLOAD = "firmware image bytes".getBytes(StandardCharsets.UTF_8);
    private final CmsManifestVerifier verifier = new CmsManifestVerifier();

    private static Signer a() {
        return signer("ec:secp256r1");
    }

    private static Signer b() {
        return signer("ec:secp384r1");
    }

    private static Signer c() {
        return signer("rsa:2048");
    }

    private static ManifestSigner ms(Signer s) {
        return ManifestSigner.of(s.key(), s.cert());
    }

    private static PackageManifest firmware() throws Exception {
        return manifestFor(PAYLOAD).kind(PackageKind.FIRMWARE).name("gateway").version(PackageVersion.parse("2.0.0"))
                .deviceClass(DEVICE).securityCounter(7).build();
    }

    private static byte[] signedBy(Signer... signers) throws Exception {
        List<ManifestSigner> list = new ArrayList<>();
        for (Signer s : signers) {
            list.add(ms(s));
        }
        return ManifestSigner.signJointly(firmware(), list);
    }

    private Verification verify(byte[] m, TrustedSigners trusted, int threshold) {
        return verifier.verifyManifest(m, trusted, threshold, PackageKind.FIRMWARE, DEVICE);
    }

    private static void assertRefused(Verification v, Refusal reason) {
        assertThat(v.accepted()).as("%s", v).isFalse();
        assertThat(v.refusal()).as("%s", v).contains(reason);
    }

    @Test
    void three_signatures_two_trusted_meet_a_threshold_of_two_and_every_signer_is_reported() throws Exception {
        byte[] m = signedBy(a(), b(), c());
        Verification v = verify(m, a().trusted().union(c().trusted()), 2);
        assertThat(v.accepted()).as("%s", v).isTrue();
        SignedManifest sm = v.manifest().orElseThrow();
        assertThat(sm.trustedSignatureCount()).isEqualTo(2);
        assertThat(sm.signatures()).hasSize(3);
        assertThat(sm.signatures()).filteredOn(ManifestSignature::trusted).extracting(ManifestSignature::signerSha256)
                .containsExactlyInAnyOrder(a().sha256(), c().sha256());
        assertThat(sm.signatures()).filteredOn(s -> !s.trusted()).extracting(ManifestSignature::signerSha256)
                .containsExactly(b().sha256());
        assertThat(sm.signatures()).allSatisfy(s -> assertThat(s.signingTime()).isPresent());
        assertThat(List.of(a().sha256(), c().sha256())).contains(sm.signerSha256());
        assertThat(verifier.verifyPayload(sm, new ByteArrayInputStream(PAYLOAD)).accepted()).isTrue();
    }

    @Test
    void too_few_trusted_signers_is_untrusted_signer_naming_the_count() throws Exception {
        byte[] m = signedBy(a(), b());
        Verification v = verify(m, a().trusted(), 2);
        assertRefused(v, Refusal.UNTRUSTED_SIGNER);
        assertThat(v.detail()).contains("1 of 2", "2 required", b().sha256());
        assertThat(v.manifest()).isEmpty();
        assertRefused(verify(m, TrustedSigners.none(), 1), Refusal.UNTRUSTED_SIGNER);
        assertRefused(verify(m, a().trusted().union(b().trusted()), 3), Refusal.UNTRUSTED_SIGNER);
    }

    @Test
    void the_threshold_one_method_accepts_a_firmware_manifest_with_an_untrusted_cosigner() throws Exception {
        byte[] m = signedBy(a(), b());
        Verification v = verifier.verifyManifest(m, b().trusted(), PackageKind.FIRMWARE, DEVICE);
        assertThat(v.accepted()).as("%s", v).isTrue();
        assertThat(v.manifest().orElseThrow().signerSha256()).isEqualTo(b().sha256());
        assertThat(v.manifest().orElseThrow().trustedSignatureCount()).isEqualTo(1);
    }

    @Test
    void the_same_key_twice_counts_once_and_is_refused() throws Exception {
        byte[] m = cms(ManifestCodec.encode(firmware()), ManifestCodec.CONTENT_TYPE, true, true,
                SignerWith.of(a(), "SHA256withECDSA"), SignerWith.of(a(), "SHA256withECDSA"));
        Verification v = verify(m, a().trusted(), 2);
        assertRefused(v, Refusal.MALFORMED);
        assertThat(verify(m, a().trusted(), 1).accepted()).isFalse();
    }

    @Test
    void the_same_key_in_two_certificates_is_refused() throws Exception {
        // a second certificate for key A (another name and serial) must not make A count twice
        Signer again = new Signer(a().key(), Fixtures.certificate(new java.security.KeyPair(a().cert().getPublicKey(),
                a().key()), "SHA256withECDSA", Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600)));
        byte[] m = cms(ManifestCodec.encode(firmware()), ManifestCodec.CONTENT_TYPE, true, true,
                SignerWith.of(a(), "SHA256withECDSA"), SignerWith.of(again, "SHA256withECDSA"));
        Verification v = verify(m, a().trusted(), 2);
        assertRefused(v, Refusal.MALFORMED);
        assertThat(v.detail()).contains("signed twice");
    }

    @Test
    void more_signers_than_the_bound_are_malformed_before_any_check() throws Exception {
        SignerWith[] many = new SignerWith[ManifestVerifier.MAX_SIGNERS + 1];
        TrustedSigners all = TrustedSigners.none();
        for (int i = 0; i < many.length; i++) {
            Signer s = i == 0 ? a() : other("ec:secp256r1#" + i);
            many[i] = SignerWith.of(s, "SHA256withECDSA");
            all = all.union(s.trusted());
        }
        byte[] m = cms(ManifestCodec.encode(firmware()), ManifestCodec.CONTENT_TYPE, true, true, many);
        Verification v = verify(m, all, 1);
        assertRefused(v, Refusal.MALFORMED);
        assertThat(v.detail()).contains((ManifestVerifier.MAX_SIGNERS + 1) + " signers");
    }

    @Test
    void a_broken_signature_of_an_untrusted_cosigner_refuses_the_manifest() throws Exception {
        byte[] m = signedBy(a(), b());
        org.bouncycastle.cert.X509CertificateHolder bCert = new org.bouncycastle.cert.X509CertificateHolder(encoded(b()));
        SignerInformation bInfo = new CMSSignedData(m).getSignerInfos().getSigners().stream()
                .filter(i -> i.getSID().match(bCert)).findFirst().orElseThrow();
        byte[] sig = bInfo.getSignature();
        int at = indexOf(m, sig);
        assertThat(at).isPositive();
        byte[] tampered = m.clone();
        tampered[at + sig.length - 1] ^= 0x01; // the last byte of ECDSA's s: the DER stays valid
        Verification v = verify(tampered, a().trusted(), 1);
        assertRefused(v, Refusal.BAD_SIGNATURE);
        assertThat(v.detail()).contains(b().sha256());
    }

    @Test
    void an_application_manifest_stays_at_one_signer() throws Exception {
        PackageManifest app = Fixtures.app(PAYLOAD);
        assertThatThrownBy(() -> ManifestSigner.signJointly(app, List.of(ms(a()), ms(b()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("firmware");
        assertThatThrownBy(() -> verifier.verifyManifest(ms(a()).sign(app), a().trusted(), 2, PackageKind.APPLICATION,
                DEVICE)).isInstanceOf(IllegalArgumentException.class);
        // a firmware manifest with two signers offered as an application: refused before any signature
        Verification v = verifier.verifyManifest(signedBy(a(), b()), a().trusted().union(b().trusted()),
                PackageKind.APPLICATION, DEVICE);
        assertRefused(v, Refusal.MALFORMED);
        assertThat(v.detail()).contains("2 signers");
    }

    @Test
    void the_signer_refuses_no_signer_too_many_and_the_same_key_twice() throws Exception {
        PackageManifest fw = firmware();
        assertThatThrownBy(() -> ManifestSigner.signJointly(fw, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManifestSigner.signJointly(fw, List.of(ms(a()), ms(a()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        List<ManifestSigner> nine = new ArrayList<>();
        for (int i = 0; i <= ManifestVerifier.MAX_SIGNERS; i++) {
            nine.add(ms(other("ec:secp256r1#" + i)));
        }
        assertThatThrownBy(() -> ManifestSigner.signJointly(fw, nine)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_standalone_verifier_is_the_same_verifier() throws Exception {
        byte[] m = signedBy(a(), b());
        TrustedSigners both = a().trusted().union(b().trusted());
        assertThat(org.cardinaldm.pkg.trust.standalone.StandaloneVerifier.create().verifyManifest(m, both, 2, PackageKind.FIRMWARE, DEVICE))
                .isEqualTo(verify(m, both, 2));
    }

    @Test
    void a_threshold_below_one_is_a_programming_error() throws Exception {
        byte[] m = signedBy(a());
        assertThatThrownBy(() -> verify(m, a().trusted(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_interface_default_counts_trusted_signatures_for_other_implementations() throws Exception {
        ManifestVerifier minimal = new ManifestVerifier() {
            @Override
            public Verification verifyManifest(byte[] manifest, TrustedSigners signers, PackageKind kind,
                    String deviceClass) {
                return verifier.verifyManifest(manifest, signers, kind, deviceClass);
            }

            @Override
            public Verification verifyPayload(SignedManifest manifest, java.io.InputStream payload) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Verification verify(byte[] manifest, java.io.InputStream payload, TrustedSigners signers,
                    PackageKind kind, String deviceClass) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Verification verify(byte[] manifest, java.nio.file.Path payload, TrustedSigners signers,
                    PackageKind kind, String deviceClass) {
                throw new UnsupportedOperationException();
            }
        };
        byte[] m = signedBy(a(), b());
        assertThat(minimal.verifyManifest(m, a().trusted().union(b().trusted()), 2, PackageKind.FIRMWARE, DEVICE)
                .accepted()).isTrue();
        Verification v = minimal.verifyManifest(m, a().trusted(), 2, PackageKind.FIRMWARE, DEVICE);
        assertRefused(v, Refusal.UNTRUSTED_SIGNER);
        assertThat(v.detail()).contains("1 trusted signer(s), 2 required");
        assertThatThrownBy(() -> minimal.verifyManifest(m, a().trusted(), 0, PackageKind.FIRMWARE, DEVICE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signed_manifests_need_a_trusted_signature_and_distinct_keys() throws Exception {
        PackageManifest fw = firmware();
        String h1 = a().sha256();
        String h2 = b().sha256();
        assertThatThrownBy(() -> SignedManifest.of(fw, List.of(ManifestSignature.of(h1, "CN=a", null, false)),
                new byte[] {1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignedManifest.of(fw, List.of(ManifestSignature.of(h1, "CN=a", null, true),
                ManifestSignature.of(h1, "CN=b", null, false)), new byte[] {1})).isInstanceOf(IllegalArgumentException.class);
        SignedManifest s = SignedManifest.of(fw, List.of(ManifestSignature.of(h2, "CN=b", null, false),
                ManifestSignature.of(h1, "CN=a", Instant.EPOCH, true)), new byte[] {1});
        assertThat(s.signerSha256()).isEqualTo(h1);
        assertThat(s.signerSubject()).isEqualTo("CN=a");
        assertThat(s.signingTime()).contains(Instant.EPOCH);
        assertThat(s.toString()).contains("untrusted " + h2, "trusted " + h1);
        EqualsVerifier.forClass(ManifestSignature.class).suppress(Warning.NULL_FIELDS).verify();
    }

    private static byte[] encoded(Signer s) throws Exception {
        return s.cert().getEncoded();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
