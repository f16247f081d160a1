package org.cardinaldm.pkg.trust.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cardinaldm.pkg.trust.internal.Fixtures.DEVICE;
import static org.cardinaldm.pkg.trust.internal.Fixtures.app;
import static org.cardinaldm.pkg.trust.internal.Fixtures.cms;
import static org.cardinaldm.pkg.trust.internal.Fixtures.signer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.Refusal;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.cardinaldm.pkg.trust.internal.Fixtures.Signer;
import org.cardinaldm.pkg.trust.internal.Fixtures.SignerWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The verifier against good packages and against every crafted refusal. */
class CmsManifestVerifierTest {
    private static final byte[] PAYLOAD = "a bundle's bytes, standing in for a jar".getBytes(StandardCharsets.UTF_8);
    private final CmsManifestVerifier verifier = new CmsManifestVerifier();

    private static Signer p256() {
        return signer("ec:secp256r1");
    }

    private static byte[] signed(Signer s, PackageManifest m) {
        return ManifestSigner.of(s.key(), s.cert()).sign(m);
    }

    private Verification verify(byte[] manifest, byte[] payload, TrustedSigners trusted) {
        return verifier.verify(manifest, new ByteArrayInputStream(payload), trusted, PackageKind.APPLICATION, DEVICE);
    }

    private Verification verify(byte[] manifest) {
        return verify(manifest, PAYLOAD, p256().trusted());
    }

