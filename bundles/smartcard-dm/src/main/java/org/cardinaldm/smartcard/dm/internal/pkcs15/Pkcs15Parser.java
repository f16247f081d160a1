package org.cardinaldm.smartcard.dm.internal.pkcs15;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.AuthObject;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.CertificateObject;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.Common;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.DataObject;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.DirApplication;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.OdfEntry;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.TokenInfo;

/**
 * Parses the PKCS#15 files Cardinal reads, with Bouncy Castle's ASN.1 decoder, defensively: real cards get
 * the encodings wrong, so the parser accepts BER (indefinite lengths, non-DER booleans), files padded with
 * {@code 00} or {@code FF}, context tags written explicitly or implicitly, paths as a bare OCTET STRING,
 * absolute or relative paths, OIDs wrapped twice ({@code 06 06 06 04 …}), and a label without its
 * {@code [0]} tag. A malformed entry of a directory file is skipped and recorded in {@link #problems()};
 * a malformed file as a whole (truncated, unreadable) fails with {@link Pkcs15Exception}. Nothing a card
 * sends can make it throw anything else or read past the data.
 *
 * <p>Not thread-safe: one parser per card read.
 */
public final class Pkcs15Parser {
    private final List<String> problems = new ArrayList<>();

    /** @return what was skipped, one line each (no card data) */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    // ---------------------------------------------------------------- EF.DIR

    /**
     * Parses one record of EF.DIR (ISO/IEC 7816-4 clause 8.2.1.1): an application template {@code 61} with
     * AID {@code 4F}, label {@code 50}, path {@code 51}. A record holding the template's content without the
     * {@code 61} wrapper is accepted as well; a record of padding only has no application.
     *
     * @param record the record
     * @return the application, or null for an empty record
     * @throws Pkcs15Exception if the record is malformed or has no AID
     */
    public DirApplication dirRecord(byte[] record) throws Pkcs15Exception {
        List<Tlv.Element> top = Tlv.split(record);
        if (top.isEmpty()) {
            return null;
        }
        List<Tlv.Element> fields;
        if (top.get(0).tag() == 0x61) {
            fields = Tlv.children(record, top.get(0));
        } else {
            fields = top;
        }
        byte[] aid = null;
        String label = "";
        byte[] path = null;
        for (Tlv.Element e : fields) {
            switch (e.tag()) {
                case 0x4F:
                    aid = e.value(record);
                    break;
                case 0x50:
                    label = new String(e.value(record), StandardCharsets.UTF_8);
                    break;
                case 0x51:
                    path = e.value(record);
                    break;
                default:
                    break;
            }
        }
        if (aid == null || aid.length < 1 || aid.length > 16) {
            throw new Pkcs15Exception("EF.DIR record without a valid AID");
        }
        return new DirApplication(aid, label, path);
    }

    // ---------------------------------------------------------------- ODF

