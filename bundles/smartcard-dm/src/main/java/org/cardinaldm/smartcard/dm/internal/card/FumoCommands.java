package org.cardinaldm.smartcard.dm.internal.card;

import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.CLA;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_FUMO_ADMIT;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_FUMO_AUTHORISE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_FUMO_CHALLENGE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_FUMO_COMMIT;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_FUMO_POLICY;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_FUMO_RELEASE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.P1_MORE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.SW_FUMO_MISMATCH;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.SW_FUMO_NOT_ACCEPTABLE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.SW_FUMO_SIGNATURE;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.dm.api.CardFumo;
import org.cardinaldm.smartcard.dm.api.CardFumoException;

/**
 * The device side of the FUMO commands of profile 1.2 (docs/smartcard-profile.md A8.6-A8.9): builds the APDUs,
 * splits long inputs into blocks of {@value #BLOCK} bytes (short APDUs, so T=0 readers work; the card chains them by
 * P1/P2), and turns the card's verdicts into {@link CardFumoException}s. Nonces, handles and signatures never reach
 * a log or a message.
 */
public final class FumoCommands {
    /** Data bytes per APDU of a chained command. */
    public static final int BLOCK = 255;
    /** Longest chained input the card accepts. */
    public static final int MAX_INPUT = 4096;

    private FumoCommands() {
    }

    public static byte[] admit(CardIo io, String serverId) throws SmartCardException, CardFumoException {
        byte[] id = serverId.getBytes(StandardCharsets.UTF_8);
        if (id.length < 1 || id.length > 255) {
            throw new IllegalArgumentException("ServerID of 1..255 bytes");
        }
        ResponseApdu r = io.send(CommandApdu.of(CLA, INS_FUMO_ADMIT, 0, 0, id, 256));
        check(r, "FUMO ADMIT");
        if (r.length() != 8) {
            throw new SmartCardException(SmartCardException.Code.PROTOCOL_ERROR, "FUMO ADMIT answered " + r.length()
                    + " bytes instead of 8");
        }
        return r.data();
    }

    public static CardFumo.CardAuthorisation authorise(CardIo io, byte[] handle, byte[] manifest,
            List<CardFumo.ManifestSignature> signatures, String deviceClass, byte[] installerNonce)
            throws SmartCardException, CardFumoException {
        if (handle.length != 8 || installerNonce.length != 16 || signatures.isEmpty() || signatures.size() > 8) {
            throw new IllegalArgumentException("handle of 8 bytes, nonce of 16, 1..8 signatures");
        }
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        tlv(in, 0xC0, handle);
        tlv(in, 0xC1, manifest);
        tlv(in, 0xC2, installerNonce);
        tlv(in, 0xC3, deviceClass.getBytes(StandardCharsets.UTF_8));
        for (CardFumo.ManifestSignature s : signatures) {
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            tlv(one, 0x80, new byte[] {(byte) s.signerIndex()});
            tlv(one, 0x81, s.signedAttributes());
            tlv(one, 0x82, s.signature());
            tlv(in, 0xE0, one.toByteArray());
        }
        ResponseApdu r = chained(io, INS_FUMO_AUTHORISE, in.toByteArray(), "FUMO AUTHORISE");
        if (r.length() < 16 + 8) {
            throw new SmartCardException(SmartCardException.Code.PROTOCOL_ERROR, "FUMO AUTHORISE answered too little");
        }
        byte[] data = r.data();
        return new CardFumo.CardAuthorisation(Arrays.copyOf(data, 16), Arrays.copyOfRange(data, 16, data.length));
    }

    public static long commit(CardIo io, byte[] cardNonce, byte[] manifestSha256, long counter)
            throws SmartCardException, CardFumoException {
        if (cardNonce.length != 16 || manifestSha256.length != 32) {
            throw new IllegalArgumentException("nonce of 16 bytes, SHA-256 of 32");
        }
        byte[] data = ByteBuffer.allocate(56).put(cardNonce).put(manifestSha256).putLong(counter).array();
        ResponseApdu r = io.send(CommandApdu.of(CLA, INS_FUMO_COMMIT, 0, 0, data, 256));
        check(r, "FUMO COMMIT");
        if (r.length() != 8) {
            throw new SmartCardException(SmartCardException.Code.PROTOCOL_ERROR, "FUMO COMMIT answered " + r.length()
                    + " bytes instead of 8");
        }
        return ByteBuffer.wrap(r.data()).getLong();
    }

