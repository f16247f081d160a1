package org.cardinaldm.smartcard.sim.internal.fumo;

import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.SW_FUMO_NOT_ACCEPTABLE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.SW_FUMO_SIGNATURE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.USAGE_FUMO_ISSUER;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.sim.internal.card.CardKey;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandContext;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandException;
import org.cardinaldm.smartcard.sim.internal.dm.DmApplet;

/**
 * FUMO POLICY UPDATE (docs/smartcard-profile.md A8.9): the only way, besides the issuer's ADM key, to change the
 * card's FUMO policy after personalisation: signer rotation and revocation, the threshold, the allowed servers,
 * and the RMA reset of the anti-rollback counter.
 *
 * <p>Input, chained like FUMO AUTHORISE, BER-TLV:
 * <pre>
 * C5 L  FumoPolicyChange ::= SEQUENCE { signerKeys SEQUENCE OF SubjectPublicKeyInfo, threshold INTEGER,
 *                                       allowedServers SEQUENCE OF UTF8String, antiRollbackCounter INTEGER }
 * E0 L  { 80 01 index  82 L signature }   per signature: index into the current signer keys, FF = the issuer key
 * </pre>
 * Each signature is ECDSA P-256/SHA-256 over {@code "CDM-FUMO-POLICY-1" | card id length (1) | card id (EF.DMSTATE)
 * | the card's pending FUMO challenge (16, GET FUMO CHALLENGE) | the DER of the change}: bound to this card and
 * usable once. The challenge is used up by every attempt that reaches the signature check (stored with the
 * command's commit), so a recorded command is refused on this card and on any other.
 *
 * <p>Who may do what: the issuer's signature allows any change, including a lower counter (RMA: the issuer
 * resets the counter of a returned device). Without it, at least {@code threshold} distinct current signers must
 * sign, and the new counter may not be below the card's ({@code 6F05}). A signature that does not verify, or too
 * few signers: {@code 6F04}. An invalid change (no signer, a threshold above the signers, a key not on P-256, a
 * duplicate): {@code 6A80}. No pending challenge: {@code 6985}. The authorisation key and pending admissions
 * are kept.
 */
final class FumoPolicyUpdate {
    static final int ISSUER = 0xFF;
    private static final byte[] LABEL = "CDM-FUMO-POLICY-1".getBytes(StandardCharsets.US_ASCII);

    private FumoPolicyUpdate() {
    }

    private record Signature(int index, byte[] value) {
    }

