package org.cardinaldm.pkg.trust.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.Refusal;
import org.junit.jupiter.api.Test;

/** The DER of CardinalPackageManifest: the documented example, round trips, strictness. */
class ManifestCodecTest {
    private static final byte[] SHA = HexFormat.of().parseHex("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

    static PackageManifest example() {
        return PackageManifest.builder().kind(PackageKind.FIRMWARE).name("gateway")
                .version(PackageVersion.parse("1.1.0")).deviceClass("Cardinal/Gateway").payload(4, SHA)
                .securityCounter(2).build();
    }

    @Test
    void the_example_of_the_documentation_encodes_byte_for_byte() {
        // docs/signed-packages.md §2.2
        assertThat(HexFormat.of().withUpperCase().formatHex(ManifestCodec.encode(example()))).isEqualTo(
                "305F020101" + "0A0101" + "0C0767617465776179"
                + "3012" + "0C05312E312E30" + "3009020101020101020100"
                + "3012" + "0C1043617264696E616C2F47617465776179"
                + "020104" + "0420" + "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
                + "800102");
    }

    @Test
    void manifests_round_trip() throws Exception {
        assertThat(ManifestCodec.decode(ManifestCodec.encode(example()))).isEqualTo(example());
        PackageManifest app = PackageManifest.builder().kind(PackageKind.APPLICATION).name("org.example.hello")
                .version(PackageVersion.of("2026.12 build 7", java.util.List.of(2026L, 12L, 7L)))
                .deviceClass("*").deviceClass("x").payload(Long.MAX_VALUE, SHA).build();
        assertThat(ManifestCodec.decode(ManifestCodec.encode(app))).isEqualTo(app);
        assertThat(ManifestCodec.decode(ManifestCodec.encode(app)).securityCounter()).isEmpty();
    }

    @Test
    void later_context_tagged_fields_are_skipped() throws Exception {
        ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(ManifestCodec.encode(example())));
        ASN1EncodableVector v = new ASN1EncodableVector();
        seq.forEach(v::add);
        v.add(new DERTaggedObject(true, 1, new DERUTF8String("release notes")));
        assertThat(ManifestCodec.decode(new DERSequence(v).getEncoded(ASN1Encoding.DER))).isEqualTo(example());
    }

    @Test
    void an_unexpected_universal_field_is_malformed() throws Exception {
        ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(ManifestCodec.encode(example())));
        ASN1EncodableVector v = new ASN1EncodableVector();
        seq.forEach(v::add);
        v.add(new ASN1Integer(5));
        assertMalformed(new DERSequence(v).getEncoded(ASN1Encoding.DER));
    }

    @Test
    void missing_fields_negative_numbers_and_wrong_hash_sizes_are_malformed() throws Exception {
        ASN1Encodable[] fields = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(ManifestCodec.encode(example())))
                .toArray();
        assertMalformed(new DERSequence(java.util.Arrays.copyOf(fields, 6)).getEncoded(ASN1Encoding.DER));
        ASN1Encodable[] negative = fields.clone();
        negative[5] = new ASN1Integer(-1);
        assertMalformed(new DERSequence(negative).getEncoded(ASN1Encoding.DER));
        ASN1Encodable[] shortHash = fields.clone();
        shortHash[6] = new org.bouncycastle.asn1.DEROctetString(new byte[31]);
        assertMalformed(new DERSequence(shortHash).getEncoded(ASN1Encoding.DER));
        ASN1Encodable[] badKind = fields.clone();
        badKind[1] = new org.bouncycastle.asn1.ASN1Enumerated(9);
        assertMalformed(new DERSequence(badKind).getEncoded(ASN1Encoding.DER));
        ASN1Encodable[] twice = fields.clone();
        twice[4] = new DERSequence(new ASN1Encodable[] {new DERUTF8String("a"), new DERUTF8String("a")});
        assertMalformed(new DERSequence(twice).getEncoded(ASN1Encoding.DER));
    }

    @Test
    void non_der_encodings_are_malformed() {
        byte[] der = ManifestCodec.encode(example());
        byte[] longForm = new byte[der.length + 1];
        longForm[0] = 0x30;
        longForm[1] = (byte) 0x81;
        longForm[2] = der[1];
        System.arraycopy(der, 2, longForm, 3, der.length - 2);
        assertMalformed(longForm);
    }

    @Test
    void a_version_other_than_1_is_unsupported() {
        byte[] der = ManifestCodec.encode(example());
        der[4] = 2;
        assertThatThrownBy(() -> ManifestCodec.decode(der)).isInstanceOf(ManifestFormatException.class)
                .satisfies(e -> assertThat(((ManifestFormatException) e).refusal()).isEqualTo(Refusal.UNSUPPORTED_VERSION));
    }

    private static void assertMalformed(byte[] der) {
        assertThatThrownBy(() -> ManifestCodec.decode(der)).isInstanceOf(ManifestFormatException.class)
                .satisfies(e -> assertThat(((ManifestFormatException) e).refusal()).isEqualTo(Refusal.MALFORMED));
    }
}
