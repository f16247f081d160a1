package org.cardinaldm.smartcard.bootstrap.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Path;
import org.cardinaldm.smartcard.dm.internal.profile.Cardinal;
import org.cardinaldm.smartcard.dm.internal.profile.ProfileCodec;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.profile.ProfileParser;

/**
 * An issuer's tool for tests: writes the personalisation profile of a software UICC that follows Cardinal's
 * DM smart-card profile (EF.DIR, PKCS#15 ODF/DODF, the WBXML bootstrap message, EF.DMKEYS, the tear-safe card
 * policy, EF.DMSTATE filled by the card) with the real codecs, for any servers, secrets and policy.
 */
final class TestCard {
    static final HexFormat HEX = HexFormat.of().withUpperCase();
    static final byte[] ADM_KEY = HEX.parseHex("000102030405060708090A0B0C0D0E0F");
    static final int BOOT_FID = 0x6431;
    static final int BOOT_SIZE = 2048;

    private final String iccid;
    private final List<TestServer> servers = new ArrayList<>();
    private boolean withBootstrap = true;
    private CardPolicy policy = CardPolicy.defaults();
    private final List<TestServer> bootstrapOnly = new ArrayList<>();

    /** @param iccid 20 hex digits, the card id */
    TestCard(String iccid) {
        this.iccid = iccid;
    }

    TestCard server(TestServer s) {
        servers.add(s);
        return this;
    }

    /** An account in the bootstrap whose credentials the card does not hold. */
    TestCard bootstrapAccount(TestServer s) {
        bootstrapOnly.add(s);
        return this;
    }

    TestCard keyOnly() {
        withBootstrap = false;
        return this;
    }

    TestCard policy(CardPolicy p) {
        policy = p;
        return this;
    }

    String cardId() {
        return iccid;
    }

    static TestServer server(String id, String address, String authType) {
        return TestServer.of(id, address, authType);
    }

    // ------------------------------------------------------------------------------ the profile

    CardImage image() throws Exception {
        return SimCardHandle.dmPersonalised(new ProfileParser(null).parse(profile()));
    }

    String profile() {
        StringBuilder sb = new StringBuilder();
        sb.append("cardinal-uicc-profile 1\n");
        sb.append("card protocol=T=1 channels=4 atr=auto\n");
        sb.append("key 01 usage=adm value=").append(HEX.formatHex(ADM_KEY)).append(" retries=10\n");
        // the device key (profile 1.1), the demo card's published value, as the rig's DM card service holds it
        sb.append("key 1F usage=dm-device value=63617264696E616C2D64656D6F2D646B retries=3\n");
        int ref = 2;
        List<CardCredential> creds = new ArrayList<>();
        for (TestServer s : servers) {
            Set<DigestType> d = EnumSet.of(DigestType.MD5, DigestType.HMAC);
            sb.append(String.format("key %02X usage=dm-client value=%s retries=15%n", ref,
                    HEX.formatHex(md5(s.clientName() + ":" + s.clientSecret()))));
            creds.add(CardCredential.of(s.serverId(), CardCredential.Level.CLIENT, s.clientName(), ref++, d));
            sb.append(String.format("key %02X usage=dm-server value=%s retries=10%n", ref,
                    HEX.formatHex(md5(s.serverName() + ":" + s.serverSecret()))));
            creds.add(CardCredential.of(s.serverId(), CardCredential.Level.SERVER, s.serverName(), ref++, d));
        }
        sb.append("mf {\n");
        ef(sb, "  ", 0x2FE2, -1, -1, "never", HEX.parseHex(iccid));
        sb.append("  ef 2F00 linear-fixed record-size=40 records=4 sfi=30 read=always update=adm {\n");
        sb.append("    record 1 hex ").append(spaced(HEX.parseHex(
                "611E4F0CA000000063504B43532D3135500843415244494E414C51043F005015"))).append("\n  }\n");
        sb.append("  df 5015 aid=A000000063504B43532D3135 label=\"PKCS#15\" {\n");
        ef(sb, "    ", 0x5031, 17, 32, "adm", der(new DERTaggedObject(true, 7, ProfileCodec.path(Pkcs15Path.ofFid(0x6430)))));
        List<byte[]> dodf = new ArrayList<>();
        if (withBootstrap) {
            dodf.add(oidObject(Pkcs15.OID_DM_BOOTSTRAP, BOOT_FID));
        }
        dodf.add(oidObject(Cardinal.OID_POLICY, 0x6434));
        dodf.add(oidObject(Cardinal.OID_CREDENTIALS, 0x6433));
        dodf.add(oidObject(Cardinal.OID_STATE, 0x6432));
        ef(sb, "    ", 0x6430, 1, 512, "adm", concat(dodf));
        if (withBootstrap) {
            ef(sb, "    ", BOOT_FID, 2, BOOT_SIZE, "adm|dm", bootstrap());
        }
        ef(sb, "    ", 0x6432, 3, 160, "never", new byte[0]);
        ef(sb, "    ", 0x6433, 4, 256, "adm", ProfileCodec.encode(creds));
        byte[] pol = ProfileCodec.encode(policy);
        byte[] control = ProfileCodec.encode(ProfileCodec.empty(128,
                List.of(Pkcs15Path.ofFid(0x6435), Pkcs15Path.ofFid(0x6436))).next(pol));
        ef(sb, "    ", 0x6434, 5, 96, "adm", control);
        ef(sb, "    ", 0x6435, 6, 128, "adm", new byte[0]);
        ef(sb, "    ", 0x6436, 7, 128, "adm", pol);
        sb.append("  }\n}\n");
        return sb.toString();
    }

    /** The card's WBXML bootstrap message: one DMAcc per server, no secrets. */
    byte[] bootstrap() {
        List<TestServer> all = new ArrayList<>(servers);
        all.addAll(bootstrapOnly);
        return bootstrap(all);
    }

    static byte[] bootstrap(List<TestServer> all) {
        return TestServer.bootstrap(all);
    }

    // ------------------------------------------------------------------------------ helpers

    private static byte[] oidObject(String oid, int fid) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new DERSequence());
        v.add(new DERSequence());
        ASN1EncodableVector oidDo = new ASN1EncodableVector();
        oidDo.add(new ASN1ObjectIdentifier(oid));
        oidDo.add(ProfileCodec.path(Pkcs15Path.ofFid(fid)));
        v.add(new DERTaggedObject(true, 1, new DERSequence(oidDo)));
        return der(new DERTaggedObject(false, 1, new DERSequence(v)));
    }

    private static void ef(StringBuilder sb, String indent, int fid, int sfi, int size, String update, byte[] data) {
        sb.append(indent).append(String.format("ef %04X transparent", fid));
        if (size > 0) {
            sb.append(" size=").append(size).append(" fill=00");
        }
        if (sfi > 0) {
            sb.append(" sfi=").append(sfi);
        }
        sb.append(" read=always update=").append(update);
        if (data.length == 0) {
            sb.append('\n');
            return;
        }
        sb.append(" {\n");
        for (int i = 0; i < data.length; i += 32) {
            sb.append(indent).append("  data hex ")
                    .append(spaced(java.util.Arrays.copyOfRange(data, i, Math.min(data.length, i + 32)))).append('\n');
        }
        sb.append(indent).append("}\n");
    }

    private static String spaced(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(s.length() == 0 ? "" : " ").append(String.format("%02X", x & 0xFF));
        }
        return s.toString();
    }

    static byte[] der(ASN1Encodable e) {
        try {
            return e.toASN1Primitive().getEncoded("DER");
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] md5(String text) {
        try {
            return MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