    /**
     * Parses EF.ODF: a sequence of {@code PKCS15Objects} choices, each a path to a directory file.
     *
     * @param odf the file
     * @return the entries with a path (entries holding objects directly are skipped)
     * @throws Pkcs15Exception if the file is malformed
     */
    public List<OdfEntry> odf(byte[] odf) throws Pkcs15Exception {
        List<OdfEntry> out = new ArrayList<>();
        for (Tlv.Element e : Tlv.split(odf)) {
            if (e.tag() < 0xA0 || e.tag() > 0xBF) {
                problems.add(String.format("ODF: skipped an entry with tag %02X", e.tag()));
                continue;
            }
            try {
                ASN1TaggedObject t = tagged(decode(e.encoding(odf)));
                out.add(new OdfEntry(e.tag(), path(t.getExplicitBaseObject())));
            } catch (Pkcs15Exception | RuntimeException x) {
                problems.add(String.format("ODF: skipped entry %02X (%s)", e.tag(), reason(x)));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- TokenInfo

    /**
     * Parses EF.TokenInfo.
     *
     * @param data the file
     * @return the token information
     * @throws Pkcs15Exception if it is malformed (no version or serial number)
     */
    public TokenInfo tokenInfo(byte[] data) throws Pkcs15Exception {
        List<Tlv.Element> top = Tlv.split(data);
        if (top.isEmpty()) {
            throw new Pkcs15Exception("EF.TokenInfo is empty");
        }
        try {
            ASN1Sequence s = sequence(decode(top.get(0).encoding(data)), "TokenInfo");
            int version = -1;
            byte[] serial = null;
            String manufacturer = "";
            String label = "";
            int flags = 0;
            for (ASN1Encodable x : s) {
                ASN1Primitive p = x.toASN1Primitive();
                if (p instanceof ASN1Integer && version < 0 && serial == null) {
                    version = ((ASN1Integer) p).intValueExact();
                } else if (p instanceof ASN1OctetString && serial == null) {
                    serial = ((ASN1OctetString) p).getOctets();
                } else if (p instanceof ASN1BitString && serial != null) {
                    flags = bits((ASN1BitString) p);
                } else if (p instanceof ASN1String && serial != null) {
                    // manufacturerID, then (wrongly untagged) label
                    if (manufacturer.isEmpty() && label.isEmpty()) {
                        manufacturer = ((ASN1String) p).getString();
                    } else if (label.isEmpty()) {
                        label = ((ASN1String) p).getString();
                    }
                } else if (p instanceof ASN1TaggedObject && ((ASN1TaggedObject) p).getTagNo() == 0 && label.isEmpty()) {
                    label = taggedString((ASN1TaggedObject) p);
                } else if (p instanceof ASN1BitString && serial != null) {
                    flags = bits((ASN1BitString) p);
                }
            }
            if (version < 0 || serial == null) {
                throw new Pkcs15Exception("TokenInfo without version or serial number");
            }
            return new TokenInfo(version, serial, manufacturer, label, flags);
        } catch (RuntimeException e) {
            throw new Pkcs15Exception("Malformed TokenInfo (" + reason(e) + ")", e);
        }
    }

    // ---------------------------------------------------------------- DODF

    /**
     * Parses a DODF: opaque ({@code 30}), external ({@code A0}) and OID ({@code A1}) data objects.
     *
     * @param dodf the file
     * @return the objects; malformed ones are skipped
     * @throws Pkcs15Exception if the file's framing is malformed
     */
    public List<DataObject> dodf(byte[] dodf) throws Pkcs15Exception {
        List<DataObject> out = new ArrayList<>();
        int n = 0;
        for (Tlv.Element e : Tlv.split(dodf)) {
            n++;
            String kind;
            switch (e.tag()) {
                case 0x30:
                    kind = "opaque";
                    break;
                case 0xA0:
                    kind = "external";
                    break;
                case 0xA1:
                    kind = "oid";
                    break;
                default:
                    problems.add(String.format("DODF: skipped object %d with tag %02X", n, e.tag()));
                    continue;
            }
            try {
                out.add(dataObject(kind, objectSequence(decode(e.encoding(dodf)))));
            } catch (Pkcs15Exception | RuntimeException x) {
                problems.add(String.format("DODF: skipped object %d (%s)", n, reason(x)));
            }
        }
        return out;
    }

    private DataObject dataObject(String kind, ASN1Sequence s) throws Pkcs15Exception {
        Common common = common(s, "data object");
        String appName = "";
        String appOid = "";
        if (s.size() > 1 && s.getObjectAt(1).toASN1Primitive() instanceof ASN1Sequence) {
            for (ASN1Encodable x : (ASN1Sequence) s.getObjectAt(1).toASN1Primitive()) {
                ASN1Primitive p = x.toASN1Primitive();
                if (p instanceof ASN1String && !(p instanceof ASN1BitString) && appName.isEmpty()) {
                    appName = ((ASN1String) p).getString();
                } else if (p instanceof ASN1ObjectIdentifier || p instanceof ASN1OctetString) {
                    String oid = oid(p);
                    if (oid != null && appOid.isEmpty()) {
                        appOid = oid;
                    }
                }
            }
        }
        ASN1Encodable type = typeAttributes(s, "data object");
        String oid = "";
        ASN1Encodable value;
        if (!kind.equals("oid")) {
            // [1] ObjectValue: a CHOICE, so the tag is explicit
            value = ((ASN1TaggedObject) type.toASN1Primitive()).getExplicitBaseObject();
        } else {
            ASN1Sequence oidDo = innerSequence(type, "OidDO");
            if (oidDo.size() < 2) {
                throw new Pkcs15Exception("OidDO needs an id and a value");
            }
            String id = oid(oidDo.getObjectAt(0).toASN1Primitive());
            if (id == null) {
                throw new Pkcs15Exception("OidDO id is not an OID");
            }
            oid = id;
            value = oidDo.getObjectAt(1);
        }
        Pkcs15Path path = null;
        byte[] direct = null;
        ASN1Primitive v = value.toASN1Primitive();
        if (v instanceof ASN1TaggedObject && ((ASN1TaggedObject) v).getTagNo() == 0
                && ((ASN1TaggedObject) v).getTagClass() == BERTags.CONTEXT_SPECIFIC) {
            direct = directValue((ASN1TaggedObject) v);
        } else if (v instanceof ASN1TaggedObject) {
            // [1] indirect-protected, [2] direct-protected: Cardinal does not decrypt card data
            throw new Pkcs15Exception("protected object values are not supported");
        } else if (v instanceof ASN1Sequence || v instanceof ASN1OctetString) {
            path = path(v);
        } else {
            throw new Pkcs15Exception("unsupported object value");
        }
        return new DataObject(common, kind, appName, appOid, oid, path, direct);
    }

    // ---------------------------------------------------------------- AODF

    /**
     * Parses an AODF; PIN objects only (other authentication objects are skipped).
     *
     * @param aodf the file
     * @return the PIN objects
     * @throws Pkcs15Exception if the file's framing is malformed
     */
    public List<AuthObject> aodf(byte[] aodf) throws Pkcs15Exception {
        List<AuthObject> out = new ArrayList<>();
        int n = 0;
        for (Tlv.Element e : Tlv.split(aodf)) {
            n++;
            if (e.tag() != 0x30) {
                problems.add(String.format("AODF: skipped object %d with tag %02X (not a PIN)", n, e.tag()));
                continue;
            }
            try {
                ASN1Sequence s = sequence(decode(e.encoding(aodf)), "PIN object");
                Common common = common(s, "PIN object");
                byte[] authId = null;
                if (s.size() > 1 && s.getObjectAt(1).toASN1Primitive() instanceof ASN1Sequence) {
                    ASN1Sequence c = (ASN1Sequence) s.getObjectAt(1).toASN1Primitive();
                    if (c.size() > 0 && c.getObjectAt(0).toASN1Primitive() instanceof ASN1OctetString) {
                        authId = ((ASN1OctetString) c.getObjectAt(0).toASN1Primitive()).getOctets();
                    }
                }
                ASN1Sequence pin = innerSequence(typeAttributes(s, "PIN object"), "PinAttributes");
                int flags = 0;
                int pinType = -1;
                List<Integer> ints = new ArrayList<>();
                int reference = -1;
                Pkcs15Path path = null;
                for (ASN1Encodable x : pin) {
                    ASN1Primitive p = x.toASN1Primitive();
                    if (p instanceof ASN1BitString) {
                        flags = bits((ASN1BitString) p);
                    } else if (p instanceof ASN1Enumerated) {
                        pinType = ((ASN1Enumerated) p).intValueExact();
                    } else if (p instanceof ASN1Integer) {
                        ints.add(((ASN1Integer) p).intValueExact());
                    } else if (p instanceof ASN1TaggedObject && ((ASN1TaggedObject) p).getTagNo() == 0) {
                        reference = taggedInteger((ASN1TaggedObject) p);
                    } else if (p instanceof ASN1Sequence) {
                        path = path(p);
                    }
                }
                if (ints.size() < 2 || pinType < 0) {
                    throw new Pkcs15Exception("PinAttributes without type, minLength or storedLength");
                }
                out.add(new AuthObject(common, authId, flags, pinType, ints.get(0), ints.get(1),
                        ints.size() > 2 ? ints.get(2) : -1, reference, path));
            } catch (Pkcs15Exception | RuntimeException x) {
                problems.add(String.format("AODF: skipped object %d (%s)", n, reason(x)));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- CDF

    /**
     * Parses a CDF; X.509 certificate objects only.
     *
     * @param cdf the file
     * @return the certificate objects
     * @throws Pkcs15Exception if the file's framing is malformed
     */
    public List<CertificateObject> cdf(byte[] cdf) throws Pkcs15Exception {
        List<CertificateObject> out = new ArrayList<>();
        int n = 0;
        for (Tlv.Element e : Tlv.split(cdf)) {
            n++;
            if (e.tag() != 0x30) {
                problems.add(String.format("CDF: skipped object %d with tag %02X (not X.509)", n, e.tag()));
                continue;
            }
            try {
                ASN1Sequence s = sequence(decode(e.encoding(cdf)), "certificate object");
                Common common = common(s, "certificate object");
                byte[] id = null;
                boolean authority = false;
                if (s.size() > 1 && s.getObjectAt(1).toASN1Primitive() instanceof ASN1Sequence) {
                    for (ASN1Encodable x : (ASN1Sequence) s.getObjectAt(1).toASN1Primitive()) {
                        ASN1Primitive p = x.toASN1Primitive();
                        if (p instanceof ASN1OctetString && id == null) {
                            id = ((ASN1OctetString) p).getOctets();
                        } else if (p instanceof ASN1Boolean) {
                            authority = ((ASN1Boolean) p).isTrue();
                        }
                    }
                }
                if (id == null) {
                    throw new Pkcs15Exception("certificate object without iD");
                }
                ASN1Sequence attrs = innerSequence(typeAttributes(s, "certificate object"), "X509CertificateAttributes");
                if (attrs.size() < 1) {
                    throw new Pkcs15Exception("X509CertificateAttributes without value");
                }
                ASN1Primitive v = attrs.getObjectAt(0).toASN1Primitive();
                Pkcs15Path path = null;
                byte[] direct = null;
                if (v instanceof ASN1TaggedObject && ((ASN1TaggedObject) v).getTagNo() == 0) {
                    direct = directValue((ASN1TaggedObject) v);
                } else {
                    path = path(v);
                }
                out.add(new CertificateObject(common, id, authority, path, direct));
            } catch (Pkcs15Exception | RuntimeException x) {
                problems.add(String.format("CDF: skipped object %d (%s)", n, reason(x)));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- pieces

    /**
     * Decodes one BER/DER object.
     *
     * @param encoding exactly one object
     * @return the object
     * @throws Pkcs15Exception if it is malformed or followed by more bytes
     */
    public static ASN1Primitive decode(byte[] encoding) throws Pkcs15Exception {
        try (ASN1InputStream in = new ASN1InputStream(encoding)) {
            ASN1Primitive p = in.readObject();
            if (p == null) {
                throw new Pkcs15Exception("No ASN.1 object");
            }
            if (in.readObject() != null) {
                throw new Pkcs15Exception("Bytes after the ASN.1 object");
            }
            return p;
        } catch (IOException | RuntimeException e) {
            throw new Pkcs15Exception("Malformed ASN.1 (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static String reason(Exception e) {
        return e instanceof Pkcs15Exception ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static ASN1Sequence sequence(ASN1Primitive p, String what) throws Pkcs15Exception {
        if (!(p instanceof ASN1Sequence)) {
            throw new Pkcs15Exception(what + " is not a SEQUENCE");
        }
        return (ASN1Sequence) p;
    }

    private static ASN1TaggedObject tagged(ASN1Primitive p) throws Pkcs15Exception {
        if (!(p instanceof ASN1TaggedObject)) {
            throw new Pkcs15Exception("context tag expected");
        }
        return (ASN1TaggedObject) p;
    }

    /** A PKCS15Object: a plain SEQUENCE, or a context-tagged one whose tag replaced SEQUENCE's (implicit). */
    private static ASN1Sequence objectSequence(ASN1Primitive p) throws Pkcs15Exception {
        if (p instanceof ASN1Sequence) {
            return (ASN1Sequence) p;
        }
        ASN1TaggedObject t = tagged(p);
        if (t.getTagClass() != BERTags.CONTEXT_SPECIFIC) {
            throw new Pkcs15Exception("unexpected tag class");
        }
        ASN1Sequence content = ASN1Sequence.getInstance(t, false);
        if (content.size() == 1 && content.getObjectAt(0).toASN1Primitive() instanceof ASN1Sequence) {
            ASN1Sequence only = (ASN1Sequence) content.getObjectAt(0).toASN1Primitive();
            if (only.size() > 0 && only.getObjectAt(0).toASN1Primitive() instanceof ASN1Sequence) {
                return only; // A1 { 30 { 30 common, 30 class, A1 type } }: explicit by mistake
            }
        }
        return content;
    }

    private static Common common(ASN1Sequence s, String what) throws Pkcs15Exception {
        if (s.size() < 2) {
            throw new Pkcs15Exception(what + " has too few parts");
        }
        ASN1Primitive c = s.getObjectAt(0).toASN1Primitive();
        if (!(c instanceof ASN1Sequence)) {
            throw new Pkcs15Exception(what + ": CommonObjectAttributes is not a SEQUENCE");
        }
        String label = "";
        int flags = 0;
        byte[] authId = null;
        for (ASN1Encodable x : (ASN1Sequence) c) {
            ASN1Primitive p = x.toASN1Primitive();
            if (p instanceof ASN1BitString) {
                flags = bits((ASN1BitString) p);
            } else if (p instanceof ASN1String && label.isEmpty()) {
                label = ((ASN1String) p).getString();
            } else if (p instanceof ASN1OctetString && authId == null) {
                authId = ((ASN1OctetString) p).getOctets();
            }
        }
        return new Common(label, (flags & 1) != 0, (flags & 2) != 0, authId);
    }

    /** The {@code [1]} typeAttributes of a PKCS15Object, with the explicit tag removed. */
    private static ASN1Encodable typeAttributes(ASN1Sequence s, String what) throws Pkcs15Exception {
        for (int i = 1; i < s.size(); i++) {
            ASN1Primitive p = s.getObjectAt(i).toASN1Primitive();
            if (p instanceof ASN1TaggedObject && ((ASN1TaggedObject) p).getTagNo() == 1
                    && ((ASN1TaggedObject) p).getTagClass() == BERTags.CONTEXT_SPECIFIC) {
                return p;
            }
        }
        throw new Pkcs15Exception(what + " has no [1] type attributes");
    }

    /**
     * The SEQUENCE inside {@code [1]}: explicit ({@code A1 { 30 … }}), as PKCS#15 v1.1 encodes parameterised
     * types, or implicit ({@code A1 { … }}), as some cards do.
     */
    private static ASN1Sequence innerSequence(ASN1Encodable typeAttributes, String what) throws Pkcs15Exception {
        ASN1TaggedObject t = tagged(typeAttributes.toASN1Primitive());
        ASN1Sequence content;
        try {
            content = ASN1Sequence.getInstance(t, false);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new Pkcs15Exception(what + " is not constructed");
        }
        if (content.size() == 1 && content.getObjectAt(0).toASN1Primitive() instanceof ASN1Sequence) {
            return (ASN1Sequence) content.getObjectAt(0).toASN1Primitive();
        }
        return content;
    }

    /**
     * Reads an ObjectValue's ReferencedValue path: a {@code Path} SEQUENCE, or (wrongly) a bare OCTET STRING.
     *
     * @param p the value
     * @return the path
     * @throws Pkcs15Exception if it is neither
     */
    public static Pkcs15Path path(ASN1Encodable p) throws Pkcs15Exception {
        ASN1Primitive v = p.toASN1Primitive();
        if (v instanceof ASN1OctetString) {
            return Pkcs15Path.of(((ASN1OctetString) v).getOctets(), -1, -1);
        }
        if (!(v instanceof ASN1Sequence) || ((ASN1Sequence) v).size() < 1) {
            throw new Pkcs15Exception("Path is not a SEQUENCE");
        }
        ASN1Sequence s = (ASN1Sequence) v;
        ASN1Primitive first = s.getObjectAt(0).toASN1Primitive();
        if (!(first instanceof ASN1OctetString)) {
            throw new Pkcs15Exception("Path without file identifiers");
        }
        int index = -1;
        int length = -1;
        for (int i = 1; i < s.size(); i++) {
            ASN1Primitive x = s.getObjectAt(i).toASN1Primitive();
            if (x instanceof ASN1Integer) {
                index = ((ASN1Integer) x).intValueExact();
            } else if (x instanceof ASN1TaggedObject && ((ASN1TaggedObject) x).getTagNo() == 0) {
                length = taggedInteger((ASN1TaggedObject) x);
            }
        }
        if (index < 0 || length < 0) {
            index = -1;
            length = -1;
        }
        return Pkcs15Path.of(((ASN1OctetString) first).getOctets(), index, length);
    }

    /**
     * An OID, accepting an OID wrapped twice ({@code 06 06 06 04 67 2B 09 01}) or carried in an OCTET STRING.
     *
     * @return the dotted OID, or null if it is not one
     */
    static String oid(ASN1Primitive p) {
        try {
            if (p instanceof ASN1ObjectIdentifier) {
                byte[] enc = p.getEncoded();
                byte[] content = contentOf(enc);
                if (content != null && content.length > 2 && content[0] == 0x06 && (content[1] & 0xFF) == content.length - 2) {
                    return ASN1ObjectIdentifier.getInstance(content).getId();
                }
                return ((ASN1ObjectIdentifier) p).getId();
            }
            if (p instanceof ASN1OctetString) {
                byte[] content = ((ASN1OctetString) p).getOctets();
                if (content.length > 2 && content[0] == 0x06 && (content[1] & 0xFF) == content.length - 2) {
                    return ASN1ObjectIdentifier.getInstance(content).getId();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static byte[] contentOf(byte[] tlv) {
        if (tlv.length < 2 || (tlv[1] & 0x80) != 0) {
            return null;
        }
        return Arrays.copyOfRange(tlv, 2, tlv.length);
    }

    private static byte[] directValue(ASN1TaggedObject t) throws Pkcs15Exception {
        try {
            if (t.isExplicit()) {
                ASN1Primitive inner = t.getExplicitBaseObject().toASN1Primitive();
                if (inner instanceof ASN1OctetString) {
                    return ((ASN1OctetString) inner).getOctets();
                }
                return inner.getEncoded();
            }
            return ASN1OctetString.getInstance(t, false).getOctets();
        } catch (IOException | RuntimeException e) {
            throw new Pkcs15Exception("Malformed direct value", e);
        }
    }

    private static int taggedInteger(ASN1TaggedObject t) throws Pkcs15Exception {
        try {
            if (t.isExplicit()) {
                ASN1Primitive inner = t.getExplicitBaseObject().toASN1Primitive();
                if (inner instanceof ASN1Integer) {
                    return ((ASN1Integer) inner).intValueExact();
                }
            }
            return ASN1Integer.getInstance(t, false).intValueExact();
        } catch (ArithmeticException | IllegalArgumentException | IllegalStateException e) {
            throw new Pkcs15Exception("Malformed tagged INTEGER", e);
        }
    }

    private static String taggedString(ASN1TaggedObject t) {
        try {
            if (t.isExplicit()) {
                ASN1Primitive inner = t.getExplicitBaseObject().toASN1Primitive();
                if (inner instanceof ASN1String && !(inner instanceof ASN1BitString)) {
                    return ((ASN1String) inner).getString();
                }
            }
            return new String(ASN1OctetString.getInstance(t, false).getOctets(), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * @param b a BIT STRING
     * @return its named bits as an int: bit i of the result is bit i of the string (bit 0 is the first)
     */
    public static int bits(ASN1BitString b) {
        byte[] bytes = b.getBytes();
        int out = 0;
        for (int i = 0; i < Math.min(32, bytes.length * 8 - b.getPadBits()); i++) {
            if ((bytes[i / 8] & (0x80 >> (i % 8))) != 0) {
                out |= 1 << i;
            }
        }
        return out;
    }
}
