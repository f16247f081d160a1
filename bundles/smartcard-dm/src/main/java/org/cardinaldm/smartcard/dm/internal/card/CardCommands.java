package org.cardinaldm.smartcard.dm.internal.card;

import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.CLA;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_COMPUTE_DIGEST;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_END_SESSION;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_SERVER_CHALLENGE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_VERIFY_DEVICE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_VERIFY_SERVER;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.P1_NOTIFICATION;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.TAG_BODY_MD5;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.TAG_DIGEST;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.TAG_NONCE;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.dm.api.DigestType;

/**
 * The credential commands of the profile: COMPUTE DM DIGEST, VERIFY SERVER DIGEST (session and notification
 * forms), END DM SESSION, and, since profile 1.1, VERIFY of the device key and GET SERVER CHALLENGE. The
 * device sends the nonce and, for the HMAC form, MD5 of the message body; the card answers with or checks
 * the digest. Nonces, digests and the device key never reach a log or an exception message.
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
        ResponseApdu r = io.send(CommandApdu.of(CLA, INS_COMPUTE_DIGEST, type.cardCode(), keyReference,
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
        ResponseApdu r = io.send(CommandApdu.of(CLA, INS_VERIFY_SERVER, type.cardCode(), keyReference,
                data(type, nonce, body, digest)));
        if (r.isSuccess()) {
            return true;
        }
        if ((r.sw() & 0xFFF0) == StatusWord.VERIFY_FAILED || r.sw() == StatusWord.CONDITIONS_NOT_SATISFIED) {
            return false; // 6985: not the card's challenge (or it was used up); no try spent
        }
        throw SmartCardException.forStatus(r.sw(), "VERIFY SERVER DIGEST");
    }

    /**
     * VERIFY SERVER DIGEST, notification form ({@code P1 12}): match or no match, the {@code dm} state untouched.
     *
     * @param io the channel
     * @param keyReference the card key of the server credential
     * @param nonce the nonce the package 0 was computed with
     * @param trigger the trigger bytes the digest covers
     * @param digest the package 0's 16-byte digest
     * @return whether it matches ({@code 6985}, a package 0 the card already saw for its challenge, is no match)
     * @throws SmartCardException {@link SmartCardException.Code#AUTHENTICATION_BLOCKED} or another refusal
     */
    public static boolean verifyNotification(CardIo io, int keyReference, byte[] nonce, byte[] trigger, byte[] digest)
            throws SmartCardException {
        if (digest.length != 16) {
            return false;
        }
        ResponseApdu r = io.send(CommandApdu.of(CLA, INS_VERIFY_SERVER, P1_NOTIFICATION,
                keyReference, data(DigestType.HMAC, nonce, trigger, digest)));
        if (r.isSuccess()) {
            return true;
        }
        if ((r.sw() & 0xFFF0) == StatusWord.VERIFY_FAILED || r.sw() == StatusWord.CONDITIONS_NOT_SATISFIED) {
            return false;
        }
        throw SmartCardException.forStatus(r.sw(), "VERIFY SERVER DIGEST (notification)");
    }

    /**
     * GET SERVER CHALLENGE: the nonce the server must use for its next credential.
     *
     * @param io the channel
     * @param keyReference the card key of the server credential
     * @return the 16-byte challenge
     * @throws SmartCardException if the card refuses
     */
    public static byte[] serverChallenge(CardIo io, int keyReference) throws SmartCardException {
        ResponseApdu r = io.send(CommandApdu.of(CLA, INS_SERVER_CHALLENGE, 0, keyReference, 16));
        r.requireSuccess("GET SERVER CHALLENGE");
        if (r.length() != 16) {
            throw new SmartCardException(SmartCardException.Code.PROTOCOL_ERROR,
                    "GET SERVER CHALLENGE answered " + r.length() + " bytes instead of 16");
        }
        return r.data();
    }

    /**
     * VERIFY of the device key ({@code 80 20 00 00}) on the channel's card session.
     *
     * @param io the channel
     * @param deviceKey the key value
     * @throws SmartCardException {@link SmartCardException.Code#AUTHENTICATION_FAILED} for a wrong key (the
     *         message gives the tries left), {@link SmartCardException.Code#AUTHENTICATION_BLOCKED}, or another
     *         refusal
     */
    public static void verifyDevice(CardIo io, byte[] deviceKey) throws SmartCardException {
        ResponseApdu r = io.send(CommandApdu.of(CLA, INS_VERIFY_DEVICE, 0, 0, deviceKey));
        if ((r.sw() & 0xFFF0) == StatusWord.VERIFY_FAILED) {
            throw new SmartCardException(SmartCardException.Code.AUTHENTICATION_FAILED,
                    "The card refused the configured device key (" + (r.sw() & 0x0F) + " tries left)");
        }
        r.requireSuccess("VERIFY (device key)");
    }

    /**
     * Forgets the device key on the channel's card session ({@code 80 20 FF 00}).
     *
     * @param io the channel
     * @throws SmartCardException if the card refuses
     */
    public static void forgetDevice(CardIo io) throws SmartCardException {
        io.send(CommandApdu.of(CLA, INS_VERIFY_DEVICE, 0xFF, 0)).requireSuccess("VERIFY (forget)");
    }

    /**
     * @param io the channel
     * @throws SmartCardException if the card refuses
     */
    public static void endSession(CardIo io) throws SmartCardException {
        io.send(CommandApdu.of(CLA, INS_END_SESSION, 0, 0)).requireSuccess("END DM SESSION");
    }

    private static byte[] data(DigestType type, byte[] nonce, byte[] body, byte[] digest) {
        if (nonce.length > 200) {
            throw new IllegalArgumentException("Nonce longer than 200 bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tlv(out, TAG_NONCE, nonce);
        if (type == DigestType.HMAC) {
            tlv(out, TAG_BODY_MD5, md5(body == null ? new byte[0] : body));
        }
        if (digest != null) {
            tlv(out, TAG_DIGEST, digest);
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
