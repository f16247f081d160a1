package org.cardinaldm.fumo.auth.card.internal;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessable;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.util.Store;

/**
 * Splits a CMS SignedData manifest into what the card checks with its own crypto: the manifest (the eContent)
 * and, per SignerInfo, the SHA-256 of the signer key's SubjectPublicKeyInfo (found in the included certificates),
 * the DER SET of its signed attributes and its signature. Works for 1..N SignerInfos. Only ECDSA signatures are
 * offered to the card (its profile names ECDSA P-256 with SHA-256); the card checks the curve again.
 */
final class CmsSplit {
    /** OID of ecdsa-with-SHA256. */
    static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";

    /**
     * One signer as the card sees it.
     *
     * @param spkiSha256 upper-case hex SHA-256 of the signer's SubjectPublicKeyInfo
     * @param signedAttributes the DER SET of signed attributes
     * @param signature the signature
     * @param ecdsa whether the signature is ecdsa-with-SHA256
     */
    record Signer(String spkiSha256, byte[] signedAttributes, byte[] signature, boolean ecdsa) {
    }

    /**
     * @param manifest the manifest's DER
     * @param signers its signers
     */
    record Parts(byte[] manifest, List<Signer> signers) {
    }

    private CmsSplit() {
    }

    /**
     * @param cms a CMS SignedData the device's verifier accepted
     * @return the manifest and the signers
     * @throws IllegalArgumentException if it cannot be split (the verifier would have refused it)
     */
    static Parts split(byte[] cms) {
        try {
            CMSSignedData sd = new CMSSignedData(cms);
            CMSProcessable content = sd.getSignedContent();
            if (content == null || !(content.getContent() instanceof byte[] manifest)) {
                throw new IllegalArgumentException("No encapsulated manifest");
            }
            Store<X509CertificateHolder> certificates = sd.getCertificates();
            List<Signer> signers = new ArrayList<>();
            for (SignerInformation si : sd.getSignerInfos().getSigners()) {
                @SuppressWarnings("unchecked")
                Collection<X509CertificateHolder> matches = certificates.getMatches(si.getSID());
                byte[] attributes = si.getEncodedSignedAttributes();
                if (matches.size() != 1 || attributes == null) {
                    continue; // the verifier refuses these; nothing for the card
                }
                byte[] spki = matches.iterator().next().getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER);
                signers.add(new Signer(HexFormat.of().withUpperCase().formatHex(sha256(spki)), attributes,
                        si.getSignature(), ECDSA_SHA256.equals(si.getEncryptionAlgOID())));
            }
            return new Parts(manifest.clone(), List.copyOf(signers));
        } catch (CMSException | IOException | RuntimeException e) {
            throw new IllegalArgumentException("Not a CMS SignedData the card can check", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
