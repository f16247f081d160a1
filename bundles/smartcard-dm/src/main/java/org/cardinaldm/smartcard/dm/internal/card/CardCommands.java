package org.cardinaldm.smartcard.dm.internal.card;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.internal.profile.Cardinal;

/**
 * The credential commands of the profile: COMPUTE DM DIGEST, VERIFY SERVER DIGEST and END DM SESSION. The
 * device sends the nonce and, for the HMAC form, MD5 of the message body; the card answers with or checks
 * the digest. Nonces and digests never reach a log.
 */
public final class CardCommands {
    private CardCommands() {
    }

    /**
     * @param io the channel
     * @param keyReference the card key of the client credential
     * @param type the digest
     * @param nonce the nonce bytes, at most 200
     * @param body the message body, for HMAC
     * @return the 16-byte digest
     * @throws SmartCardException if the card refuses or answers something else than 16 bytes
     */
    public static byte[] computeDigest(CardIo io, int keyReference, DigestType type, byte[] nonce, byte[] body)
            throws SmartCardException {
        ResponseApdu r = io.send(CommandApdu.of(Cardinal.CLA, Cardinal.INS_COMPUTE_DIGEST, type.cardCode(), keyReference,
                data(type, nonce, body, null), 256));
        r.requireSuccess("COMPUTE DM DIGEST");
        if (r.length() != 16) {
            throw new SmartCardException(SmartCardException.Code.PROTOCOL_ERROR,
                    "COMPUTE DM DIGEST answered " + r.length() + " bytes instead of 16");
        }
        return r.data();
    }

    /**
     * @param io the channel
     * @param keyReference the card key of the server credential
     * @param type the digest
     * @param nonce the nonce
     * @param body the message body, for HMAC
     * @param digest the server's digest, 16 bytes
     * @return whether the card accepted it (and opened its {@code dm} state)
     * @throws SmartCardException {@link SmartCardException.Code#AUTHENTICATION_BLOCKED} or another refusal
     */
    public static boolean verifyServer(CardIo io, int keyReference, DigestType type, byte[] nonce, byte[] body,
            byte[] digest) throws SmartCardException {
        if (digest.length != 16) {
            return false;
        }
        ResponseApdu r = io.send(CommandApdu.of(Cardinal.CLA, Cardinal.INS_VERIFY_SERVER, type.cardCode(), keyReference,
                data(type, nonce, body, digest)));
        if (r.isSuccess()) {
            return true;
        }
        if ((r.sw() & 0xFFF0) == StatusWord.VERIFY_FAILED) {
            return false;
        }
        throw SmartCardException.forStatus(r.sw(), "VERIFY SERVER DIGEST");
    }

    /**
     * @param io the channel
     * @throws SmartCardException if the card refuses
     */
    public static void endSession(CardIo io) throws SmartCardException {
        io.send(CommandApdu.of(Cardinal.CLA, Cardinal.INS_END_SESSION, 0, 0)).requireSuccess("END DM SESSION");
    }

    private static byte[] data(DigestType type, byte[] nonce, byte[] body, byte[] digest) {
        if (nonce.length > 200) {
            throw new IllegalArgumentException("Nonce longer than 200 bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tlv(out, Cardinal.TAG_NONCE, nonce);
        if (type == DigestType.HMAC) {
            tlv(out, Cardinal.TAG_BODY_MD5, md5(body == null ? new byte[0] : body));
        }
        if (digest != null) {
            tlv(out, Cardinal.TAG_DIGEST, digest);
        }
        return out.toByteArray();
    }

    private static void tlv(ByteArrayOutputStream out, int tag, byte[] value) {
        out.write(tag);
        if (value.length > 0x7F) {
            out.write(0x81);
        }
        out.write(value.length);
        out.writeBytes(value);
    }

    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
