package org.cardinaldm.smartcard.dm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.FumoPolicy;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Path;
import org.cardinaldm.smartcard.dm.internal.profile.Cardinal;
import org.cardinaldm.smartcard.dm.internal.profile.ProfileCodec;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.CodecLimits;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.RtProperties;
import org.cardinaldm.syncml.api.tnds.TndsNode;

/**
 * The issuer's side of the demo card: builds every DM file of the built-in demo profile with the codecs
 * (Bouncy Castle for the PKCS#15 and Cardinal objects, the syncml codec for the WBXML bootstrap message and
 * the TNDS MO store) and renders the profile's PKCS#15 application block. {@code DemoProfileTest} checks that
 * the demo profile in smartcard-sim holds exactly these bytes; running it with
 * {@code -Dcardinal.demo.print=true} prints the block to paste when the demo data changes.
 */
public final class DemoCard {
    public static final HexFormat HEX = HexFormat.of().withUpperCase();
    public static final String SERVER_ID = "cardinal-dms";
    public static final String SERVER_URL = "https://127.0.0.1:8443/dm";
    public static final String CLIENT_NAME = "cardinal-device";
    public static final String CLIENT_SECRET = "cardinal-device-demo-secret";
    public static final String SERVER_NAME = "cardinal-dms";
    public static final String SERVER_SECRET = "cardinal-dms-demo-secret";
    public static final String ACCOUNT = "CardinalDemo";
    public static final byte[] ICCID = HEX.parseHex("989400000000000010F2");
    public static final byte[] ADM_KEY = HEX.parseHex("000102030405060708090A0B0C0D0E0F");
    public static final int CLIENT_KEY = 0x02;
    public static final int SERVER_KEY = 0x03;
    /** The demo card's device key (key 04, usage dm-device; published demo value: ASCII "cardinal-demo-dk"). */
    public static final String DEVICE_KEY = "63617264696E616C2D64656D6F2D646B";
    public static final String MO_DDF = "urn:x-cardinaldm:mo:operator:1.0";

    private DemoCard() {
    }

    // ---------------------------------------------------------------- values

    public static CardPolicy policy() {
        return CardPolicy.of(false, true, List.of(SERVER_ID));
    }

    /**
     * The demo card's own FUMO authorisation key (key 05, usage fumo-auth): its public key (the private scalar is
     * in smartcard-sim's demo-profile.txt and demo-card-fumo-auth.pem). Published demo value.
     */
    public static final String FUMO_AUTH_SPKI = "3059301306072A8648CE3D020106082A8648CE3D03010703420004E95373FEB29726C3"
            + "015A384B78A372A091322462908D3AF765D16DB66FC524BD67588D3891AEC8F27765C7866FCDE6D7F2E9AE4C37C213DBCD46ED3DA0"
            + "7FD65C";
    /** The demo issuer's FUMO policy key (key 06, usage fumo-issuer; private key in demo-fumo-issuer.pem). */
    public static final String FUMO_ISSUER_SPKI = "3059301306072A8648CE3D020106082A8648CE3D030107034200041CDE8546829F3C"
            + "0507C37172D709C087DEB13F78E25A8B0E12587A3F0CBAAFF83263B6805C7567D08808FBFB0350503EE4C96E5140D9FD3124D89F"
            + "62BD00824A";

    /** The demo card's FUMO policy (profile 1.2): the demo signer's key, threshold 1, cardinal-dms, counter 1. */
    public static FumoPolicy fumoPolicy() {
        return FumoPolicy.of(List.of(HEX.formatHex(sha256(signerPublicKey()))), List.of(SERVER_ID), 1,
                List.of(signerPublicKey()), 1, HEX.parseHex(FUMO_AUTH_SPKI));
    }

    public static List<CardCredential> credentials() {
        return List.of(
                CardCredential.of(SERVER_ID, CardCredential.Level.CLIENT, CLIENT_NAME, CLIENT_KEY,
                        EnumSet.of(DigestType.MD5, DigestType.HMAC)),
                CardCredential.of(SERVER_ID, CardCredential.Level.SERVER, SERVER_NAME, SERVER_KEY,
                        EnumSet.of(DigestType.MD5, DigestType.HMAC)));
    }

