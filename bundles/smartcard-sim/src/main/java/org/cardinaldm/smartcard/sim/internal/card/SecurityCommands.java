package org.cardinaldm.smartcard.sim.internal.card;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandException;

/**
 * The card's PIN and key commands and the security status they set (ISO/IEC 7816-4 clauses 11.5 and
 * 5.4.3): VERIFY ({@code 20}), CHANGE REFERENCE DATA ({@code 24}), RESET RETRY COUNTER ({@code 2C}, unblock
 * with the PUK), GET CHALLENGE ({@code 84}) and EXTERNAL AUTHENTICATE ({@code 82}, the issuer's ADM key).
 *
 * <p>Owns the card's {@link SecurityState} (verified PINs, authenticated keys, the {@code dm} state that
 * Cardinal's DM profile commands open and close through {@link Uicc.CommandContext#security()}) and the
 * challenge of the last GET CHALLENGE. Both are card-wide, shared by all logical channels, and lost on
 * {@link #reset()}. Other families read the status to check access conditions.
 *
 * <p>Every comparison with a secret is tear-safe: the retry counter is decremented and committed first,
 * then compared in constant time, then restored and committed on a match ({@link #checkKey} offers the
 * same to proprietary commands).
 */
final class SecurityCommands implements CommandFamily {
    static final int INS_VERIFY = 0x20;
    static final int INS_CHANGE = 0x24;
    static final int INS_RESET_RETRY = 0x2C;
    static final int INS_GET_CHALLENGE = 0x84;
    static final int INS_EXTERNAL_AUTH = 0x82;

    private final Card card;
    private final SecureRandom random = new SecureRandom();
    private final SecurityState security = new SecurityState();
    private byte[] challenge;

    /** @param card the card the commands run in */
    SecurityCommands(Card card) {
        this.card = Objects.requireNonNull(card, "card");
    }

    @Override
    public void registerWith(Registry registry) {
        registry.add(INS_VERIFY, (c, ch) -> verify(c));
        registry.add(INS_CHANGE, (c, ch) -> changeReferenceData(c));
        registry.add(INS_RESET_RETRY, (c, ch) -> resetRetryCounter(c));
        registry.add(INS_GET_CHALLENGE, (c, ch) -> getChallenge(c));
        registry.add(INS_EXTERNAL_AUTH, (c, ch) -> externalAuthenticate(c));
    }

    /** @return the card's security status (the same object for the card's life; cleared by {@link #reset()}) */
    SecurityState state() {
        return security;
    }

    /** Forgets the security status and the challenge (reset, power-off). */
    void reset() {
        security.clear();
        challenge = null;
    }

    /**
     * Told about every command before it runs, on any channel and in any class: all but GET CHALLENGE,
     * EXTERNAL AUTHENTICATE and GET RESPONSE use up the challenge.
     *
     * @param ins the command's instruction byte
     */
    void commandSeen(int ins) {
        if (ins != INS_EXTERNAL_AUTH && ins != Uicc.INS_GET_RESPONSE && ins != INS_GET_CHALLENGE) {
            challenge = null;
        }
    }

    // ---------------------------------------------------------------- PINs

    private Pin pinFor(int p2) throws CommandException {
        if ((p2 & 0x60) != 0 || (p2 & 0x1F) == 0) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        Pin pin = card.image().pins().get(p2);
        if (pin == null) {
            throw new CommandException(StatusWord.REFERENCED_DATA_NOT_FOUND);
        }
        return pin;
    }

    private ResponseApdu verify(CommandApdu c) throws CommandException {
        Pin pin = pinFor(c.p2());
        if (c.p1() == 0xFF) {
            if (c.nc() != 0) {
                throw new CommandException(StatusWord.WRONG_LENGTH);
            }
            security.pinUnverified(pin.reference());
            return ResponseApdu.of(StatusWord.NO_ERROR);
        }
        if (c.p1() != 0x00) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        if (c.nc() == 0) {
            if (security.isPinVerified(pin.reference())) {
                return ResponseApdu.of(StatusWord.NO_ERROR);
            }
            if (pin.isBlocked()) {
                throw new CommandException(StatusWord.AUTHENTICATION_BLOCKED);
            }
            throw new CommandException(StatusWord.VERIFY_FAILED | pin.retries());
        }
        if (c.nc() != Pin.BLOCK_LENGTH) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        checkPin(pin, c.data());
        return ResponseApdu.of(StatusWord.NO_ERROR);
    }

    /** Decrements and commits first, then compares (tearing wins no attempts). */
    private void checkPin(Pin pin, byte[] candidate) throws CommandException {
        if (pin.isBlocked()) {
            throw new CommandException(StatusWord.AUTHENTICATION_BLOCKED);
        }
        pin.decrement();
        card.commit();
        if (!pin.matches(candidate)) {
            security.pinUnverified(pin.reference());
            throw new CommandException(StatusWord.VERIFY_FAILED | pin.retries());
        }
        pin.resetCounter();
        card.commit();
        security.pinVerified(pin.reference());
    }

