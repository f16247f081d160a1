package org.cardinaldm.itests.fumo;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cardinaldm.fumo.api.spi.Authorisation;
import org.cardinaldm.fumo.api.spi.FirmwarePackage;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;

/**
 * Turns a KAR into what FUMO hands an update agent: a firmware manifest signed with pkg-trust's
 * {@link ManifestSigner} by a throw-away P-256 key, verified by the container's own {@link ManifestVerifier}
 * (signature, kind, device class and the payload's SHA-256), and an {@link Authorisation} for it signed by a second
 * throw-away key standing for the card. Nothing here is a demo or production key.
 */
final class FirmwareSigning {
    /** The device class the manifests name (any class works: the agent is called directly). */
    static final String DEVICE_CLASS = "Cardinal/KarafIT";

    private final ManifestVerifier verifier;
    private final ManifestSigner signer;
    private final KeyPair authority;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param verifier the container's verifier
     * @throws Exception when the JVM cannot make P-256 keys or the certificate
     */
    FirmwareSigning(ManifestVerifier verifier) throws Exception {
        this.verifier = verifier;
        KeyPair signing = p256();
        this.signer = ManifestSigner.of(signing.getPrivate(), selfSigned(signing));
        this.authority = p256();
    }

    /**
     * @param kar the payload
     * @param name the package name the manifest carries
     * @param version the signed version
     * @param counter the security counter
     * @return the verified, authorised package
     * @throws Exception when signing or verifying fails (a test failure)
     */
    FirmwarePackage firmware(Path kar, String name, String version, long counter) throws Exception {
        PackageManifest m = ManifestSigner.describe(kar).kind(PackageKind.FIRMWARE).name(name)
                .version(PackageVersion.parse(version)).deviceClass(DEVICE_CLASS).securityCounter(counter).build();
        byte[] cms = signer.sign(m);
        Verification v = verifier.verify(cms, kar, TrustedSigners.ofHex(signer.signerSha256()), PackageKind.FIRMWARE,
                DEVICE_CLASS);
        if (!v.accepted()) {
            throw new AssertionError("the container's verifier refused the test manifest: " + v);
        }
        SignedManifest signed = v.manifest().orElseThrow();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(signed.encodedManifest());
        byte[] installerNonce = nonce();
        byte[] authorityNonce = nonce();
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(authority.getPrivate());
        s.update(Authorisation.signedBytes(digest, counter, installerNonce, authorityNonce));
        Authorisation a = new Authorisation(digest, counter, installerNonce, authorityNonce, "SHA256withECDSA",
                s.sign(), authority.getPublic());
        if (!a.verifies(digest, installerNonce, counter)) {
            throw new AssertionError("the test authorisation does not verify");
        }
        return new FirmwarePackage(kar, signed, a);
    }

    private byte[] nonce() {
        byte[] n = new byte[Authorisation.NONCE_LENGTH];
        random.nextBytes(n);
        return n;
    }

    private static KeyPair p256() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=Cardinal KarafUpdateAgentIT firmware signer");
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now), new Date(now - 60_000),
                new Date(now + 86_400_000L), name, keys.getPublic());
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
