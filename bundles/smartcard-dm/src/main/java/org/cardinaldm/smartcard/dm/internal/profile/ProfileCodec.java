package org.cardinaldm.smartcard.dm.internal.profile;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.FumoPolicy;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Exception;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Parser;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Path;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Tlv;

/**
 * DER encodings of Cardinal's own DODF objects (docs/smartcard-profile.md, section 4):
 * <pre>
 * DmCardPolicy ::= SEQUENCE {
 *   version              INTEGER { v1(0) },
 *   userConfirmation     BOOLEAN,
 *   autonomousConnection BOOLEAN,
 *   allowedServers       SEQUENCE OF UTF8String,
 *   ... }
 * FumoPolicy ::= SEQUENCE {
 *   version              INTEGER { v1(0) },
 *   trustedSigners       SEQUENCE OF OCTET STRING (SIZE(32)),   -- SHA-256 of SubjectPublicKeyInfo
 *   allowedServers       SEQUENCE OF UTF8String,
 *   antiRollbackCounter  INTEGER (0..MAX),
 *   signerKeys       [0] IMPLICIT SEQUENCE OF SubjectPublicKeyInfo OPTIONAL,   -- profile 1.2
 *   threshold        [1] IMPLICIT INTEGER OPTIONAL,                         -- profile 1.2, default 1
 *   authorisationKey [2] IMPLICIT SubjectPublicKeyInfo OPTIONAL,            -- profile 1.2
 *   ... }
 * DmCredentials ::= SEQUENCE OF SEQUENCE {
 *   serverId UTF8String, level ENUMERATED { client(0), server(1) }, authName UTF8String,
 *   keyReference INTEGER (1..31), digests BIT STRING { md5(0), hmac(1) } }
 * TearSafeControl ::= SEQUENCE {
 *   generation INTEGER (0..4294967295), active INTEGER (0..1), length INTEGER, slotSize INTEGER,
 *   sha256 OCTET STRING (SIZE(32)), slots SEQUENCE SIZE(2) OF Path }
 * </pre>
 * Decoders ignore elements a later version appends, accept BER, and fail with {@link Pkcs15Exception} on
 * anything else.
 */
public final class ProfileCodec {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private ProfileCodec() {
    }

    /**
     * The control record of a tear-safe object: which of its two slot EFs holds the current content, how long
     * it is and its SHA-256, and a generation counted up by every committed write.
     *
     * @param generation the generation
     * @param active the active slot, 0 or 1
     * @param length the content length
     * @param slotSize the size of each slot EF
     * @param sha256 the content's SHA-256
     * @param slots the two slot EFs
     */
    public record SlotControl(long generation, int active, int length, int slotSize, byte[] sha256, List<Pkcs15Path> slots) {
        /** @return the path of the active slot */
        public Pkcs15Path activeSlot() {
            return slots.get(active);
        }

        /** @return the path of the other slot, where the next write goes */
        public Pkcs15Path inactiveSlot() {
            return slots.get(1 - active);
        }

        /**
         * @param content the next content
         * @return the control record that commits it to the inactive slot
         */
        public SlotControl next(byte[] content) {
            return new SlotControl((generation + 1) & 0xFFFFFFFFL, 1 - active, content.length, slotSize, ProfileCodec.sha256(content), slots);
        }

        /**
         * @param content what was read from the active slot
         * @return whether it is what this record committed
         */
        public boolean matches(byte[] content) {
            return content.length == length && MessageDigest.isEqual(ProfileCodec.sha256(content), sha256);
        }
    }

    // ---------------------------------------------------------------- policy

