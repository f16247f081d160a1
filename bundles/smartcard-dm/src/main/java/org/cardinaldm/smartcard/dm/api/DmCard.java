package org.cardinaldm.smartcard.dm.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.smartcard.api.SmartCardException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A smart card with DM data, as last read: the DM bootstrap document, the card policy, the FUMO policy, the
 * card-held credentials, and what identifies the card and its state. The values are a snapshot that the
 * {@link DmCards} service keeps current with the card's change counter; the credential operations talk to
 * the card.
 *
 * <p>Once the card is removed or replaced, the view is stale: its operations fail with
 * {@link SmartCardException.Code#CARD_REMOVED}.
 */
@ProviderType
public interface DmCard {
    /** Capability: the card computes {@link DigestType#MD5} digests. */
    String CAPABILITY_MD5 = "md5";
    /** Capability: the card computes {@link DigestType#HMAC} digests. */
    String CAPABILITY_HMAC = "hmac";
    /** Capability: the card checks server digests and opens its {@code dm} security state. */
    String CAPABILITY_VERIFY_SERVER = "verify-server";
    /** Capability: the card keeps change counters (an unchanged card is recognised in one APDU). */
    String CAPABILITY_CHANGE_COUNTER = "change-counter";
    /** Capability: the card holds a card-resident MO store. */
    String CAPABILITY_MO_STORE = "mo-store";
    /**
     * Capability (profile 1.1): the card verifies a server only against a challenge of its own
     * ({@link #serverChallenge(String)}), and uses its credentials only for the device agent holding the
     * device key.
     *
     * @since 1.1
     */
    String CAPABILITY_SERVER_CHALLENGE = "server-challenge";
    /**
     * Capability (profile 1.2): the card decides firmware updates itself ({@link #fumo()}).
     *
     * @since 1.2
     */
    String CAPABILITY_FUMO = "fumo";

    /** @return the reader the card is in */
    String reader();

    /** @return the card id in upper-case hex (Cardinal cards: EF.DMSTATE; others: the TokenInfo serial number) */
    String cardId();

    /** @return a copy of the ATR */
    byte[] atr();

    /** @return the Cardinal profile version, e.g. {@code 1.0}; empty for a card with only the DM bootstrap */
    String profileVersion();

    /** @return the card's change counter, or -1 if the card keeps none */
    long changeCounter();

    /** @return what the card can do, among the {@code CAPABILITY_*} names */
    Set<String> capabilities();

    /**
     * @return the DM bootstrap document (DODF object 2.23.43.7.1): a WBXML DM-profile bootstrap message, with
     *         card padding removed; empty if the card has none
     */
    Optional<byte[]> bootstrapDocument();

    /** @return the card policy, or {@link CardPolicy#defaults()} if the card has none */
    CardPolicy policy();

    /** @return the FUMO policy, if the card has one */
    Optional<FumoPolicy> fumoPolicy();

    /** @return the credentials the card holds keys for */
    List<CardCredential> credentials();

    /** @return bytes still free in the card-resident MO store, or -1 without a store */
    long freeSpace();

    /**
     * Reads the card's PKCS#15 structure for tools: EF.DIR's application, TokenInfo, the ODF entries, the
     * data objects, the PINs and the certificates (reads TokenInfo, AODF and CDF from the card).
     *
     * @return the entries, in that order
     * @throws SmartCardException {@link SmartCardException.Code#CARD_REMOVED} or another failure
     */
    List<CardObject> pkcs15Objects() throws SmartCardException;

    /**
     * Reads a whole transparent file, for tools.
     *
     * @param path hex file identifiers, optionally separated by {@code /}: absolute from {@code 3F00}, otherwise
     *        relative to the PKCS#15 application (e.g. {@code 6431}, {@code 3F00/2FE2})
     * @return the content
     * @throws SmartCardException {@link SmartCardException.Code#FILE_NOT_FOUND},
     *         {@link SmartCardException.Code#SECURITY_STATUS_NOT_SATISFIED}, {@link SmartCardException.Code#CARD_REMOVED}
     * @throws IllegalArgumentException if the path is not hex file identifiers
     */
    byte[] readFile(String path) throws SmartCardException;

    /**
     * Has the card compute the device's credential digest for a server ({@link CardCredential.Level#CLIENT}).
     * The secret never leaves the card.
     *
     * @param serverId the DM server
     * @param type the digest
     * @param nonce the nonce bytes (the base64-decoded NextNonce)
     * @param body for {@link DigestType#HMAC}: the message body the MAC covers; ignored for MD5
     * @return the 16-byte digest; base64-encode it for {@code Cred/Data} or the {@code mac} parameter
     * @throws SmartCardException {@link SmartCardException.Code#NOT_SUPPORTED} if the card holds no client
     *         credential for that server and digest, {@link SmartCardException.Code#CARD_REMOVED} if the card
     *         is gone, or the card's refusal
     */
    byte[] computeDigest(String serverId, DigestType type, byte[] nonce, byte[] body) throws SmartCardException;

    /**
     * Has the card check a server's credential digest ({@link CardCredential.Level#SERVER}). On success the
     * card opens its {@code dm} security state, which permits changes to the DM files that allow it, until
     * {@link #endDmSession()}, a reset, or the DM card service's idle limit. A mismatch costs one of the key's
     * tries.
     *
     * <p>On a card with {@link #CAPABILITY_SERVER_CHALLENGE} the card checks the digest against its own
     * challenge only ({@link #serverChallenge(String)}), and every check uses that challenge up: a nonce that is
     * not the card's pending challenge is {@code false} at once (no try spent), and a digest is never accepted
     * twice.
     *
     * @param serverId the DM server
     * @param type the digest
     * @param nonce the nonce the server's digest was computed with (the card's challenge, see above)
     * @param body for {@link DigestType#HMAC}: the message body; ignored for MD5
     * @param digest the server's 16-byte digest (base64-decoded)
     * @return whether the digest is right
     * @throws SmartCardException {@link SmartCardException.Code#NOT_SUPPORTED} without a server credential,
     *         {@link SmartCardException.Code#AUTHENTICATION_BLOCKED} when the key is blocked,
     *         {@link SmartCardException.Code#CARD_REMOVED}, or another refusal
     */
    boolean verifyServer(String serverId, DigestType type, byte[] nonce, byte[] body, byte[] digest)
            throws SmartCardException;

    /**
     * The nonce the device gives the server for the server's next credential (profile 1.1): the card's pending
     * challenge for that server's key, made and stored on the card (it survives power-off) if there is none.
     * {@link #verifyServer} then accepts a digest for this challenge once.
     *
     * @param serverId the DM server
     * @return the 16-byte challenge, or empty if the card has no {@link #CAPABILITY_SERVER_CHALLENGE} (the device
     *         then chooses the nonce)
     * @throws SmartCardException {@link SmartCardException.Code#NOT_SUPPORTED} without a server credential,
     *         {@link SmartCardException.Code#SECURITY_STATUS_NOT_SATISFIED} without the device key,
     *         {@link SmartCardException.Code#CARD_REMOVED}, or another refusal
     * @since 1.1
     */
    default Optional<byte[]> serverChallenge(String serverId) throws SmartCardException {
        return Optional.empty();
    }

    /**
     * Has the card check a package-0 (notification) digest: the HMAC form over the trigger, keyed with the
     * server credential. Answers match or no match only: it never opens (nor closes) the card's {@code dm}
     * state. A mismatch costs one of the key's tries. On a card with {@link #CAPABILITY_SERVER_CHALLENGE}, a
     * digest for the card's pending challenge is remembered by the card, which then refuses it as a session
     * digest and as a second notification.
     *
     * @param serverId the notification's server
     * @param nonce the nonce to check with
     * @param trigger the trigger bytes the digest covers
     * @param digest the notification's 16-byte digest
     * @return whether it matches
     * @throws SmartCardException {@link SmartCardException.Code#NOT_SUPPORTED} without an HMAC server credential
     *         (or, by default, from a card view that does not implement it), {@link SmartCardException.Code#AUTHENTICATION_BLOCKED},
     *         {@link SmartCardException.Code#CARD_REMOVED}, or another refusal
     * @since 1.1
     */
    default boolean verifyNotification(String serverId, byte[] nonce, byte[] trigger, byte[] digest)
            throws SmartCardException {
        throw new SmartCardException(SmartCardException.Code.NOT_SUPPORTED, "This card view checks no notifications");
    }

    /**
     * The card's FUMO commands (profile 1.2), run on the card session and logical channel of the DM session, so
     * that an admission sees the {@code dm} state of the server whose Exec is being processed.
     *
     * @return the commands, or empty when the card has no {@link #CAPABILITY_FUMO}
     * @since 1.2
     */
    default Optional<CardFumo> fumo() {
        return Optional.empty();
    }

    /**
     * Closes the card's {@code dm} security state (end of the DM session).
     *
     * @throws SmartCardException {@link SmartCardException.Code#CARD_REMOVED} or another failure
     */
    void endDmSession() throws SmartCardException;
}
