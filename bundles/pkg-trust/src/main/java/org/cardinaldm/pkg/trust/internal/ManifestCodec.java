package org.cardinaldm.pkg.trust.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.Refusal;

/**
 * DER of {@code CardinalPackageManifest} (docs/signed-packages.md §2). Decoding is strict: DER only (the
 * input must re-encode to itself), every field present and in range; context-tagged elements [1] and above
 * after the counter are skipped (room for later, ignorable fields).
 */
public final class ManifestCodec {
    /** {@code id-cardinal-package-manifest}: Cardinal's arc C (docs/smartcard-profile.md A1) . 2 . 1. */
    public static final ASN1ObjectIdentifier CONTENT_TYPE =
            new ASN1ObjectIdentifier("2.25.82553779503469260178600950244353704171.2.1");

    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private ManifestCodec() {
    }

    /**
     * @param m a manifest
     * @return its DER
     */
    public static byte[] encode(PackageManifest m) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(PackageManifest.FORMAT_VERSION));
        v.add(new ASN1Enumerated(m.kind().code()));
        v.add(new DERUTF8String(m.name()));
        ASN1EncodableVector order = new ASN1EncodableVector();
        m.version().order().forEach(n -> order.add(new ASN1Integer(n)));
        v.add(new DERSequence(new ASN1Encodable[] {new DERUTF8String(m.version().text()), new DERSequence(order)}));
        ASN1EncodableVector classes = new ASN1EncodableVector();
        m.deviceClasses().forEach(c -> classes.add(new DERUTF8String(c)));
        v.add(new DERSequence(classes));
        v.add(new ASN1Integer(m.payloadLength()));
        v.add(new DEROctetString(m.payloadSha256()));
        m.securityCounter().ifPresent(c -> v.add(new DERTaggedObject(false, 0, new ASN1Integer(c))));
        try {
            return new DERSequence(v).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding in memory failed", e);
        }
    }

    /**
     * @param der the eContent of a verified SignedData
     * @return the manifest
     * @throws ManifestFormatException MALFORMED or UNSUPPORTED_VERSION
     */
    static PackageManifest decode(byte[] der) throws ManifestFormatException {
        String shape = DerShape.problem(der, 8);
        if (shape != null) {
            throw malformed("manifest content: " + shape);
        }
        ASN1Sequence seq;
        try {
            seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            if (!Arrays.equals(seq.getEncoded(ASN1Encoding.DER), der)) {
                throw malformed("manifest content is not DER");
            }
        } catch (IOException | RuntimeException e) {
            throw malformed("manifest content is not a SEQUENCE");
        }
        try {
            if (seq.size() < 7) {
                throw malformed("manifest has " + seq.size() + " elements, 7 or more expected");
            }
            BigInteger version = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
            if (!version.equals(BigInteger.valueOf(PackageManifest.FORMAT_VERSION))) {
                throw new ManifestFormatException(Refusal.UNSUPPORTED_VERSION,
                        "manifest format version " + (version.bitLength() > 31 ? "(huge)" : version) + " unknown");
            }
            BigInteger kind = ASN1Enumerated.getInstance(seq.getObjectAt(1)).getValue();
            PackageManifest.Builder b = PackageManifest.builder();
            if (kind.bitLength() > 8) {
                throw malformed("unknown package kind");
            }
            b.kind(PackageKind.ofCode(kind.intValue()));
            b.name(utf8(seq.getObjectAt(2)));
            ASN1Sequence ver = ASN1Sequence.getInstance(seq.getObjectAt(3));
            if (ver.size() != 2) {
                throw malformed("package version has " + ver.size() + " elements, 2 expected");
            }
            ASN1Sequence order = ASN1Sequence.getInstance(ver.getObjectAt(1));
            if (order.size() > PackageVersion.MAX_ELEMENTS) {
                throw malformed("version order too long");
            }
            List<Long> numbers = new ArrayList<>();
            for (ASN1Encodable e : order) {
                numbers.add(nonNegativeLong(e, "version element"));
            }
            b.version(PackageVersion.of(utf8(ver.getObjectAt(0)), numbers));
            ASN1Sequence classes = ASN1Sequence.getInstance(seq.getObjectAt(4));
            if (classes.size() > PackageManifest.MAX_DEVICE_CLASSES) {
                throw malformed("too many device classes");
            }
            for (ASN1Encodable e : classes) {
                b.deviceClass(utf8(e));
            }
            if (classes.size() != new java.util.HashSet<>(Arrays.asList(classes.toArray())).size()) {
                throw malformed("a device class is listed twice");
            }
            long length = nonNegativeLong(seq.getObjectAt(5), "payload length");
            byte[] sha = ASN1OctetString.getInstance(seq.getObjectAt(6)).getOctets();
            b.payload(length, sha);
            int i = 7;
            if (i < seq.size() && seq.getObjectAt(i) instanceof ASN1TaggedObject t
                    && t.getTagClass() == BERTags.CONTEXT_SPECIFIC && t.getTagNo() == 0) {
                b.securityCounter(nonNegativeLong(ASN1Integer.getInstance(t, false), "security counter"));
                i++;
            }
            for (; i < seq.size(); i++) {
                if (!(seq.getObjectAt(i) instanceof ASN1TaggedObject t) || t.getTagClass() != BERTags.CONTEXT_SPECIFIC
                        || t.getTagNo() < 1) {
                    throw malformed("unexpected element " + (i + 1) + " in the manifest");
                }
            }
            return b.build();
        } catch (ManifestFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw malformed("manifest field out of range or of the wrong type");
        }
    }

    private static String utf8(ASN1Encodable e) {
        return ASN1UTF8String.getInstance(e).getString();
    }

    private static long nonNegativeLong(ASN1Encodable e, String what) throws ManifestFormatException {
        BigInteger v = ASN1Integer.getInstance(e).getValue();
        if (v.signum() < 0 || v.compareTo(LONG_MAX) > 0) {
            throw malformed(what + " out of range");
        }
        return v.longValueExact();
    }

    private static ManifestFormatException malformed(String message) {
        return new ManifestFormatException(Refusal.MALFORMED, message);
    }
}
