package org.cardinaldm.pkg.trust.internal;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.TrustedSigners;

/** Keys, certificates, manifests and hand-made CMS for the tests (including the ones devices must refuse). */
final class Fixtures {
    static final Provider BC = new BouncyCastleProvider();
    static final String DEVICE = "Cardinal/Gateway-1";
    private static final Map<String, Signer> SIGNERS = new HashMap<>();

    private Fixtures() {
    }

    /** A key pair and its self-signed certificate. */
    record Signer(PrivateKey key, X509Certificate cert) {
        TrustedSigners trusted() {
            return TrustedSigners.ofHex(sha256());
        }

        String sha256() {
            return TrustedSigners.spkiSha256Hex(cert.getPublicKey());
        }
    }

    /** @param spec "ec:secp256r1", "ec:secp384r1", "ec:secp521r1", "ec:secp256k1", "rsa:2048", "rsa:1024"; cached */
    static synchronized Signer signer(String spec) {
        return SIGNERS.computeIfAbsent(spec, Fixtures::newSigner);
    }

    /** @param spec as {@link #signer}, optionally with a {@code #n} suffix for more keys; a different key of that kind */
    static synchronized Signer other(String spec) {
        return SIGNERS.computeIfAbsent("other-" + spec, k -> newSigner(spec));
    }

    private static Signer newSigner(String spec) {
        try {
            String[] p = spec.replaceFirst("#.*$", "").split(":");
            KeyPair kp;
            String sigAlg;
            if (p[0].equals("ec")) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
                g.initialize(new ECGenParameterSpec(p[1]), new SecureRandom());
                kp = g.generateKeyPair();
                sigAlg = "SHA256withECDSA";
            } else {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", BC);
                g.initialize(Integer.parseInt(p[1]), new SecureRandom());
                kp = g.generateKeyPair();
                sigAlg = "SHA256withRSA";
            }
            return new Signer(kp.getPrivate(), certificate(kp, sigAlg, Instant.now().minus(Duration.ofDays(1)),
                    Instant.now().plus(Duration.ofDays(3650))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate certificate(KeyPair kp, String sigAlg, Instant from, Instant to) throws Exception {
        X500Name name = new X500Name("O=Cardinal tests,CN=Package signer " + System.nanoTime());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()),
                Date.from(from), Date.from(to), name, kp.getPublic());
        return new JcaX509CertificateConverter().setProvider(BC)
                .getCertificate(b.build(new JcaContentSignerBuilder(sigAlg).setProvider(BC).build(kp.getPrivate())));
    }

    static PackageManifest.Builder manifestFor(byte[] payload) throws Exception {
        return PackageManifest.builder().payload(payload.length,
                java.security.MessageDigest.getInstance("SHA-256").digest(payload));
    }

    static PackageManifest app(byte[] payload) throws Exception {
        return manifestFor(payload).kind(PackageKind.APPLICATION).name("org.example.hello")
                .version(PackageVersion.parse("1.2.3")).deviceClass(DEVICE).build();
    }

    static SignerInfoGenerator signerInfo(Signer s, String sigAlg, boolean signedAttributes) throws Exception {
        JcaSignerInfoGeneratorBuilder b = new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(BC).build());
        b.setDirectSignature(!signedAttributes);
        return b.build(new JcaContentSignerBuilder(sigAlg).setProvider(BC).build(s.key()), s.cert());
    }

    /** A hand-made SignedData: any algorithm, signer count, content type, attached or not, certificates or not. */
    static byte[] cms(byte[] content, ASN1ObjectIdentifier contentType, boolean encapsulate, boolean includeCerts,
            SignerWith... signers) throws Exception {
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        for (SignerWith s : signers) {
            gen.addSignerInfoGenerator(signerInfo(s.signer, s.sigAlg, s.signedAttributes));
            if (includeCerts) {
                gen.addCertificate(new JcaX509CertificateHolder(s.signer.cert()));
            }
        }
        return gen.generate(new CMSProcessableByteArray(contentType, content), encapsulate).getEncoded(ASN1Encoding.DER);
    }

    record SignerWith(Signer signer, String sigAlg, boolean signedAttributes) {
        static SignerWith of(Signer signer, String sigAlg) {
            return new SignerWith(signer, sigAlg, true);
        }
    }
}
