package org.cardinaldm.pkg.trust.internal;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.Store;
import org.cardinaldm.pkg.trust.api.ManifestSignature;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.Refusal;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;

/**
 * The verifier, plain Java (the DS component and the command-line tool wrap it). No logging here, so that
 * the tool runs without SLF4J on its class path.
 */
public final class CmsManifestVerifier implements ManifestVerifier {
    /** Deepest DER nesting accepted in a manifest file (a SignedData with a certificate needs about 10). */
    static final int MAX_DEPTH = 32;
    /** Smallest and largest RSA modulus accepted, in bits (the largest bounds the cost of one verification). */
    static final int MIN_RSA_BITS = 2048;
    static final int MAX_RSA_BITS = 8192;

    private static final Provider BC = new BouncyCastleProvider();
    private static final ASN1ObjectIdentifier SHA256 = NISTObjectIdentifiers.id_sha256;
    private static final Set<ASN1ObjectIdentifier> RSA_PKCS1 =
            Set.of(PKCSObjectIdentifiers.rsaEncryption, PKCSObjectIdentifiers.sha256WithRSAEncryption);
    private static final Set<ASN1ObjectIdentifier> CURVES =
            Set.of(SECObjectIdentifiers.secp256r1, SECObjectIdentifiers.secp384r1);
    private static final int BUFFER = 64 * 1024;

    @Override
    public Verification verifyManifest(byte[] manifest, TrustedSigners signers, PackageKind kind, String deviceClass) {
        return verifyManifest(manifest, signers, 1, kind, deviceClass);
    }

