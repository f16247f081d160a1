package org.cardinaldm.smartcard.sim.internal.fumo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardImageCodec;
import org.cardinaldm.smartcard.sim.internal.card.Uicc;
import org.cardinaldm.smartcard.sim.internal.image.MemoryImageStore;

/**
 * The demo card in memory with what a device, a server and the signers do to it in the FUMO tests: the device
 * key, a server verified on the basic channel, manifests and their signed attributes built with the card's own
 * DER helpers, signatures with JCA keys (the demo signer's and fresh ones), and the commands' APDUs.
 */
final class FumoCardKit {
    static final HexFormat HEX = HexFormat.of().withUpperCase();
    static final String DEVICE_KEY = "63617264696E616C2D64656D6F2D646B";
    static final String DEVICE_CLASS = "Cardinal/Gateway";

    final MemoryImageStore memory;
    final SimCardHandle handle;
    Uicc card;

    FumoCardKit() throws Exception {
        CardImage image = SimCardHandle.personalisation(null);
        memory = new MemoryImageStore(CardImageCodec.encode(image));
        handle = SimCardHandle.inMemory(image, memory);
        card = handle.uicc();
        card.powerOn();
    }

    /** The card pulled and inserted again from its stored image (after a tear). */
    void reinsert() throws Exception {
        CardImage image = CardImageCodec.decode(memory.load().orElseThrow());
        SimCardHandle h = SimCardHandle.inMemory(image, memory);
        card = h.uicc();
        card.powerOn();
    }

    ResponseApdu send(String hex) {
        return ResponseApdu.parse(card.transmit(HEX.parseHex(hex.replace(" ", ""))));
    }