    /**
     * @param policy a card policy
     * @return its DER encoding
     */
    public static byte[] encode(CardPolicy policy) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(0));
        v.add(ASN1Boolean.getInstance(policy.userConfirmation()));
        v.add(ASN1Boolean.getInstance(policy.autonomousConnection()));
        v.add(strings(policy.allowedServers()));
        return der(new DERSequence(v));
    }

    /**
     * @param der the encoding
     * @return the policy
     * @throws Pkcs15Exception if it is malformed
     */
    public static CardPolicy decodePolicy(byte[] der) throws Pkcs15Exception {
        ASN1Sequence s = top(der, "DmCardPolicy", 4);
        try {
            version(s);
            return CardPolicy.of(bool(s.getObjectAt(1)), bool(s.getObjectAt(2)), strings(s.getObjectAt(3)));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new Pkcs15Exception("Malformed DmCardPolicy", e);
        }
    }

    // ---------------------------------------------------------------- FUMO

    /**
     * @param policy a FUMO policy
     * @return its DER encoding
     */
    public static byte[] encode(FumoPolicy policy) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(0));
        ASN1EncodableVector signers = new ASN1EncodableVector();
        for (String s : policy.trustedSigners()) {
            signers.add(new DEROctetString(HEX.parseHex(s)));
        }
        v.add(new DERSequence(signers));
        v.add(strings(policy.allowedServers()));
        v.add(new ASN1Integer(policy.antiRollbackCounter()));
        if (!policy.signerKeys().isEmpty() || policy.authorisationKey().isPresent()) { // profile 1.2
            ASN1EncodableVector keys = new ASN1EncodableVector();
            for (byte[] k : policy.signerKeys()) {
                keys.add(primitive(k));
            }
            v.add(new DERTaggedObject(false, 0, new DERSequence(keys)));
            v.add(new DERTaggedObject(false, 1, new ASN1Integer(policy.threshold())));
            policy.authorisationKey().ifPresent(k -> v.add(new DERTaggedObject(false, 2, primitive(k))));
        }
        return der(new DERSequence(v));
    }

    private static ASN1Primitive primitive(byte[] der) {
        try {
            return ASN1Primitive.fromByteArray(der);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not DER", e);
        }
    }

    /**
     * @param der the encoding
     * @return the policy
     * @throws Pkcs15Exception if it is malformed
     */
    public static FumoPolicy decodeFumoPolicy(byte[] der) throws Pkcs15Exception {
        ASN1Sequence s = top(der, "FumoPolicy", 4);
        try {
            version(s);
            List<String> signers = new ArrayList<>();
            for (ASN1Encodable e : (ASN1Sequence) s.getObjectAt(1).toASN1Primitive()) {
                byte[] h = ((ASN1OctetString) e.toASN1Primitive()).getOctets();
                if (h.length != 32) {
                    throw new Pkcs15Exception("A trusted signer is not a SHA-256");
                }
                signers.add(HEX.formatHex(h));
            }
            long counter = ((ASN1Integer) s.getObjectAt(3).toASN1Primitive()).longValueExact();
            List<byte[]> keys = new ArrayList<>();
            int threshold = 1;
            byte[] authorisationKey = null;
            for (int i = 4; i < s.size(); i++) { // profile 1.2 elements; later ones ignored
                if (!(s.getObjectAt(i).toASN1Primitive() instanceof ASN1TaggedObject t)) {
                    continue;
                }
                switch (t.getTagNo()) {
                    case 0 -> {
                        for (ASN1Encodable k : ASN1Sequence.getInstance(t, false)) {
                            keys.add(k.toASN1Primitive().getEncoded("DER"));
                        }
                    }
                    case 1 -> threshold = ASN1Integer.getInstance(t, false).intValueExact();
                    case 2 -> authorisationKey = ASN1Sequence.getInstance(t, false).getEncoded("DER");
                    default -> { }
                }
            }
            return FumoPolicy.of(signers, strings(s.getObjectAt(2)), counter, keys, threshold, authorisationKey);
        } catch (IllegalArgumentException | ClassCastException | ArithmeticException | IllegalStateException
                | IOException e) {
            throw new Pkcs15Exception("Malformed FumoPolicy", e);
        }
    }

    // ---------------------------------------------------------------- credentials

    /**
     * @param credentials the card's credentials
     * @return the DER encoding of DmCredentials
     */
    public static byte[] encode(List<CardCredential> credentials) {
        ASN1EncodableVector all = new ASN1EncodableVector();
        for (CardCredential c : credentials) {
            ASN1EncodableVector v = new ASN1EncodableVector();
            v.add(new DERUTF8String(c.serverId()));
            v.add(new ASN1Enumerated(c.level() == CardCredential.Level.CLIENT ? 0 : 1));
            v.add(new DERUTF8String(c.authName()));
            v.add(new ASN1Integer(c.keyReference()));
            int bits = (c.digests().contains(DigestType.MD5) ? 1 : 0) | (c.digests().contains(DigestType.HMAC) ? 2 : 0);
            v.add(namedBits(bits));
            all.add(new DERSequence(v));
        }
        return der(new DERSequence(all));
    }

    /**
     * @param der the encoding
     * @return the credentials
     * @throws Pkcs15Exception if it is malformed
     */
    public static List<CardCredential> decodeCredentials(byte[] der) throws Pkcs15Exception {
        ASN1Sequence s = top(der, "DmCredentials", 0);
        List<CardCredential> out = new ArrayList<>();
        try {
            for (ASN1Encodable e : s) {
                ASN1Sequence c = (ASN1Sequence) e.toASN1Primitive();
                if (c.size() < 5) {
                    throw new Pkcs15Exception("DmCredential has too few elements");
                }
                int level = ((ASN1Enumerated) c.getObjectAt(1).toASN1Primitive()).intValueExact();
                if (level != 0 && level != 1) {
                    throw new Pkcs15Exception("DmCredential level must be client(0) or server(1)");
                }
                int bits = Pkcs15Parser.bits((ASN1BitString) c.getObjectAt(4).toASN1Primitive());
                Set<DigestType> digests = EnumSet.noneOf(DigestType.class);
                if ((bits & 1) != 0) {
                    digests.add(DigestType.MD5);
                }
                if ((bits & 2) != 0) {
                    digests.add(DigestType.HMAC);
                }
                out.add(CardCredential.of(string(c.getObjectAt(0)),
                        level == 0 ? CardCredential.Level.CLIENT : CardCredential.Level.SERVER, string(c.getObjectAt(2)),
                        ((ASN1Integer) c.getObjectAt(3).toASN1Primitive()).intValueExact(), digests));
            }
        } catch (IllegalArgumentException | ClassCastException | ArithmeticException e) {
            throw new Pkcs15Exception("Malformed DmCredentials", e);
        }
        return out;
    }

    // ---------------------------------------------------------------- tear-safe control

    /**
     * @param c a control record
     * @return its DER encoding
     */
    public static byte[] encode(SlotControl c) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(c.generation()));
        v.add(new ASN1Integer(c.active()));
        v.add(new ASN1Integer(c.length()));
        v.add(new ASN1Integer(c.slotSize()));
        v.add(new DEROctetString(c.sha256()));
        ASN1EncodableVector slots = new ASN1EncodableVector();
        for (Pkcs15Path p : c.slots()) {
            slots.add(path(p));
        }
        v.add(new DERSequence(slots));
        return der(new DERSequence(v));
    }

    /**
     * @param der the encoding (trailing padding allowed)
     * @return the control record
     * @throws Pkcs15Exception if it is malformed or inconsistent
     */
    public static SlotControl decodeControl(byte[] der) throws Pkcs15Exception {
        ASN1Sequence s = top(der, "TearSafeControl", 6);
        try {
            long generation = ((ASN1Integer) s.getObjectAt(0).toASN1Primitive()).longValueExact();
            int active = ((ASN1Integer) s.getObjectAt(1).toASN1Primitive()).intValueExact();
            int length = ((ASN1Integer) s.getObjectAt(2).toASN1Primitive()).intValueExact();
            int slotSize = ((ASN1Integer) s.getObjectAt(3).toASN1Primitive()).intValueExact();
            byte[] hash = ((ASN1OctetString) s.getObjectAt(4).toASN1Primitive()).getOctets();
            ASN1Sequence slotSeq = (ASN1Sequence) s.getObjectAt(5).toASN1Primitive();
            if (generation < 0 || generation > 0xFFFFFFFFL || (active != 0 && active != 1) || length < 0
                    || slotSize < 0 || length > slotSize || hash.length != 32 || slotSeq.size() != 2) {
                throw new Pkcs15Exception("Inconsistent TearSafeControl");
            }
            List<Pkcs15Path> slots = List.of(Pkcs15Parser.path(slotSeq.getObjectAt(0)), Pkcs15Parser.path(slotSeq.getObjectAt(1)));
            return new SlotControl(generation, active, length, slotSize, hash, slots);
        } catch (ClassCastException | ArithmeticException | IllegalArgumentException e) {
            throw new Pkcs15Exception("Malformed TearSafeControl", e);
        }
    }

    /**
     * @param slotSize size of each slot EF
     * @param slots the two slot EFs
     * @return the control record of an empty object
     */
    public static SlotControl empty(int slotSize, List<Pkcs15Path> slots) {
        return new SlotControl(0, 0, 0, slotSize, sha256(new byte[0]), List.copyOf(slots));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * @param data bytes
     * @return their SHA-256
     */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * @param p a path
     * @return its PKCS#15 {@code Path} SEQUENCE
     */
    public static DERSequence path(Pkcs15Path p) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new DEROctetString(p.bytes()));
        if (p.index() >= 0) {
            v.add(new ASN1Integer(p.index()));
            v.add(new org.bouncycastle.asn1.DERTaggedObject(false, 0, new ASN1Integer(p.length())));
        }
        return new DERSequence(v);
    }

    /**
     * @param bits named bits (bit 0 is the first)
     * @return a DER BIT STRING of them, trailing zero bits removed
     */
    public static DERBitString namedBits(int bits) {
        if (bits == 0) {
            return new DERBitString(new byte[0], 0);
        }
        int last = 0;
        for (int i = 0; i < 32; i++) {
            if ((bits & (1 << i)) != 0) {
                last = i;
            }
        }
        byte[] out = new byte[last / 8 + 1];
        for (int i = 0; i <= last; i++) {
            if ((bits & (1 << i)) != 0) {
                out[i / 8] |= (byte) (0x80 >> (i % 8));
            }
        }
        return new DERBitString(out, 7 - last % 8);
    }

    static byte[] der(ASN1Encodable e) {
        try {
            return e.toASN1Primitive().getEncoded("DER");
        } catch (IOException x) {
            throw new IllegalStateException("DER encoding failed", x);
        }
    }

    private static ASN1Sequence top(byte[] data, String what, int minSize) throws Pkcs15Exception {
        List<Tlv.Element> elements = Tlv.split(data);
        if (elements.isEmpty()) {
            throw new Pkcs15Exception(what + " is empty");
        }
        ASN1Primitive p = Pkcs15Parser.decode(elements.get(0).encoding(data));
        if (!(p instanceof ASN1Sequence) || ((ASN1Sequence) p).size() < minSize) {
            throw new Pkcs15Exception(what + " is not a SEQUENCE of at least " + minSize + " elements");
        }
        return (ASN1Sequence) p;
    }

    private static void version(ASN1Sequence s) throws Pkcs15Exception {
        BigInteger v = ((ASN1Integer) s.getObjectAt(0).toASN1Primitive()).getValue();
        if (v.signum() < 0) {
            throw new Pkcs15Exception("Negative version");
        }
    }

    private static boolean bool(ASN1Encodable e) {
        return ((ASN1Boolean) e.toASN1Primitive()).isTrue();
    }

    private static DERSequence strings(List<String> values) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        for (String s : values) {
            v.add(new DERUTF8String(s));
        }
        return new DERSequence(v);
    }

    private static List<String> strings(ASN1Encodable e) {
        List<String> out = new ArrayList<>();
        for (ASN1Encodable x : (ASN1Sequence) e.toASN1Primitive()) {
            out.add(string(x));
        }
        return out;
    }

    private static String string(ASN1Encodable e) {
        ASN1Primitive p = e.toASN1Primitive();
        if (p instanceof ASN1BitString || !(p instanceof ASN1String)) {
            throw new ClassCastException("not a character string");
        }
        return ((ASN1String) p).getString();
    }
}