    public static byte[] clientKey() {
        return md5((CLIENT_NAME + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] serverKey() {
        return md5((SERVER_NAME + ":" + SERVER_SECRET).getBytes(StandardCharsets.UTF_8));
    }

    /** The card-resident MOs of the demo card: {@code ./SmartCard/MO/Operator}. */
    public static MgmtTree moStore() {
        RtProperties chr = RtProperties.leaf("chr", "text/plain");
        RtProperties integer = RtProperties.leaf("int", "text/plain");
        return MgmtTree.of(TndsNode.interior("Operator", RtProperties.interior(MO_DDF),
                TndsNode.leaf("Name", chr, "Cardinal Demo Telecom"),
                TndsNode.leaf("Support", chr, "http://127.0.0.1:8181/support"),
                TndsNode.leaf("PollMinutes", integer, "1440")));
    }

    public static byte[] moStoreWbxml() {
        try {
            return SyncML.tndsWbxml(moStoreOptions()).encode(moStore());
        } catch (CodecException e) {
            throw new IllegalStateException(e);
        }
    }

    /** WBXML with a string table, as the ./SmartCard plugin writes the MO store. */
    public static WbxmlOptions moStoreOptions() {
        return new WbxmlOptions(CodecLimits.DEFAULT, 2, WbxmlOptions.PublicIdForm.NUMERIC, null, true, false,
                WbxmlOptions.EmbeddedDocuments.OPAQUE, true);
    }

    /** The DMAcc of the bootstrap message, added at ./DMAcc: no AAuthSecret (the secrets stay on the card). */
    public static MgmtTree dmAcc() {
        RtProperties chr = RtProperties.leaf("chr", "text/plain");
        RtProperties node = RtProperties.interior(null);
        String acl = "Get=" + SERVER_ID + "&Replace=" + SERVER_ID + "&Delete=" + SERVER_ID;
        return MgmtTree.of(TndsNode.interior(ACCOUNT, RtProperties.interior("urn:oma:mo:oma-dm-dmacc:1.0").withAcl(acl),
                TndsNode.leaf("AppID", chr, "w7"),
                TndsNode.leaf("ServerID", chr, SERVER_ID),
                TndsNode.leaf("Name", chr, "Cardinal demo DM server"),
                TndsNode.interior("AppAddr", node,
                        TndsNode.interior("Primary", node,
                                TndsNode.leaf("Addr", chr, SERVER_URL),
                                TndsNode.leaf("AddrType", chr, "URI"),
                                TndsNode.interior("Port", node,
                                        TndsNode.interior("Default", node, TndsNode.leaf("PortNbr", chr, "8443"))))),
                TndsNode.leaf("AAuthPref", chr, "DIGEST"),
                TndsNode.interior("AppAuth", node,
                        TndsNode.interior("Client", node,
                                TndsNode.leaf("AAuthLevel", chr, "CLCRED"),
                                TndsNode.leaf("AAuthType", chr, "DIGEST"),
                                TndsNode.leaf("AAuthName", chr, CLIENT_NAME)),
                        TndsNode.interior("Server", node,
                                TndsNode.leaf("AAuthLevel", chr, "SRVCRED"),
                                TndsNode.leaf("AAuthType", chr, "DIGEST"),
                                TndsNode.leaf("AAuthName", chr, SERVER_NAME)))));
    }

    /** The DM-profile bootstrap message (WBXML, TNDS inline on code page 2). */
    public static SyncMessage bootstrapMessage() {
        SyncHeader header = SyncHeader.builder().sessionId("0").msgId("1").target("urn:x-cardinaldm:card-bootstrap")
                .source(SERVER_ID).build();
        SyncMessage.Builder b = SyncMessage.builder(header);
        Item item = Item.builder().target("./DMAcc").meta(Meta.of("xml", "application/vnd.syncml.dmtnds+xml"))
                .data(Data.xml(dmAcc().toXml())).build();
        b.add(Add.of(b.nextCmdId(), item));
        return b.build();
    }

    public static WbxmlOptions bootstrapOptions() {
        return new WbxmlOptions(CodecLimits.DEFAULT, 2, WbxmlOptions.PublicIdForm.NUMERIC, null, true, false,
                WbxmlOptions.EmbeddedDocuments.INLINE, true);
    }

    public static byte[] bootstrapWbxml() {
        try {
            return SyncML.wbxml(bootstrapOptions()).encode(bootstrapMessage());
        } catch (CodecException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- PKCS#15 files

    public static byte[] dirRecord() {
        return HEX.parseHex("611E4F0CA000000063504B43532D313550084341524449" + "4E414C51043F005015");
    }

    public static byte[] odf() {
        return concat(entry(0xA7, 0x6430), entry(0xA8, 0x4401), entry(0xA5, 0x4402));
    }

    private static byte[] entry(int tag, int fid) {
        return der(new DERTaggedObject(true, tag & 0x1F, ProfileCodec.path(Pkcs15Path.ofFid(fid))));
    }

    public static byte[] tokenInfo() {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(0));
        v.add(new DEROctetString(ICCID));
        v.add(new DERUTF8String("Cardinal"));
        v.add(new DERTaggedObject(false, 0, new DERUTF8String("Cardinal demo UICC")));
        v.add(ProfileCodec.namedBits(0));
        return der(new DERSequence(v));
    }

    private static DERSequence common(String label, int flags, byte[] authId) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        if (!label.isEmpty()) {
            v.add(new DERUTF8String(label));
        }
        if (flags != 0) {
            v.add(ProfileCodec.namedBits(flags));
        }
        if (authId != null) {
            v.add(new DEROctetString(authId));
        }
        return new DERSequence(v);
    }

    public static byte[] aodf() {
        ASN1EncodableVector pin = new ASN1EncodableVector();
        pin.add(ProfileCodec.namedBits((1 << 4) | (1 << 5))); // initialized, needs-padding
        pin.add(new ASN1Enumerated(1)); // ascii-numeric
        pin.add(new ASN1Integer(4));
        pin.add(new ASN1Integer(8));
        pin.add(new ASN1Integer(8));
        pin.add(new DERTaggedObject(false, 0, new ASN1Integer(1)));
        pin.add(new DEROctetString(new byte[] {(byte) 0xFF}));
        ASN1EncodableVector o = new ASN1EncodableVector();
        o.add(common("PIN1", 0, null));
        o.add(new DERSequence(new DEROctetString(new byte[] {0x01})));
        o.add(new DERTaggedObject(true, 1, new DERSequence(pin)));
        return der(new DERSequence(o));
    }

    public static byte[] cdf() {
        ASN1EncodableVector attrs = new ASN1EncodableVector();
        attrs.add(new DEROctetString(new byte[] {0x46}));
        attrs.add(ASN1Boolean.FALSE);
        ASN1EncodableVector o = new ASN1EncodableVector();
        o.add(common("FUMO signer", 0, null));
        o.add(new DERSequence(attrs));
        o.add(new DERTaggedObject(true, 1, new DERSequence(ProfileCodec.path(Pkcs15Path.ofFid(0x4403)))));
        return der(new DERSequence(o));
    }

    /** An {@code oidDO} entry of the DODF: A1 { common, class attributes, [1] { OidDO { id, Path } } }. */
    public static byte[] oidObject(String label, String appName, String oid, int fid, boolean modifiable) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(common(label, modifiable ? 2 : 0, null));
        v.add(appName.isEmpty() ? new DERSequence() : new DERSequence(new DERUTF8String(appName)));
        ASN1EncodableVector oidDo = new ASN1EncodableVector();
        oidDo.add(new ASN1ObjectIdentifier(oid));
        oidDo.add(ProfileCodec.path(Pkcs15Path.ofFid(fid)));
        v.add(new DERTaggedObject(true, 1, new DERSequence(oidDo)));
        return der(new DERTaggedObject(false, 1, new DERSequence(v)));
    }

    public static byte[] dodf() {
        return concat(
                oidObject("DM Bootstrap", "", Pkcs15.OID_DM_BOOTSTRAP, 0x6431, true),
                oidObject("", "", Cardinal.OID_POLICY, 0x6434, false),
                oidObject("", "", Cardinal.OID_MO_STORE, 0x6437, true),
                oidObject("", "", Cardinal.OID_FUMO_POLICY, 0x643A, true),
                oidObject("", "", Cardinal.OID_CREDENTIALS, 0x6433, false),
                oidObject("", "", Cardinal.OID_STATE, 0x6432, false));
    }

    public static List<Pkcs15Path> slots(int a, int b) {
        return List.of(Pkcs15Path.ofFid(a), Pkcs15Path.ofFid(b));
    }

    public static byte[] control(int slotSize, int a, int b, byte[] content) {
        return ProfileCodec.encode(ProfileCodec.empty(slotSize, slots(a, b)).next(content));
    }

    public static byte[] signerCertificate() {
        try (InputStream in = DemoCard.class.getResourceAsStream("/demo-fumo-signer.der")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] signerPublicKey() {
        try {
            ASN1Sequence cert = (ASN1Sequence) ASN1Primitive.fromByteArray(signerCertificate());
            ASN1Sequence tbs = (ASN1Sequence) cert.getObjectAt(0);
            // version [0], serial, signature, issuer, validity, subject, subjectPublicKeyInfo
            return tbs.getObjectAt(6).toASN1Primitive().getEncoded("DER");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- the profile block

    /** @return the PKCS#15 application block of the demo profile, as it must appear there */
    public static String profileBlock() {
        StringBuilder sb = new StringBuilder();
        sb.append("  # BEGIN generated by smartcard-dm DemoCard (DemoProfileTest checks it): the DM application\n");
        sb.append("  df 5015 aid=A000000063504B43532D3135 label=\"PKCS#15\" {\n");
        ef(sb, 0x5031, 17, 32, "adm", "EF.ODF", odf());
        ef(sb, 0x5032, 18, -1, "adm", "EF.TokenInfo", tokenInfo());
        ef(sb, 0x4401, 19, 64, "adm", "EF.AODF", aodf());
        ef(sb, 0x4402, 20, 64, "adm", "EF.CDF (trusted certificates)", cdf());
        ef(sb, 0x4403, 21, -1, "adm", "FUMO signer certificate", signerCertificate());
        ef(sb, 0x6430, 1, 512, "adm", "EF.DODF", dodf());
        ef(sb, 0x6431, 2, -1, "adm|dm", "EF.DMBOOT (DM bootstrap, WBXML)", bootstrapWbxml());
        ef(sb, 0x6432, 3, 160, "never", "EF.DMSTATE (kept by the card)", new byte[0]);
        ef(sb, 0x6433, 4, 128, "adm", "EF.DMKEYS (credential references)", ProfileCodec.encode(credentials()));
        byte[] pol = ProfileCodec.encode(policy());
        ef(sb, 0x6434, 5, 96, "adm", "card policy: control", control(128, 0x6435, 0x6436, pol));
        ef(sb, 0x6435, 6, 128, "adm", "card policy: slot 0", new byte[0]);
        ef(sb, 0x6436, 7, 128, "adm", "card policy: slot 1", pol);
        byte[] mo = moStoreWbxml();
        ef(sb, 0x6437, 8, 96, "adm|dm", "MO store: control", control(2048, 0x6438, 0x6439, mo));
        ef(sb, 0x6438, 9, 2048, "adm|dm", "MO store: slot 0", new byte[0]);
        ef(sb, 0x6439, 10, 2048, "adm|dm", "MO store: slot 1", mo);
        byte[] fumo = ProfileCodec.encode(fumoPolicy());
        // profile 1.2: only the card (FUMO COMMIT, FUMO POLICY UPDATE) and the issuer's ADM key change it
        ef(sb, 0x643A, 11, 96, "adm", "FUMO policy: control (kept by the card)", control(1024, 0x643B, 0x643C, fumo));
        ef(sb, 0x643B, 12, 1024, "adm", "FUMO policy: slot 0", new byte[0]);
        ef(sb, 0x643C, 13, 1024, "adm", "FUMO policy: slot 1", fumo);
        sb.append("  }\n");
        sb.append("  # END generated\n");
        return sb.toString();
    }

    private static void ef(StringBuilder sb, int fid, int sfi, int size, String update, String label, byte[] data) {
        sb.append(String.format("    ef %04X transparent%s sfi=%d%s read=always update=%s label=\"%s\"", fid,
                size < 0 ? "" : " size=" + size, sfi, size < 0 ? "" : " fill=00", update, label));
        if (data.length == 0) {
            sb.append('\n');
            return;
        }
        sb.append(" {\n");
        for (int i = 0; i < data.length; i += 32) {
            byte[] row = java.util.Arrays.copyOfRange(data, i, Math.min(data.length, i + 32));
            StringBuilder hex = new StringBuilder();
            for (byte b : row) {
                hex.append(hex.length() == 0 ? "" : " ").append(String.format("%02X", b & 0xFF));
            }
            sb.append("      data hex ").append(hex).append('\n');
        }
        sb.append("    }\n");
    }

    // ---------------------------------------------------------------- helpers

    static byte[] der(ASN1Encodable e) {
        try {
            return e.toASN1Primitive().getEncoded("DER");
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    static byte[] concat(byte[]... parts) {
        List<Byte> out = new ArrayList<>();
        for (byte[] p : parts) {
            for (byte b : p) {
                out.add(b);
            }
        }
        byte[] r = new byte[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = out.get(i);
        }
        return r;
    }

    static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        return ProfileCodec.sha256(data);
    }
}