    ResponseApdu send(int ins, int p1, int p2, byte[] data, boolean le) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x80, (byte) ins, (byte) p1, (byte) p2});
        if (data.length > 0) {
            out.write(data.length);
            out.writeBytes(data);
        }
        if (le) {
            out.write(0);
        }
        return ResponseApdu.parse(card.transmit(out.toByteArray()));
    }

    void device() {
        assertThat(send("80 20 00 00 10 " + DEVICE_KEY).sw()).isEqualTo(0x9000);
    }

    /** The device key, then the demo server verified by the card on the basic channel (the dm state). */
    void server() throws Exception {
        device();
        byte[] challenge = send("80 38 00 03 10").data();
        byte[] user = Base64.getEncoder().encode(md5("cardinal-dms:cardinal-dms-demo-secret".getBytes(StandardCharsets.UTF_8)));
        byte[] digest = md5(user, ":".getBytes(StandardCharsets.US_ASCII), challenge);
        byte[] data = concat(tlv(0x80, challenge), tlv(0x82, digest));
        assertThat(send(0x34, 0x01, 0x03, data, false).sw()).isEqualTo(0x9000);
    }

    byte[] admit() {
        ResponseApdu r = send(0x3A, 0, 0, "cardinal-dms".getBytes(StandardCharsets.UTF_8), true);
        assertThat(r.sw()).as("ADMIT").isEqualTo(0x9000);
        return r.data();
    }

    /** Sends a chained input in blocks of 255 bytes; the last asks for the answer. */
    ResponseApdu chained(int ins, byte[] input) {
        int blocks = Math.max(1, (input.length + 254) / 255);
        ResponseApdu r = null;
        for (int b = 0; b < blocks; b++) {
            byte[] part = java.util.Arrays.copyOfRange(input, b * 255, Math.min(input.length, (b + 1) * 255));
            boolean last = b == blocks - 1;
            r = send(ins, last ? 0 : 0x80, b, part, last);
            if (!last && r.sw() != 0x9000) {
                return r;
            }
        }
        return r;
    }

    // ---------------------------------------------------------------- manifests and signatures

    static byte[] manifest(int kind, List<String> classes, Long counter) {
        byte[][] cls = classes.stream().map(Der::utf8).toArray(byte[][]::new);
        List<byte[]> parts = new ArrayList<>(List.of(Der.integer(0x02, 1), Der.tlv(0x0A, new byte[] {(byte) kind}),
                Der.utf8("gateway"), Der.tlv(0x30, Der.utf8("1.1.0"), Der.tlv(0x30, Der.integer(0x02, 1))),
                Der.tlv(0x30, cls), Der.integer(0x02, 4), Der.tlv(0x04, new byte[32])));
        if (counter != null) {
            parts.add(Der.integer(0x80, counter));
        }
        return Der.tlv(0x30, parts.toArray(byte[][]::new));
    }

    static byte[] firmware(long counter) {
        return manifest(1, List.of(DEVICE_CLASS), counter);
    }

    static byte[] signedAttributes(byte[] manifest) {
        byte[] contentType = Der.tlv(0x30, HEX.parseHex("06092A864886F70D010903"), Der.tlv(0x31, FumoAuthorise.MANIFEST_OID));
        byte[] digest = Der.tlv(0x30, HEX.parseHex("06092A864886F70D010904"), Der.tlv(0x31, Der.tlv(0x04, sha256(manifest))));
        return Der.tlv(0x31, contentType, digest);
    }

    static byte[] sign(PrivateKey key, byte[] data) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(data);
        return s.sign();
    }

    static byte[] signer(int index, byte[] attributes, byte[] signature) {
        return Der.tlv(0xE0, Der.tlv(0x80, new byte[] {(byte) index}), Der.tlv(0x81, attributes), Der.tlv(0x82, signature));
    }

    static byte[] authoriseInput(byte[] handle, byte[] manifest, byte[] nonce, String deviceClass, byte[]... signers) {
        byte[] head = concat(Der.tlv(0xC0, handle), Der.tlv(0xC1, manifest), Der.tlv(0xC2, nonce),
                Der.tlv(0xC3, deviceClass.getBytes(StandardCharsets.UTF_8)));
        return concat(head, concat(signers));
    }

    /** AUTHORISE with signatures of the given keys at the given indexes. */
    ResponseApdu authorise(byte[] handle, byte[] manifest, byte[] nonce, Object... indexAndKey) throws Exception {
        byte[] attrs = signedAttributes(manifest);
        List<byte[]> signers = new ArrayList<>();
        for (int i = 0; i < indexAndKey.length; i += 2) {
            signers.add(signer((Integer) indexAndKey[i], attrs, sign((PrivateKey) indexAndKey[i + 1], attrs)));
        }
        return chained(0x3C, authoriseInput(handle, manifest, nonce, DEVICE_CLASS, signers.toArray(byte[][]::new)));
    }

    ResponseApdu commit(byte[] cardNonce, byte[] manifest, long counter) {
        byte[] data = ByteBuffer.allocate(56).put(cardNonce).put(sha256(manifest)).putLong(counter).array();
        return send(0x3E, 0, 0, data, true);
    }

    /** @return the counter of the FUMO policy the card keeps in its files */
    CardFumoPolicy policy() throws Exception {
        return CardFumoPolicy.read(card.snapshot());
    }

    // ---------------------------------------------------------------- keys

    static KeyPair demoSigner() throws Exception {
        return pair("demo-fumo-signer.pem");
    }

    static KeyPair issuer() throws Exception {
        return pair("demo-fumo-issuer.pem");
    }

    static PublicKey cardAuthorisationKey() throws Exception {
        return pair("demo-card-fumo-auth.pem").getPublic();
    }

    private static KeyPair pair(String resource) throws Exception {
        String pem;
        try (InputStream in = SimCardHandle.class.getResourceAsStream(resource)) {
            pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body)));
        return new KeyPair(publicOf((java.security.interfaces.ECPrivateKey) key), key);
    }

    /**
     * The public key of a demo private key: JCA has no point multiplication, and the PEM files carry PKCS#8 without
     * the public key, so it is found among the published demo SPKIs by a signature check.
     */
    private static PublicKey publicOf(java.security.interfaces.ECPrivateKey key) throws Exception {
        byte[] probe = "probe".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = sign(key, probe);
        for (String spki : KNOWN_SPKIS) {
            PublicKey p = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(HEX.parseHex(spki)));
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(p);
            s.update(probe);
            if (s.verify(sig)) {
                return p;
            }
        }
        throw new IOException("unknown demo key");
    }

    private static final List<String> KNOWN_SPKIS = List.of(
            // demo card fumo-auth
            "3059301306072A8648CE3D020106082A8648CE3D03010703420004E95373FEB29726C3015A384B78A372A091322462908D3AF765D16D"
                    + "B66FC524BD67588D3891AEC8F27765C7866FCDE6D7F2E9AE4C37C213DBCD46ED3DA07FD65C",
            // demo FUMO signer (the certificate in 4403)
            "3059301306072A8648CE3D020106082A8648CE3D03010703420004F7E03802E7B93F0036C7B35BA1BF1379D8ED0E45412FD00D1AF080"
                    + "815D044A1EB947AF7EBEABC2560E804B1B1BCEA9A3E63AD5F9F5D31CFB19EAC9C841C10759",
            // demo issuer
            "3059301306072A8648CE3D020106082A8648CE3D030107034200041CDE8546829F3C0507C37172D709C087DEB13F78E25A8B0E12587A"
                    + "3F0CBAAFF83263B6805C7567D08808FBFB0350503EE4C96E5140D9FD3124D89F62BD00824A");

    static KeyPair fresh() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    // ---------------------------------------------------------------- policy changes

    static byte[] change(List<PublicKey> signers, int threshold, List<String> servers, long counter) {
        byte[][] keys = signers.stream().map(PublicKey::getEncoded).toArray(byte[][]::new);
        byte[][] ids = servers.stream().map(Der::utf8).toArray(byte[][]::new);
        return Der.tlv(0x30, Der.tlv(0x30, keys), Der.integer(0x02, threshold), Der.tlv(0x30, ids),
                Der.integer(0x02, counter));
    }

    byte[] fumoChallenge() {
        ResponseApdu r = send(0x42, 0, 0, new byte[0], true);
        assertThat(r.sw()).isEqualTo(0x9000);
        return r.data();
    }

    static byte[] cardId() {
        return HEX.parseHex("989400000000000010F2");
    }

    /** A policy update signed by (index, key) pairs over this card's id and the given challenge. */
    ResponseApdu updatePolicy(byte[] change, byte[] challenge, Object... indexAndKey) throws Exception {
        byte[] signed = FumoPolicyUpdate.signedBytes(cardId(), challenge, change);
        List<byte[]> parts = new ArrayList<>();
        parts.add(Der.tlv(0xC5, change));
        for (int i = 0; i < indexAndKey.length; i += 2) {
            parts.add(Der.tlv(0xE0, Der.tlv(0x80, new byte[] {(byte) (int) (Integer) indexAndKey[i]}),
                    Der.tlv(0x82, sign((PrivateKey) indexAndKey[i + 1], signed))));
        }
        return chained(0x44, concat(parts.toArray(byte[][]::new)));
    }

    // ---------------------------------------------------------------- bytes

    static byte[] tlv(int tag, byte[] value) {
        return Der.tlv(tag, value);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] sha256(byte[] data) {
        return CardCrypto.sha256(data);
    }

    static byte[] md5(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    static byte[] authorisationSignedBytes(byte[] manifest, long counter, byte[] installerNonce, byte[] cardNonce) {
        return ByteBuffer.allocate(15 + 32 + 8 + 32).put("CDM-FUMO-AUTH-1".getBytes(StandardCharsets.US_ASCII))
                .put(sha256(manifest)).putLong(counter).put(installerNonce).put(cardNonce).array();
    }
}
