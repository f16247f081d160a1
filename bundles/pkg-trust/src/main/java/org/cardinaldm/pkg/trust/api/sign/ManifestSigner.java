package org.cardinaldm.pkg.trust.api.sign;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.cardinaldm.pkg.trust.internal.CmsManifestVerifier;
import org.cardinaldm.pkg.trust.internal.ManifestCodec;

/**
 * Signs package manifests: CMS SignedData, the manifest encapsulated, one signer with its certificate
 * included (several for firmware, {@link #signJointly}), SHA-256, signed attributes (content type, message
 * digest, signing time). RSA keys sign with PKCS#1 v1.5 (or PSS, {@link #withPss()}), EC keys (P-256, P-384) with ECDSA. Each result is checked with the
 * verifier before it is returned, so a key the devices would refuse (RSA-1024, another curve) fails here.
 * Immutable and thread-safe.
 */
public final class ManifestSigner {
    private static final Provider BC = new BouncyCastleProvider();
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final boolean pss;

    private ManifestSigner(PrivateKey key, X509Certificate certificate, boolean pss) {
        this.key = key;
        this.certificate = certificate;
        this.pss = pss;
    }

    /**
     * @param key the signer's private key (RSA or EC)
     * @param certificate its certificate (included in the SignedData; devices trust its key's SPKI SHA-256)
     * @return a signer using PKCS#1 v1.5 for RSA keys
     */
    public static ManifestSigner of(PrivateKey key, X509Certificate certificate) {
        return new ManifestSigner(Objects.requireNonNull(key, "key"), Objects.requireNonNull(certificate, "certificate"),
                false);
    }

    /** @return a signer that signs with RSASSA-PSS (SHA-256, MGF1 SHA-256, 32-byte salt); RSA keys only */
    public ManifestSigner withPss() {
        if (!"RSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("PSS needs an RSA key");
        }
        return new ManifestSigner(key, certificate, true);
    }

    /** @return the SHA-256 of the certificate's SubjectPublicKeyInfo: the value devices put in their trust list */
    public String signerSha256() {
        return TrustedSigners.spkiSha256Hex(certificate.getPublicKey());
    }

    /**
     * A manifest builder with the payload's length and SHA-256 filled in from a file (read streaming).
     *
     * @param payload the package file
     * @return a builder to complete with kind, name, version and device classes
     * @throws IOException if the file cannot be read
     */
    public static PackageManifest.Builder describe(Path payload) throws IOException {
        try (InputStream in = Files.newInputStream(payload)) {
            return describe(in);
        }
    }

    /**
     * @param payload the package bytes, read to the end (not closed)
     * @return a builder with the payload's length and SHA-256 filled in
     * @throws IOException if the stream fails
     */
    public static PackageManifest.Builder describe(InputStream payload) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        byte[] buffer = new byte[64 * 1024];
        long count = 0;
        for (int n; (n = payload.read(buffer)) >= 0;) {
            sha.update(buffer, 0, n);
            count += n;
        }
        return PackageManifest.builder().payload(count, sha.digest());
    }

    /**
     * @param manifest what to sign
     * @return the DER of the CMS SignedData ({@code <package>.manifest.p7})
     * @throws IllegalArgumentException if the key or certificate would be refused by devices, or do not match
     */
    public byte[] sign(PackageManifest manifest) {
        return signJointly(manifest, List.of(this));
    }

    /**
     * Signs a firmware manifest with several keys at once: one SignedData, one SignerInfo per key, each with its
     * certificate (M-of-N, docs/signed-packages.md §3.3). With one signer this is {@link #sign(PackageManifest)}.
     * The result is checked as devices would with every signer trusted and a threshold of all of them.
     *
     * @param manifest what to sign; a firmware manifest when there are several signers
     * @param signers 1 to {@link ManifestVerifier#MAX_SIGNERS} signers with distinct keys
     * @return the DER of the CMS SignedData
     * @throws IllegalArgumentException for an application manifest with several signers, no signer, too many, the
     *         same key twice, or a key or certificate devices would refuse
     * @since 1.1
     */
    public static byte[] signJointly(PackageManifest manifest, List<ManifestSigner> signers) {
        Objects.requireNonNull(manifest, "manifest");
        List<ManifestSigner> all = List.copyOf(signers);
        if (all.isEmpty() || all.size() > ManifestVerifier.MAX_SIGNERS) {
            throw new IllegalArgumentException("A manifest has 1 to " + ManifestVerifier.MAX_SIGNERS + " signers, not "
                    + all.size());
        }
        if (all.size() > 1 && manifest.kind() != PackageKind.FIRMWARE) {
            throw new IllegalArgumentException("Only firmware manifests may have several signers");
        }
        Set<String> keys = new LinkedHashSet<>();
        for (ManifestSigner s : all) {
            if (!keys.add(s.signerSha256())) {
                throw new IllegalArgumentException("The same key is given twice: " + s.signerSha256());
            }
        }
        byte[] encoded = ManifestCodec.encode(manifest);
        byte[] cms;
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            for (ManifestSigner s : all) {
                gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                        new JcaDigestCalculatorProviderBuilder().setProvider(BC).build()).build(s.contentSigner(),
                                s.certificate));
                gen.addCertificate(new JcaX509CertificateHolder(s.certificate));
            }
            CMSSignedData data = gen.generate(new CMSProcessableByteArray(ManifestCodec.CONTENT_TYPE, encoded), true);
            cms = data.getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | CertificateEncodingException | IOException e) {
            throw new IllegalArgumentException("Cannot sign with this key and certificate: " + e.getMessage(), e);
        }
        Verification check = new CmsManifestVerifier().verifyManifest(cms, TrustedSigners.ofHex(keys), all.size(),
                manifest.kind(), manifest.deviceClasses().get(0).equals(PackageManifest.ANY_DEVICE)
                        ? "any-device-self-check" : manifest.deviceClasses().get(0));
        if (!check.accepted()) {
            throw new IllegalArgumentException("Devices would refuse this manifest: " + check.refusal().orElseThrow()
                    + " (" + check.detail() + ")");
        }
        return cms;
    }

    private ContentSigner contentSigner() throws OperatorCreationException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> pss ? "SHA256withRSAandMGF1" : "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("Key algorithm " + key.getAlgorithm()
                    + " cannot sign manifests; use RSA (2048 bits or more) or EC (P-256, P-384)");
        };
        return new JcaContentSignerBuilder(algorithm).setProvider(BC).build(key);
    }
}
