package org.cardinaldm.smartcard.sim.internal.fumo;

import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.SW_FUMO_MISMATCH;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.SW_FUMO_NOT_ACCEPTABLE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.SW_FUMO_SIGNATURE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.USAGE_FUMO_AUTH;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandContext;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandException;

/**
 * FUMO AUTHORISE (docs/smartcard-profile.md A8.7): the card verifies a firmware manifest's signatures with the
 * signer keys it holds and its own crypto, applies its threshold, the device class and its anti-rollback
 * counter, and signs the authorisation with its {@code fumo-auth} key.
 *
 * <p>Input, in one or more blocks ({@link FumoApplet#chained}), BER-TLV:
 * <pre>
 * C0 08 handle              the admission (FUMO ADMIT)
 * C1 L  manifest            DER CardinalPackageManifest, the CMS eContent
 * C2 10 installer nonce
 * C3 L  device class        UTF-8, DevInfo Man/Mod
 * E0 L  { 80 01 index  81 L signedAttrs  82 L signature }   per signer, 1..8: index into the card's signer keys,
 *                           the DER SET of the SignerInfo's signed attributes, the DER ECDSA signature
 * </pre>
 * Checks, in this order: the admission ({@code 6A88} unknown, {@code 6985} already committed); every presented
 * signature: content type = the manifest OID and message digest = SHA-256 of the manifest in its signed
 * attributes, ECDSA P-256/SHA-256 with the indexed key; at least {@code threshold} distinct signers
 * ({@code 6F04} for any failure); the manifest's version, kind firmware and the device class among its classes
 * ({@code 6F03}); its security counter present and not below the card's ({@code 6F05}). Then the authorisation
 * is recorded against the admission (same commit) and the card answers its nonce (16) and its signature over
 * {@code "CDM-FUMO-AUTH-1" | SHA-256(manifest) | counter (8) | installer nonce | card nonce}.
 */
final class FumoAuthorise {
    /** DER of the manifest's content type, id-cardinal-package-manifest (C.2.1). */
    static final byte[] MANIFEST_OID = HexFormat.of().parseHex("061569FC9BA3E4F580BAA2A5B1D5A0AFF3EBAC816B0201");
    private static final byte[] CONTENT_TYPE = HexFormat.of().parseHex("06092A864886F70D010903");
    private static final byte[] MESSAGE_DIGEST = HexFormat.of().parseHex("06092A864886F70D010904");
    private static final byte[] LABEL = "CDM-FUMO-AUTH-1".getBytes(StandardCharsets.US_ASCII);

    private FumoAuthorise() {
    }

    private record Signer(int index, byte[] signedAttributes, byte[] signature) {
    }

