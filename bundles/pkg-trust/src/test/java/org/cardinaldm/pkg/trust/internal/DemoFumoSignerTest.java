package org.cardinaldm.pkg.trust.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.junit.jupiter.api.Test;

/**
 * The demo FUMO signer (a copy of smartcard-sim's published demo-fumo-signer.pem in this module's test resources)
 * signs firmware that verifies against the trust list the demo card holds.
 */
class DemoFumoSignerTest {
    /**
     * The content of the demo card's FumoPolicy (EF 643C, active slot; docs/smartcard-profile.md A5.2), copied
     * byte for byte: version 0, one trusted signer, allowed server "cardinal-dms", counter 1.
     */
    private static final String DEMO_FUMO_POLICY = "303A020100302204207FB1EA7AD6B51ECF2BA63CD7AB925ADB9E73C59011C790F6"
            + "3216B01A170C23F0300E0C0C63617264696E616C2D646D73020101";

    @Test
    void the_demo_signer_verifies_against_the_demo_cards_trusted_signers() throws Exception {
        PrivateKey key = null;
        X509Certificate cert = null;
        try (PEMParser pem = new PEMParser(new InputStreamReader(
                getClass().getResourceAsStream("demo-fumo-signer.pem"), StandardCharsets.US_ASCII))) {
            for (Object o; (o = pem.readObject()) != null;) {
                if (o instanceof PrivateKeyInfo info) {
                    key = new JcaPEMKeyConverter().setProvider(Fixtures.BC).getPrivateKey(info);
                } else if (o instanceof X509CertificateHolder h) {
                    cert = new JcaX509CertificateConverter().setProvider(Fixtures.BC).getCertificate(h);
                }
            }
        }
        ASN1Sequence policy = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(HexFormat.of().parseHex(DEMO_FUMO_POLICY)));
        byte[] cardSigner = ASN1OctetString.getInstance(ASN1Sequence.getInstance(policy.getObjectAt(1)).getObjectAt(0))
                .getOctets();
        TrustedSigners card = TrustedSigners.ofDigests(java.util.List.of(cardSigner));

        byte[] firmware = "demo firmware image".getBytes(StandardCharsets.US_ASCII);
        PackageManifest m = ManifestSigner.describe(new ByteArrayInputStream(firmware)).kind(PackageKind.FIRMWARE)
                .name("gateway").version(PackageVersion.parse("1.1.0")).deviceClass("Cardinal/Gateway")
                .securityCounter(2).build();
        ManifestSigner signer = ManifestSigner.of(key, cert);
        Verification v = new CmsManifestVerifier().verify(signer.sign(m), new ByteArrayInputStream(firmware), card,
                PackageKind.FIRMWARE, "Cardinal/Gateway");

        assertThat(signer.signerSha256()).isEqualTo("7fb1ea7ad6b51ecf2ba63cd7ab925adb9e73c59011c790f63216b01a170c23f0");
        assertThat(v.accepted()).as("%s", v).isTrue();
        assertThat(v.manifest().orElseThrow().signerSha256()).isEqualTo(HexFormat.of().formatHex(cardSigner));
    }
}