    public static void release(CardIo io, byte[] handle) throws SmartCardException {
        if (handle.length != 8) {
            throw new IllegalArgumentException("handle of 8 bytes");
        }
        io.send(CommandApdu.of(CLA, INS_FUMO_RELEASE, 0, 0, handle)).requireSuccess("FUMO RELEASE");
    }

    public static byte[] challenge(CardIo io) throws SmartCardException {
        ResponseApdu r = io.send(CommandApdu.of(CLA, INS_FUMO_CHALLENGE, 0, 0, 16));
        r.requireSuccess("GET FUMO CHALLENGE");
        if (r.length() != 16) {
            throw new SmartCardException(SmartCardException.Code.PROTOCOL_ERROR, "GET FUMO CHALLENGE answered "
                    + r.length() + " bytes instead of 16");
        }
        return r.data();
    }

    public static void updatePolicy(CardIo io, byte[] change, List<CardFumo.PolicySignature> signatures)
            throws SmartCardException, CardFumoException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        tlv(in, 0xC5, change);
        for (CardFumo.PolicySignature s : signatures) {
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            tlv(one, 0x80, new byte[] {(byte) s.signerIndex()});
            tlv(one, 0x82, s.signature());
            tlv(in, 0xE0, one.toByteArray());
        }
        chained(io, INS_FUMO_POLICY, in.toByteArray(), "FUMO POLICY UPDATE");
    }

    /** Sends an input in blocks (P1 80 = more follow, P2 = block number); the last block asks for the answer. */
    private static ResponseApdu chained(CardIo io, int ins, byte[] input, String what)
            throws SmartCardException, CardFumoException {
        if (input.length > MAX_INPUT) {
            throw new CardFumoException(CardFumoException.Reason.MALFORMED, StatusWord.NOT_ENOUGH_MEMORY,
                    what + ": input of " + input.length + " bytes, the card takes " + MAX_INPUT);
        }
        int blocks = Math.max(1, (input.length + BLOCK - 1) / BLOCK);
        ResponseApdu r = null;
        for (int b = 0; b < blocks; b++) {
            byte[] part = Arrays.copyOfRange(input, b * BLOCK, Math.min(input.length, (b + 1) * BLOCK));
            boolean last = b == blocks - 1;
            r = io.send(last ? CommandApdu.of(CLA, ins, 0, b, part, 256) : CommandApdu.of(CLA, ins, P1_MORE, b, part));
            check(r, what);
        }
        return r;
    }

    /** Maps the card's verdicts; other failures are {@link SmartCardException}s. */
    private static void check(ResponseApdu r, String what) throws SmartCardException, CardFumoException {
        int sw = r.sw();
        CardFumoException.Reason reason = switch (sw) {
            case StatusWord.NO_ERROR -> null;
            case SW_FUMO_MISMATCH -> CardFumoException.Reason.PACKAGE_MISMATCH;
            case SW_FUMO_SIGNATURE -> CardFumoException.Reason.BAD_SIGNATURE;
            case SW_FUMO_NOT_ACCEPTABLE -> what.equals("FUMO ADMIT") ? CardFumoException.Reason.SERVER_NOT_ALLOWED
                    : CardFumoException.Reason.ROLLBACK;
            case StatusWord.REFERENCED_DATA_NOT_FOUND -> CardFumoException.Reason.UNKNOWN;
            case StatusWord.CONDITIONS_NOT_SATISFIED -> CardFumoException.Reason.CONDITIONS;
            case StatusWord.INCORRECT_DATA, StatusWord.NOT_ENOUGH_MEMORY -> CardFumoException.Reason.MALFORMED;
            default -> {
                r.requireSuccess(what);
                yield null;
            }
        };
        if (reason != null) {
            throw new CardFumoException(reason, sw, what + " refused: " + reason + " (" + StatusWord.toHex(sw) + ")");
        }
    }

    private static void tlv(ByteArrayOutputStream out, int tag, byte[] value) {
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n <= 0xFF) {
            out.write(0x81);
            out.write(n);
        } else if (n <= 0xFFFF) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            throw new IllegalArgumentException("element longer than 65535 bytes");
        }
        out.writeBytes(value);
    }
}
