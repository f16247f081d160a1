package org.cardinaldm.fumo.core.internal;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;

/** A firmware signer made in the test: a P-256 key in a self-signed certificate, signing with pkg-trust. */
final class TestSigner {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private final ManifestSigner signer;

    TestSigner() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("O=Cardinal tests,CN=FUMO test signer " + System.nanoTime());
        X509Certificate cert = new JcaX509CertificateConverter().setProvider(BC).getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()),
                        Date.from(Instant.now().minus(Duration.ofDays(1))),
                        Date.from(Instant.now().plus(Duration.ofDays(365))), name, kp.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(kp.getPrivate())));
        signer = ManifestSigner.of(kp.getPrivate(), cert);
    }

    TrustedSigners trusted() {
        return TrustedSigners.ofHex(signer.signerSha256());
    }

    /** @return the manifest of a firmware package with a counter */
    byte[] firmware(byte[] payload, String version, String deviceClass, long counter) throws Exception {
        return signer.sign(ManifestSigner.describe(new ByteArrayInputStream(payload)).kind(PackageKind.FIRMWARE)
                .name("gateway").version(PackageVersion.parse(version)).deviceClass(deviceClass)
                .securityCounter(counter).build());
    }

    /** @return a manifest built by the caller */
    byte[] sign(PackageManifest m) {
        return signer.sign(m);
    }
}