    private ResponseApdu changeReferenceData(CommandApdu c) throws CommandException {
        Pin pin = pinFor(c.p2());
        if (c.p1() != 0x00) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        if (c.nc() != 2 * Pin.BLOCK_LENGTH) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        byte[] data = c.data();
        byte[] newBlock = Arrays.copyOfRange(data, Pin.BLOCK_LENGTH, 2 * Pin.BLOCK_LENGTH);
        if (!Pin.isValidBlock(newBlock)) {
            throw new CommandException(StatusWord.INCORRECT_DATA);
        }
        checkPin(pin, Arrays.copyOf(data, Pin.BLOCK_LENGTH));
        pin.setValue(newBlock);
        card.commit();
        return ResponseApdu.of(StatusWord.NO_ERROR);
    }

    private ResponseApdu resetRetryCounter(CommandApdu c) throws CommandException {
        Pin pin = pinFor(c.p2());
        int expected;
        if (c.p1() == 0x00) {
            expected = 2 * Pin.BLOCK_LENGTH;
        } else if (c.p1() == 0x01) {
            expected = Pin.BLOCK_LENGTH;
        } else {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        if (c.nc() != expected) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        if (!pin.hasPuk()) {
            throw new CommandException(StatusWord.REFERENCE_DATA_NOT_USABLE);
        }
        byte[] data = c.data();
        byte[] newBlock = null;
        if (expected == 2 * Pin.BLOCK_LENGTH) {
            newBlock = Arrays.copyOfRange(data, Pin.BLOCK_LENGTH, 2 * Pin.BLOCK_LENGTH);
            if (!Pin.isValidBlock(newBlock)) {
                throw new CommandException(StatusWord.INCORRECT_DATA);
            }
        }
        if (pin.pukRetries() == 0) {
            throw new CommandException(StatusWord.AUTHENTICATION_BLOCKED);
        }
        pin.decrementPuk();
        card.commit();
        if (!pin.pukMatches(Arrays.copyOf(data, Pin.BLOCK_LENGTH))) {
            throw new CommandException(StatusWord.VERIFY_FAILED | pin.pukRetries());
        }
        pin.resetPukCounter();
        pin.resetCounter();
        if (newBlock != null) {
            pin.setValue(newBlock);
        }
        card.commit();
        security.pinVerified(pin.reference());
        return ResponseApdu.of(StatusWord.NO_ERROR);
    }

    // ---------------------------------------------------------------- ADM key

    private ResponseApdu getChallenge(CommandApdu c) throws CommandException {
        if (c.p1() != 0 || c.p2() != 0) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        int ne = c.ne() == 256 ? 16 : c.ne();
        if (c.nc() != 0 || (ne != 8 && ne != 16)) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        challenge = new byte[ne];
        random.nextBytes(challenge);
        return ResponseApdu.of(challenge, StatusWord.NO_ERROR);
    }

    private ResponseApdu externalAuthenticate(CommandApdu c) throws CommandException {
        byte[] expectedChallenge = challenge;
        challenge = null;
        if (c.p1() != 0 || (c.p2() & 0x60) != 0 || (c.p2() & 0x1F) == 0) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        CardKey key = card.image().keys().get(c.p2() & 0x1F);
        if (key == null) {
            throw new CommandException(StatusWord.REFERENCED_DATA_NOT_FOUND);
        }
        if (!CardKey.USAGE_ADM.equals(key.usage())) {
            throw new CommandException(StatusWord.REFERENCE_DATA_NOT_USABLE);
        }
        if (c.nc() != 16) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        if (expectedChallenge == null || expectedChallenge.length != 16) {
            throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
        if (key.isBlocked()) {
            throw new CommandException(StatusWord.AUTHENTICATION_BLOCKED);
        }
        key.decrement();
        card.commit();
        byte[] expected = admCryptogram(key.secret(), expectedChallenge);
        if (!MessageDigest.isEqual(expected, c.data())) {
            throw new CommandException(StatusWord.VERIFY_FAILED | key.retries());
        }
        key.resetCounter();
        card.commit();
        security.keyAuthenticated(key.reference(), true);
        return ResponseApdu.of(StatusWord.NO_ERROR);
    }

    /**
     * The cryptogram EXTERNAL AUTHENTICATE expects for the ADM key: the 16-byte challenge encrypted with AES
     * (ECB, one block, no padding) under the key.
     *
     * @param key the AES key
     * @param challenge the 16-byte challenge from GET CHALLENGE
     * @return the cryptogram
     */
    public static byte[] admCryptogram(byte[] key, byte[] challenge) {
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            return aes.doFinal(challenge);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }

    // ---------------------------------------------------------------- keys of proprietary commands

    /**
     * The tear-safe key comparison of {@link Uicc.CommandContext#checkKey}.
     *
     * @param key the key whose retry counter guards the comparison
     * @param expected what the card computed from the key
     * @param candidate what the terminal presented
     * @throws CommandException {@code 6983} blocked, {@code 63CX} mismatch, {@code 6581} not stored
     */
    void checkKey(CardKey key, byte[] expected, byte[] candidate) throws CommandException {
        if (key.isBlocked()) {
            throw new CommandException(StatusWord.AUTHENTICATION_BLOCKED);
        }
        key.decrement();
        card.commit();
        if (!MessageDigest.isEqual(expected, candidate)) {
            throw new CommandException(StatusWord.VERIFY_FAILED | key.retries());
        }
        key.resetCounter();
        card.commit();
    }
}