    @Override
    public Verification verifyManifest(byte[] manifest, TrustedSigners signers, int threshold, PackageKind kind,
            String deviceClass) {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(signers, "signers");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(deviceClass, "deviceClass");
        if (PackageManifest.ANY_DEVICE.equals(deviceClass)) {
            throw new IllegalArgumentException("A device's class is never '" + PackageManifest.ANY_DEVICE + "'");
        }
        if (threshold < 1 || threshold > 1 && kind != PackageKind.FIRMWARE) {
            throw new IllegalArgumentException("The signer threshold is at least 1, and exactly 1 for " + kind
                    + " packages; not " + threshold);
        }
        if (manifest.length == 0) {
            return Verification.refuse(Refusal.UNSIGNED, "empty manifest");
        }
        if (manifest.length > MAX_MANIFEST_BYTES) {
            return Verification.refuse(Refusal.TOO_LARGE,
                    "manifest of " + manifest.length + " bytes, at most " + MAX_MANIFEST_BYTES + " accepted");
        }
        try {
            return verifyCms(manifest, signers, threshold, kind, deviceClass);
        } catch (RuntimeException | StackOverflowError e) {
            // a parser bug on hostile input is still a refusal, never an exception for the caller
            return Verification.refuse(Refusal.MALFORMED, "manifest does not parse (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** One SignerInfo whose structure, certificate and algorithms passed, before its signature is checked. */
    private record Candidate(SignerInformation info, String sha256, PublicKey key, String subject) {
    }

    private static Verification verifyCms(byte[] bytes, TrustedSigners signers, int threshold, PackageKind kind,
            String deviceClass) {
        String shape = DerShape.problem(bytes, MAX_DEPTH);
        if (shape != null) {
            return malformed("not DER: " + shape);
        }
        CMSSignedData cms;
        try {
            ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(bytes));
            if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
                return malformed("content type " + info.getContentType() + ", not SignedData");
            }
            cms = new CMSSignedData(info);
        } catch (IOException | CMSException | RuntimeException e) {
            return malformed("not a CMS SignedData");
        }
        if (!ManifestCodec.CONTENT_TYPE.getId().equals(cms.getSignedContentTypeOID())) {
            return malformed("eContentType " + cms.getSignedContentTypeOID() + ", not a Cardinal package manifest");
        }
        CMSTypedData content = cms.getSignedContent();
        if (content == null || !(content.getContent() instanceof byte[] eContent)) {
            return malformed("detached SignedData: the manifest must be encapsulated");
        }
        Collection<SignerInformation> all = cms.getSignerInfos().getSigners();
        if (all.isEmpty()) {
            return Verification.refuse(Refusal.UNSIGNED, "SignedData without a signer");
        }
        if (all.size() > 1 && kind != PackageKind.FIRMWARE) {
            return malformed(all.size() + " signers, exactly one expected (only firmware may have several)");
        }
        if (all.size() > MAX_SIGNERS) {
            return malformed(all.size() + " signers, at most " + MAX_SIGNERS + " accepted");
        }
        @SuppressWarnings("unchecked")
        Store<X509CertificateHolder> certs = cms.getCertificates();
        List<Candidate> candidates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SignerInformation signer : all) {
            Object checked = candidate(signer, certs);
            if (checked instanceof Verification refused) {
                return refused;
            }
            Candidate c = (Candidate) checked;
            if (!seen.add(c.sha256())) {
                return malformed("key " + c.sha256() + " signed twice");
            }
            candidates.add(c);
        }
        long trusted = candidates.stream().filter(c -> signers.contains(c.sha256())).count();
        if (trusted < threshold) {
            return Verification.refuse(Refusal.UNTRUSTED_SIGNER, untrustedDetail(candidates, signers, threshold));
        }
        // every signature present must verify, trusted or not: a manifest never carries a broken one
        for (Candidate c : candidates) {
            boolean good;
            try {
                // built from the key, not the certificate: trust is the pinned key, certificate dates are not checked
                good = c.info().verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(c.key()));
            } catch (CMSException | org.bouncycastle.operator.OperatorCreationException | RuntimeException e) {
                good = false;
            }
            if (!good) {
                return Verification.refuse(Refusal.BAD_SIGNATURE, "the signature does not verify with key " + c.sha256());
            }
        }
        PackageManifest manifest;
        try {
            manifest = ManifestCodec.decode(eContent);
        } catch (ManifestFormatException e) {
            return Verification.refuse(e.refusal(), e.getMessage());
        }
        List<ManifestSignature> signatures = new ArrayList<>();
        for (Candidate c : candidates) {
            signatures.add(ManifestSignature.of(c.sha256(), c.subject(), signingTime(c.info()),
                    signers.contains(c.sha256())));
        }
        SignedManifest signed = SignedManifest.of(manifest, signatures, eContent);
        if (manifest.kind() != kind) {
            return Verification.refuse(Refusal.WRONG_KIND, "package is " + manifest.kind() + ", " + kind + " expected", signed);
        }
        if (!manifest.isFor(deviceClass)) {
            return Verification.refuse(Refusal.WRONG_DEVICE_CLASS,
                    "package is for " + manifest.deviceClasses() + ", this device is " + deviceClass, signed);
        }
        return Verification.accept(signed);
    }

    private static String untrustedDetail(List<Candidate> candidates, TrustedSigners signers, int threshold) {
        if (candidates.size() == 1 && threshold == 1) {
            return "signer key " + candidates.get(0).sha256() + " is not trusted"
                    + (signers.isEmpty() ? " (the trust list is empty)" : "");
        }
        List<String> strangers = candidates.stream().map(Candidate::sha256).filter(h -> !signers.contains(h)).toList();
        return (candidates.size() - strangers.size()) + " of " + candidates.size() + " signer keys trusted, " + threshold
                + " required; not trusted: " + strangers + (signers.isEmpty() ? " (the trust list is empty)" : "");
    }

    /** @return a {@link Candidate}, or the {@link Verification} refusing the SignerInfo */
    private static Object candidate(SignerInformation signer, Store<X509CertificateHolder> certs) {
        if (!SHA256.getId().equals(signer.getDigestAlgOID())) {
            return Verification.refuse(Refusal.UNSUPPORTED_ALGORITHM, "digest " + signer.getDigestAlgOID() + ", only SHA-256");
        }
        if (signer.getSignedAttributes() == null) {
            return malformed("no signed attributes");
        }
        Collection<X509CertificateHolder> matches = certs.getMatches(signer.getSID());
        if (matches.size() != 1) {
            return malformed(matches.isEmpty() ? "the signer's certificate is not included" : "several signer certificates");
        }
        X509CertificateHolder cert = matches.iterator().next();
        SubjectPublicKeyInfo spki = cert.getSubjectPublicKeyInfo();
        String algorithmProblem = algorithmProblem(signer, spki);
        if (algorithmProblem != null) {
            return Verification.refuse(Refusal.UNSUPPORTED_ALGORITHM, algorithmProblem);
        }
        String signerHash;
        PublicKey key;
        try {
            signerHash = HexFormat.of().formatHex(sha256().digest(spki.getEncoded(ASN1Encoding.DER)));
            key = BouncyCastleProvider.getPublicKey(spki);
        } catch (IOException | RuntimeException e) {
            return malformed("the signer's public key does not decode");
        }
        if (key == null) {
            return malformed("the signer's public key does not decode");
        }
        return new Candidate(signer, signerHash, key, cert.getSubject().toString());
    }

    /** The allowed combinations (docs/signed-packages.md §3); {@code null} when the signer's are allowed. */
    private static String algorithmProblem(SignerInformation signer, SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier sig = new ASN1ObjectIdentifier(signer.getEncryptionAlgOID());
        ASN1ObjectIdentifier keyAlg = spki.getAlgorithm().getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(keyAlg)) {
            if (!RSA_PKCS1.contains(sig) && !PKCSObjectIdentifiers.id_RSASSA_PSS.equals(sig)) {
                return "signature algorithm " + sig + " with an RSA key; only SHA-256 with PKCS#1 v1.5 or PSS";
            }
            if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(sig)) {
                String pss = pssProblem(signer.toASN1Structure().getDigestEncryptionAlgorithm());
                if (pss != null) {
                    return pss;
                }
            }
            int bits;
            try {
                BigInteger n = RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus();
                bits = n.bitLength();
            } catch (IOException | RuntimeException e) {
                return "RSA key does not decode";
            }
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                return "RSA key of " + bits + " bits; " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " accepted";
            }
            return null;
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(keyAlg)) {
            if (!X9ObjectIdentifiers.ecdsa_with_SHA256.equals(sig)) {
                return "signature algorithm " + sig + " with an EC key; only ECDSA with SHA-256";
            }
            ASN1Encodable params = spki.getAlgorithm().getParameters();
            if (!(params instanceof ASN1ObjectIdentifier curve) || !CURVES.contains(curve)) {
                return "EC key not on a named curve P-256 or P-384";
            }
            return null;
        }
        return "key algorithm " + keyAlg + "; only RSA and EC";
    }

    private static String pssProblem(AlgorithmIdentifier alg) {
        try {
            RSASSAPSSparams p = RSASSAPSSparams.getInstance(alg.getParameters());
            AlgorithmIdentifier mgf = p.getMaskGenAlgorithm();
            boolean ok = SHA256.equals(p.getHashAlgorithm().getAlgorithm())
                    && PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())
                    && SHA256.equals(AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm())
                    && p.getSaltLength().intValueExact() >= 32 && p.getTrailerField().intValueExact() == 1;
            return ok ? null : "RSA-PSS parameters other than SHA-256, MGF1 with SHA-256, salt of 32 or more";
        } catch (RuntimeException e) {
            return "RSA-PSS without valid parameters";
        }
    }

    private static Instant signingTime(SignerInformation signer) {
        try {
            Attribute a = signer.getSignedAttributes().get(CMSAttributes.signingTime);
            return a == null ? null : Time.getInstance(a.getAttrValues().getObjectAt(0)).getDate().toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public Verification verifyPayload(SignedManifest manifest, InputStream payload) {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(payload, "payload");
        PackageManifest m = manifest.manifest();
        MessageDigest sha = sha256();
        byte[] buffer = new byte[BUFFER];
        long count = 0;
        try {
            for (int n; (n = payload.read(buffer)) >= 0;) {
                count += n;
                if (count > m.payloadLength()) {
                    return Verification.refuse(Refusal.PAYLOAD_MISMATCH,
                            "payload longer than the signed " + m.payloadLength() + " bytes", manifest);
                }
                sha.update(buffer, 0, n);
            }
        } catch (IOException e) {
            return Verification.refuse(Refusal.PAYLOAD_UNREADABLE, "payload unreadable after " + count + " bytes: "
                    + e.getClass().getSimpleName(), manifest);
        }
        if (count != m.payloadLength()) {
            return Verification.refuse(Refusal.PAYLOAD_MISMATCH,
                    "payload of " + count + " bytes, " + m.payloadLength() + " signed", manifest);
        }
        if (!MessageDigest.isEqual(sha.digest(), m.payloadSha256())) {
            return Verification.refuse(Refusal.PAYLOAD_MISMATCH, "payload SHA-256 differs from the signed one", manifest);
        }
        return Verification.accept(manifest);
    }

    @Override
    public Verification verify(byte[] manifest, InputStream payload, TrustedSigners signers, PackageKind kind,
            String deviceClass) {
        Objects.requireNonNull(payload, "payload");
        Verification v = verifyManifest(manifest, signers, kind, deviceClass);
        return v.accepted() ? verifyPayload(v.manifest().orElseThrow(), payload) : v;
    }

    @Override
    public Verification verify(byte[] manifest, Path payload, TrustedSigners signers, PackageKind kind,
            String deviceClass) {
        Objects.requireNonNull(payload, "payload");
        Verification v = verifyManifest(manifest, signers, kind, deviceClass);
        if (!v.accepted()) {
            return v;
        }
        try (InputStream in = Files.newInputStream(payload)) {
            return verifyPayload(v.manifest().orElseThrow(), in);
        } catch (IOException e) {
            return Verification.refuse(Refusal.PAYLOAD_UNREADABLE,
                    "payload file cannot be opened: " + e.getClass().getSimpleName(), v.manifest().orElseThrow());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Verification malformed(String detail) {
        return Verification.refuse(Refusal.MALFORMED, detail);
    }
}