    static ResponseApdu process(CommandContext context, CommandApdu c) throws CommandException {
        FumoApplet.requireDevice(context);
        Optional<byte[]> input = FumoApplet.chained(context, c);
        if (input.isEmpty()) {
            return ResponseApdu.of(StatusWord.NO_ERROR);
        }
        byte[] change = null;
        List<Signature> signatures = new ArrayList<>();
        CardFumoPolicy next;
        try {
            for (Der.Reader r = new Der.Reader(input.get()); r.hasMore();) {
                Der.Element e = r.next();
                if (e.tag() == 0xC5 && change == null) {
                    change = e.value();
                } else if (e.tag() == 0xE0 && signatures.size() <= CardFumoPolicy.MAX_SIGNERS) {
                    Der.Reader s = e.children();
                    byte[] index = s.next().expect(0x80).value();
                    byte[] value = s.next().expect(0x82).value();
                    s.end();
                    if (index.length != 1) {
                        throw new Der.Malformed("index");
                    }
                    signatures.add(new Signature(index[0] & 0xFF, value));
                } else {
                    throw new Der.Malformed("unexpected element");
                }
            }
            if (change == null || signatures.isEmpty()) {
                throw new Der.Malformed("change or signatures missing");
            }
            next = decodeChange(change);
        } catch (Der.Malformed e) {
            throw new CommandException(StatusWord.INCORRECT_DATA);
        }
        Optional<byte[]> challenge = context.image().appletData(FumoApplet.CHALLENGE).filter(b -> b.length == 16);
        if (challenge.isEmpty()) {
            throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
        CardFumoPolicy current = CardFumoPolicy.read(context.image());
        byte[] signed = signedBytes(DmApplet.cardId(context.image()), challenge.get(), change);

        // one attempt per challenge: used up in the commit of this attempt, whatever its outcome
        context.image().putAppletData(FumoApplet.CHALLENGE, null);
        int sw = verdict(context, current, next, signatures, signed);
        if (sw != StatusWord.NO_ERROR) {
            context.commit();
            throw new CommandException(sw);
        }
        new CardFumoPolicy(next.signerHashes(), next.allowedServers(), next.counter(), next.signerKeys(),
                next.threshold(), current.authorisationKey()).write(context);
        context.commit();
        return ResponseApdu.of(StatusWord.NO_ERROR);
    }

    private static int verdict(CommandContext context, CardFumoPolicy current, CardFumoPolicy next,
            List<Signature> signatures, byte[] signed) throws CommandException {
        boolean issuer = false;
        Set<Integer> signers = new HashSet<>();
        for (Signature s : signatures) {
            PublicKey key;
            try {
                if (s.index == ISSUER) {
                    CardKey k = FumoApplet.keyOfUsage(context.image(), USAGE_FUMO_ISSUER);
                    key = CardCrypto.p256(k.secret());
                } else if (s.index < current.signerKeys().size()) {
                    key = CardCrypto.p256(current.signerKeys().get(s.index));
                } else {
                    return SW_FUMO_SIGNATURE;
                }
            } catch (Der.Malformed | CommandException e) {
                return SW_FUMO_SIGNATURE;
            }
            if (!CardCrypto.verifies(key, signed, s.value)) {
                return SW_FUMO_SIGNATURE;
            }
            if (s.index == ISSUER) {
                issuer = true;
            } else {
                signers.add(s.index);
            }
        }
        if (issuer) {
            return StatusWord.NO_ERROR;
        }
        if (signers.size() < current.threshold()) {
            return SW_FUMO_SIGNATURE;
        }
        return next.counter() < current.counter() ? SW_FUMO_NOT_ACCEPTABLE : StatusWord.NO_ERROR;
    }

    /**
     * @param cardId the card id of EF.DMSTATE
     * @param challenge the card's FUMO challenge
     * @param change the DER of the FumoPolicyChange
     * @return the bytes each signer signs
     */
    static byte[] signedBytes(byte[] cardId, byte[] challenge, byte[] change) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LABEL);
        out.write(cardId.length);
        out.writeBytes(cardId);
        out.writeBytes(challenge);
        out.writeBytes(change);
        return out.toByteArray();
    }

    private static CardFumoPolicy decodeChange(byte[] der) throws Der.Malformed {
        Der.Reader s = Der.single(der).expect(0x30).children();
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> hashes = new ArrayList<>();
        for (Der.Reader r = s.next().expect(0x30).children(); r.hasMore();) {
            byte[] spki = r.next().expect(0x30).encoded();
            CardCrypto.p256(spki);
            byte[] hash = CardCrypto.sha256(spki);
            for (byte[] h : hashes) {
                if (MessageDigest.isEqual(h, hash)) {
                    throw new Der.Malformed("signer given twice");
                }
            }
            keys.add(spki);
            hashes.add(hash);
        }
        long threshold = s.next().nonNegative();
        List<String> servers = CardFumoPolicy.servers(s.next());
        long counter = s.next().nonNegative();
        s.end();
        if (keys.isEmpty() || keys.size() > CardFumoPolicy.MAX_SIGNERS || threshold < 1 || threshold > keys.size()) {
            throw new Der.Malformed("signers or threshold out of range");
        }
        return new CardFumoPolicy(List.copyOf(hashes), servers, counter, List.copyOf(keys), (int) threshold, null);
    }
}