    static ResponseApdu process(CommandContext context, CommandApdu c) throws CommandException {
        FumoApplet.requireDevice(context);
        Optional<byte[]> input = FumoApplet.chained(context, c);
        if (input.isEmpty()) {
            return ResponseApdu.of(StatusWord.NO_ERROR);
        }
        byte[] handle = null;
        byte[] manifest = null;
        byte[] installerNonce = null;
        String deviceClass = null;
        List<Signer> signers = new ArrayList<>();
        try {
            for (Der.Reader r = new Der.Reader(input.get()); r.hasMore();) {
                Der.Element e = r.next();
                switch (e.tag()) {
                    case 0xC0 -> handle = once(handle, e.value());
                    case 0xC1 -> manifest = once(manifest, e.value());
                    case 0xC2 -> installerNonce = once(installerNonce, e.value());
                    case 0xC3 -> deviceClass = Der.single(Der.tlv(0x0C, once(deviceClass == null ? null : new byte[0],
                            e.value()))).utf8();
                    case 0xE0 -> signers.add(signer(e));
                    default -> throw new Der.Malformed("unknown tag");
                }
            }
            if (handle == null || handle.length != Admission.HANDLE || manifest == null || installerNonce == null
                    || installerNonce.length != 16 || deviceClass == null || deviceClass.isEmpty()
                    || signers.isEmpty() || signers.size() > CardFumoPolicy.MAX_SIGNERS) {
                throw new Der.Malformed("missing or wrong-length element");
            }
        } catch (Der.Malformed e) {
            throw new CommandException(StatusWord.INCORRECT_DATA);
        }
        Admission admission = Admission.byHandle(context.image(), handle)
                .orElseThrow(() -> new CommandException(StatusWord.REFERENCED_DATA_NOT_FOUND));
        if (admission.state() == Admission.COMMITTED) {
            throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
        CardFumoPolicy policy = CardFumoPolicy.read(context.image());
        byte[] sha = CardCrypto.sha256(manifest);
        checkSignatures(policy, signers, sha);
        long counter = checkManifest(manifest, deviceClass, policy);

        byte[] signed = ByteBuffer.allocate(LABEL.length + 32 + 8 + 32).put(LABEL).put(sha).putLong(counter)
                .put(installerNonce).put(admission.nonce()).array();
        byte[] signature = CardCrypto.sign(FumoApplet.keyOfUsage(context.image(), USAGE_FUMO_AUTH).secret(), signed);
        admission.authorised(sha, counter).store(context.image());
        context.commit();
        byte[] out = ByteBuffer.allocate(16 + signature.length).put(admission.nonce()).put(signature).array();
        return ResponseApdu.of(out, StatusWord.NO_ERROR);
    }

    private static byte[] once(byte[] previous, byte[] value) throws Der.Malformed {
        if (previous != null) {
            throw new Der.Malformed("element given twice");
        }
        return value;
    }

    private static Signer signer(Der.Element e) throws Der.Malformed {
        Der.Reader r = e.children();
        byte[] index = r.next().expect(0x80).value();
        byte[] attributes = r.next().expect(0x81).value();
        byte[] signature = r.next().expect(0x82).value();
        r.end();
        if (index.length != 1) {
            throw new Der.Malformed("signer index");
        }
        return new Signer(index[0] & 0xFF, attributes, signature);
    }

    /** Every presented signature must verify; together at least the threshold of distinct signers. */
    private static void checkSignatures(CardFumoPolicy policy, List<Signer> signers, byte[] sha) throws CommandException {
        Set<Integer> distinct = new HashSet<>();
        for (Signer s : signers) {
            if (s.index >= policy.signerKeys().size() || !attributesBind(s.signedAttributes, sha)) {
                throw new CommandException(SW_FUMO_SIGNATURE);
            }
            PublicKey key;
            try {
                key = CardCrypto.p256(policy.signerKeys().get(s.index));
            } catch (Der.Malformed e) {
                throw new CommandException(SW_FUMO_SIGNATURE);
            }
            if (!CardCrypto.verifies(key, s.signedAttributes, s.signature)) {
                throw new CommandException(SW_FUMO_SIGNATURE);
            }
            distinct.add(s.index);
        }
        if (distinct.size() < policy.threshold()) {
            throw new CommandException(SW_FUMO_SIGNATURE);
        }
    }

    /**
     * @return whether the signed attributes (a DER SET) carry exactly one content type, the manifest's, and
     *         exactly one message digest, the manifest's SHA-256
     */
    static boolean attributesBind(byte[] attributes, byte[] sha) {
        int contentTypes = 0;
        int digests = 0;
        try {
            for (Der.Reader r = Der.single(attributes).expect(0x31).children(); r.hasMore();) {
                Der.Reader attribute = r.next().expect(0x30).children();
                byte[] type = attribute.next().expect(0x06).encoded();
                Der.Reader values = attribute.next().expect(0x31).children();
                attribute.end();
                if (MessageDigest.isEqual(type, CONTENT_TYPE)) {
                    contentTypes++;
                    if (!MessageDigest.isEqual(values.next().expect(0x06).encoded(), MANIFEST_OID) || values.hasMore()) {
                        return false;
                    }
                } else if (MessageDigest.isEqual(type, MESSAGE_DIGEST)) {
                    digests++;
                    if (!MessageDigest.isEqual(values.next().expect(0x04).value(), sha) || values.hasMore()) {
                        return false;
                    }
                }
            }
        } catch (Der.Malformed e) {
            return false;
        }
        return contentTypes == 1 && digests == 1;
    }

    /** @return the manifest's security counter, after the kind, device class and rollback checks */
    private static long checkManifest(byte[] manifest, String deviceClass, CardFumoPolicy policy) throws CommandException {
        try {
            Der.Reader m = Der.single(manifest).expect(0x30).children();
            if (m.next().nonNegative() != 1) {
                throw new Der.Malformed("manifest version");
            }
            byte[] kind = m.next().expect(0x0A).value();
            m.next().utf8(); // name
            m.next().expect(0x30); // packageVersion
            List<String> classes = new ArrayList<>();
            for (Der.Reader r = m.next().expect(0x30).children(); r.hasMore();) {
                classes.add(r.next().utf8());
            }
            m.next().nonNegative(); // payloadLength
            m.next().expect(0x04); // payloadSha256
            long counter = -1;
            if (m.peekTag() == 0x80) {
                counter = Der.single(Der.tlv(0x02, m.next().value())).nonNegative();
            }
            if (kind.length != 1 || kind[0] != 1 || !classes.contains(deviceClass)) {
                throw new CommandException(SW_FUMO_MISMATCH);
            }
            if (counter < 0 || counter < policy.counter()) {
                throw new CommandException(SW_FUMO_NOT_ACCEPTABLE);
            }
            return counter;
        } catch (Der.Malformed e) {
            throw new CommandException(StatusWord.INCORRECT_DATA);
        }
    }
}