    private static void assertRefused(Verification v, Refusal reason) {
        assertThat(v.accepted()).as("%s", v).isFalse();
        assertThat(v.refusal()).as("%s", v).contains(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ec:secp256r1", "ec:secp384r1", "rsa:2048"})
    void a_good_manifest_and_payload_are_accepted(String keySpec) throws Exception {
        Signer s = signer(keySpec);
        Verification v = verify(signed(s, app(PAYLOAD)), PAYLOAD, s.trusted());

        assertThat(v.accepted()).as("%s", v).isTrue();
        assertThat(v.refusal()).isEmpty();
        assertThat(v.manifest().orElseThrow().manifest()).isEqualTo(app(PAYLOAD));
        assertThat(v.manifest().orElseThrow().signerSha256()).isEqualTo(s.sha256());
        assertThat(v.manifest().orElseThrow().signerSubject()).contains("CN=Package signer");
        assertThat(v.manifest().orElseThrow().signingTime()).isPresent();
    }

    @Test
    void rsa_pss_signatures_are_accepted() throws Exception {
        Signer s = signer("rsa:2048");
        byte[] m = ManifestSigner.of(s.key(), s.cert()).withPss().sign(app(PAYLOAD));
        assertThat(verify(m, PAYLOAD, s.trusted()).accepted()).isTrue();
    }

    @Test
    void firmware_with_a_security_counter_is_accepted_as_firmware_only() throws Exception {
        PackageManifest fw = Fixtures.manifestFor(PAYLOAD).kind(PackageKind.FIRMWARE).name("gateway")
                .version(PackageVersion.parse("2.0.0")).deviceClass("Other/Model").deviceClass(DEVICE)
                .securityCounter(7).build();
        byte[] m = signed(p256(), fw);

        Verification v = verifier.verify(m, new ByteArrayInputStream(PAYLOAD), p256().trusted(), PackageKind.FIRMWARE, DEVICE);
        assertThat(v.accepted()).isTrue();
        assertThat(v.manifest().orElseThrow().manifest().securityCounter()).hasValue(7);
        assertRefused(verify(m), Refusal.WRONG_KIND);
    }

    @Test
    void a_tampered_payload_byte_is_a_payload_mismatch() throws Exception {
        byte[] tampered = PAYLOAD.clone();
        tampered[5] ^= 1;
        Verification v = verify(signed(p256(), app(PAYLOAD)), tampered, p256().trusted());
        assertRefused(v, Refusal.PAYLOAD_MISMATCH);
        assertThat(v.detail()).contains("SHA-256");
        assertThat(v.manifest()).as("the authenticated manifest names the package").isPresent();
    }

    @Test
    void a_shorter_or_longer_payload_is_a_payload_mismatch() throws Exception {
        byte[] m = signed(p256(), app(PAYLOAD));
        assertRefused(verify(m, Arrays.copyOf(PAYLOAD, PAYLOAD.length - 1), p256().trusted()), Refusal.PAYLOAD_MISMATCH);
        assertRefused(verify(m, Arrays.copyOf(PAYLOAD, PAYLOAD.length + 1), p256().trusted()), Refusal.PAYLOAD_MISMATCH);
    }

    @Test
    void every_single_byte_flip_of_the_manifest_is_refused_or_changes_nothing_signed() throws Exception {
        byte[] good = signed(p256(), app(PAYLOAD));
        int refusedAsBadSignature = 0;
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            Verification v = verify(bad);
            if (v.accepted()) {
                // only bytes no signature covers (the certificate's own signature, the unsigned digest set) may
                // change; what a device acts on must be the signed original
                assertThat(v.manifest().orElseThrow().manifest()).isEqualTo(app(PAYLOAD));
                assertThat(v.manifest().orElseThrow().signerSha256()).isEqualTo(p256().sha256());
            } else if (v.refusal().orElseThrow() == Refusal.BAD_SIGNATURE) {
                refusedAsBadSignature++;
            }
        }
        assertThat(refusedAsBadSignature).as("flips of the manifest, attributes and signature").isGreaterThan(100);
    }

    @Test
    void a_byte_changed_inside_the_encapsulated_manifest_is_a_bad_signature() throws Exception {
        byte[] good = signed(p256(), app(PAYLOAD));
        byte[] name = "org.example.hello".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(good, name);
        assertThat(at).isPositive();
        byte[] bad = good.clone();
        bad[at] = 'O';
        assertRefused(verify(bad), Refusal.BAD_SIGNATURE);
    }

    @Test
    void a_signature_by_a_key_that_is_not_trusted_is_refused() throws Exception {
        Signer stranger = Fixtures.other("ec:secp256r1");
        Verification v = verify(signed(stranger, app(PAYLOAD)));
        assertRefused(v, Refusal.UNTRUSTED_SIGNER);
        assertThat(v.detail()).contains(stranger.sha256());
        assertThat(v.manifest()).isEmpty();
    }

    @Test
    void an_empty_trust_list_trusts_nobody() throws Exception {
        Verification v = verify(signed(p256(), app(PAYLOAD)), PAYLOAD, TrustedSigners.none());
        assertRefused(v, Refusal.UNTRUSTED_SIGNER);
        assertThat(v.detail()).contains("empty");
    }

    @Test
    void a_trusted_certificate_around_a_stranger_key_is_still_the_stranger_key() throws Exception {
        // the SignerIdentifier names the trusted certificate, the signature comes from another key
        Signer trusted = p256();
        Signer stranger = Fixtures.other("ec:secp256r1");
        Signer forged = new Signer(stranger.key(), trusted.cert());
        byte[] m = cms(ManifestCodec.encode(app(PAYLOAD)), ManifestCodec.CONTENT_TYPE, true, true,
                SignerWith.of(forged, "SHA256withECDSA"));
        assertRefused(verify(m), Refusal.BAD_SIGNATURE);
    }

    @Test
    void the_wrong_kind_is_refused() throws Exception {
        Verification v = verifier.verify(signed(p256(), app(PAYLOAD)), new ByteArrayInputStream(PAYLOAD),
                p256().trusted(), PackageKind.FIRMWARE, DEVICE);
        assertRefused(v, Refusal.WRONG_KIND);
    }

    @Test
    void the_wrong_device_class_is_refused_and_classes_match_exactly() throws Exception {
        byte[] m = signed(p256(), app(PAYLOAD));
        for (String device : new String[] {"Cardinal/Gateway-2", "cardinal/gateway-1", "Cardinal/Gateway-1 ", "Cardinal"}) {
            Verification v = verifier.verify(m, new ByteArrayInputStream(PAYLOAD), p256().trusted(),
                    PackageKind.APPLICATION, device);
            assertRefused(v, Refusal.WRONG_DEVICE_CLASS);
        }
    }

    @Test
    void an_application_for_any_device_fits_every_device() throws Exception {
        PackageManifest any = Fixtures.manifestFor(PAYLOAD).kind(PackageKind.APPLICATION).name("a")
                .version(PackageVersion.parse("1")).deviceClass(PackageManifest.ANY_DEVICE).build();
        Verification v = verifier.verify(signed(p256(), any), new ByteArrayInputStream(PAYLOAD), p256().trusted(),
                PackageKind.APPLICATION, "Someone/Else");
        assertThat(v.accepted()).isTrue();
    }

    @Test
    void firmware_signed_for_any_device_is_refused_even_when_hand_made() throws Exception {
        // the builder refuses it; a hostile signer writes the DER by hand
        byte[] der = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(1),
                new org.bouncycastle.asn1.ASN1Enumerated(1), new org.bouncycastle.asn1.DERUTF8String("fw"),
                new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new org.bouncycastle.asn1.DERUTF8String("1"),
                        new DERSequence(new ASN1Integer(1))}),
                new DERSequence(new org.bouncycastle.asn1.DERUTF8String("*")), new ASN1Integer(PAYLOAD.length),
                new DEROctetString(java.security.MessageDigest.getInstance("SHA-256").digest(PAYLOAD))})
                .getEncoded(ASN1Encoding.DER);
        byte[] m = cms(der, ManifestCodec.CONTENT_TYPE, true, true, SignerWith.of(p256(), "SHA256withECDSA"));
        Verification v = verifier.verifyManifest(m, p256().trusted(), PackageKind.FIRMWARE, DEVICE);
        assertRefused(v, Refusal.MALFORMED);
    }

    @Test
    void an_unknown_format_version_is_refused() throws Exception {
        byte[] der = ManifestCodec.encode(app(PAYLOAD));
        byte[] v2 = der.clone();
        v2[indexOf(der, new byte[] {0x02, 0x01, 0x01})+ 2] = 2;
        byte[] m = cms(v2, ManifestCodec.CONTENT_TYPE, true, true, SignerWith.of(p256(), "SHA256withECDSA"));
        assertRefused(verify(m), Refusal.UNSUPPORTED_VERSION);
    }

    @Test
    void empty_input_is_unsigned() {
        assertRefused(verify(new byte[0]), Refusal.UNSIGNED);
    }

    @Test
    void a_signed_data_without_a_signer_is_unsigned() throws Exception {
        byte[] m = cms(ManifestCodec.encode(app(PAYLOAD)), ManifestCodec.CONTENT_TYPE, true, true);
        assertRefused(verify(m), Refusal.UNSIGNED);
    }

    @Test
    void two_signers_are_malformed_even_when_both_are_trusted() throws Exception {
        Signer other = signer("ec:secp384r1");
        byte[] m = cms(ManifestCodec.encode(app(PAYLOAD)), ManifestCodec.CONTENT_TYPE, true, true,
                SignerWith.of(p256(), "SHA256withECDSA"), SignerWith.of(other, "SHA256withECDSA"));
        Verification v = verify(m, PAYLOAD, p256().trusted().union(other.trusted()));
        assertRefused(v, Refusal.MALFORMED);
        assertThat(v.detail()).contains("2 signers");
    }

    @Test
    void a_detached_signed_data_is_malformed() throws Exception {
        byte[] m = cms(ManifestCodec.encode(app(PAYLOAD)), ManifestCodec.CONTENT_TYPE, false, true,
                SignerWith.of(p256(), "SHA256withECDSA"));
        Verification v = verify(m);
        assertRefused(v, Refusal.MALFORMED);
        assertThat(v.detail()).contains("detached");
    }

    @Test
    void a_signed_data_without_the_signer_certificate_is_malformed() throws Exception {
        byte[] m = cms(ManifestCodec.encode(app(PAYLOAD)), ManifestCodec.CONTENT_TYPE, true, false,
                SignerWith.of(p256(), "SHA256withECDSA"));
        assertRefused(verify(m), Refusal.MALFORMED);
    }

    @Test
    void a_signature_without_signed_attributes_is_malformed() throws Exception {
        // BC only makes a direct signature for id-data: make one, then relabel its content as a manifest
        byte[] idData = cms(ManifestCodec.encode(app(PAYLOAD)), CMSObjectIdentifiers.data, true, true,
                new SignerWith(p256(), "SHA256withECDSA", false));
        org.bouncycastle.asn1.cms.SignedData sd = org.bouncycastle.asn1.cms.SignedData.getInstance(
                ContentInfo.getInstance(org.bouncycastle.asn1.ASN1Primitive.fromByteArray(idData)).getContent());
        org.bouncycastle.asn1.cms.SignedData relabelled = new org.bouncycastle.asn1.cms.SignedData(
                sd.getDigestAlgorithms(), new ContentInfo(ManifestCodec.CONTENT_TYPE, sd.getEncapContentInfo().getContent()),
                sd.getCertificates(), sd.getCRLs(), sd.getSignerInfos());
        byte[] m = new ContentInfo(CMSObjectIdentifiers.signedData, relabelled).getEncoded(ASN1Encoding.DER);
        Verification v = verify(m);
        assertRefused(v, Refusal.MALFORMED);
        assertThat(v.detail()).contains("signed attributes");
    }

    @Test
    void a_manifest_signed_as_plain_id_data_is_malformed() throws Exception {
        byte[] m = cms(ManifestCodec.encode(app(PAYLOAD)), CMSObjectIdentifiers.data, true, true,
                SignerWith.of(p256(), "SHA256withECDSA"));
        Verification v = verify(m);
        assertRefused(v, Refusal.MALFORMED);
        assertThat(v.detail()).contains("eContentType");
    }

    @Test
    void a_content_info_that_is_not_signed_data_is_malformed() throws Exception {
        byte[] m = new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(ManifestCodec.encode(app(PAYLOAD))))
                .getEncoded(ASN1Encoding.DER);
        assertRefused(verify(m), Refusal.MALFORMED);
    }

    @Test
    void garbage_in_the_signed_manifest_content_is_malformed() throws Exception {
        byte[] m = cms("not DER at all".getBytes(StandardCharsets.US_ASCII), ManifestCodec.CONTENT_TYPE, true, true,
                SignerWith.of(p256(), "SHA256withECDSA"));
        assertRefused(verify(m), Refusal.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5withRSA", "SHA1withRSA", "SHA512withRSA"})
    void weak_or_other_digests_with_rsa_are_unsupported(String alg) throws Exception {
        Signer rsa = signer("rsa:2048");
        byte[] m = cms(ManifestCodec.encode(app(PAYLOAD)), ManifestCodec.CONTENT_TYPE, true, true,
                SignerWith.of(rsa, alg));
        assertRefused(verify(m, PAYLOAD, rsa.trusted()), Refusal.UNSUPPORTED_ALGORITHM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA1withECDSA", "SHA384withECDSA"})
    void other_digests_with_ecdsa_are_unsupported(String alg) throws Exception {
        byte[] m = cms(ManifestCodec.encode(app(PAYLOAD)), ManifestCodec.CONTENT_TYPE, true, true,
                SignerWith.of(p256(), alg));
        assertRefused(verify(m), Refusal.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void rsa_1024_is_unsupported_even_when_trusted() throws Exception {
        Signer weak = signer("rsa:1024");
        byte[] m = cms(ManifestCodec.encode(app(PAYLOAD)), ManifestCodec.CONTENT_TYPE, true, true,
                SignerWith.of(weak, "SHA256withRSA"));
        Verification v = verify(m, PAYLOAD, weak.trusted());
        assertRefused(v, Refusal.UNSUPPORTED_ALGORITHM);
        assertThat(v.detail()).contains("1024 bits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ec:secp521r1", "ec:secp256k1"})
    void other_curves_are_unsupported(String spec) throws Exception {
        Signer s = signer(spec);
        byte[] m = cms(ManifestCodec.encode(app(PAYLOAD)), ManifestCodec.CONTENT_TYPE, true, true,
                SignerWith.of(s, "SHA256withECDSA"));
        assertRefused(verify(m, PAYLOAD, s.trusted()), Refusal.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void the_signer_refuses_keys_devices_would_refuse() throws Exception {
        Signer weak = signer("rsa:1024");
        assertThatThrownBy(() -> ManifestSigner.of(weak.key(), weak.cert()).sign(app(PAYLOAD)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNSUPPORTED_ALGORITHM");
        Signer k1 = signer("ec:secp256k1");
        assertThatThrownBy(() -> ManifestSigner.of(k1.key(), k1.cert()).sign(app(PAYLOAD)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManifestSigner.of(p256().key(), p256().cert()).withPss())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_signer_refuses_a_key_that_does_not_match_the_certificate() {
        Signer mixed = new Signer(Fixtures.other("ec:secp256r1").key(), p256().cert());
        assertThatThrownBy(() -> ManifestSigner.of(mixed.key(), mixed.cert()).sign(app(PAYLOAD)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BAD_SIGNATURE");
    }

    @Test
    void an_oversized_manifest_is_refused_before_parsing() {
        byte[] big = new byte[ManifestVerifier.MAX_MANIFEST_BYTES + 1];
        assertRefused(verify(big), Refusal.TOO_LARGE);
    }

    @Test
    void truncated_manifests_are_malformed() throws Exception {
        byte[] good = signed(p256(), app(PAYLOAD));
        for (int len = 1; len < good.length; len += 7) {
            assertRefused(verify(Arrays.copyOf(good, len)), Refusal.MALFORMED);
        }
    }

    @Test
    void trailing_bytes_after_the_signed_data_are_malformed() throws Exception {
        byte[] good = signed(p256(), app(PAYLOAD));
        assertRefused(verify(Arrays.copyOf(good, good.length + 1)), Refusal.MALFORMED);
    }

    @Test
    void ber_indefinite_lengths_and_deep_nesting_are_malformed() {
        assertRefused(verify(new byte[] {0x30, (byte) 0x80, 0x02, 0x01, 0x01, 0x00, 0x00}), Refusal.MALFORMED);
        byte[] deep = new byte[ManifestVerifier.MAX_MANIFEST_BYTES];
        for (int i = 0; i < deep.length; i += 2) {
            deep[i] = 0x30;
            deep[i + 1] = (byte) 0x80;
        }
        assertRefused(verify(deep), Refusal.MALFORMED);
    }

    @Test
    void garbage_is_malformed() {
        assertRefused(verify("-----BEGIN PKCS7-----".getBytes(StandardCharsets.US_ASCII)), Refusal.MALFORMED);
        assertRefused(verify(new byte[] {0x30, 0x00}), Refusal.MALFORMED);
    }

    @Test
    void certificate_dates_are_not_checked_because_the_key_is_pinned() throws Exception {
        Signer s = p256();
        KeyPair kp = new KeyPair(s.cert().getPublicKey(), s.key());
        Signer expired = new Signer(s.key(), Fixtures.certificate(kp, "SHA256withECDSA",
                Instant.parse("2001-01-01T00:00:00Z"), Instant.parse("2002-01-01T00:00:00Z")));
        byte[] m = cms(ManifestCodec.encode(app(PAYLOAD)), ManifestCodec.CONTENT_TYPE, true, true,
                SignerWith.of(expired, "SHA256withECDSA"));
        Verification v = verify(m);
        assertThat(v.accepted()).as("%s", v).isTrue();
        assertThat(v.manifest().orElseThrow().signingTime().orElseThrow())
                .isAfter(Instant.now().minus(Duration.ofHours(1)));
    }

    @Test
    void a_payload_file_verifies_and_a_missing_one_is_unreadable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hello.jar");
        Files.write(file, PAYLOAD);
        byte[] m = signed(p256(), app(PAYLOAD));
        assertThat(verifier.verify(m, file, p256().trusted(), PackageKind.APPLICATION, DEVICE).accepted()).isTrue();
        assertRefused(verifier.verify(m, dir.resolve("gone.jar"), p256().trusted(), PackageKind.APPLICATION, DEVICE),
                Refusal.PAYLOAD_UNREADABLE);
    }

    @Test
    void a_failing_payload_stream_is_unreadable() throws Exception {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("cable pulled");
            }
        };
        Verification v = verifier.verify(signed(p256(), app(PAYLOAD)), failing, p256().trusted(),
                PackageKind.APPLICATION, DEVICE);
        assertRefused(v, Refusal.PAYLOAD_UNREADABLE);
    }

    @Test
    void the_payload_is_not_read_when_the_manifest_is_refused() throws Exception {
        InputStream untouchable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("payload read although the manifest was refused");
            }
        };
        Verification v = verifier.verify(signed(p256(), app(PAYLOAD)), untouchable, TrustedSigners.none(),
                PackageKind.APPLICATION, DEVICE);
        assertRefused(v, Refusal.UNTRUSTED_SIGNER);
    }

    @Test
    void misuse_throws_but_hostile_input_does_not() {
        assertThatThrownBy(() -> verifier.verifyManifest(null, TrustedSigners.none(), PackageKind.APPLICATION, DEVICE))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> verifier.verifyManifest(new byte[1], null, PackageKind.APPLICATION, DEVICE))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> verifier.verifyManifest(new byte[1], TrustedSigners.none(), PackageKind.APPLICATION, "*"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
