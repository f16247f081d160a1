package org.cardinaldm.smartcard.api.profile;

/**
 * The bytes and names of Cardinal's DM smart-card profile 1.2 on the wire, defined once for the device and the
 * card. The document is docs/smartcard-profile.md: the commands in A8 (class {@code 80}), EF.DMSTATE in A7,
 * the keys in A5.3 and A8.5.
 *
 * <table>
 * <caption>Commands (A8)</caption>
 * <tr><th>command</th><th>C-APDU</th></tr>
 * <tr><td>GET CHANGE COUNTER</td><td>{@code 80 30 P1 00 Le}</td></tr>
 * <tr><td>COMPUTE DM DIGEST</td><td>{@code 80 32 alg key Lc [80 nonce] [81 md5(body)] Le}</td></tr>
 * <tr><td>VERIFY SERVER DIGEST</td><td>{@code 80 34 alg key Lc [80 nonce] [81 md5(body)] [82 digest]};
 * P1 {@code 12}: the notification form</td></tr>
 * <tr><td>END DM SESSION</td><td>{@code 80 36 00 00}</td></tr>
 * <tr><td>GET SERVER CHALLENGE (1.1)</td><td>{@code 80 38 00 key 10}</td></tr>
 * <tr><td>VERIFY of the device key (1.1)</td><td>{@code 80 20 00 ref Lc value}</td></tr>
 * <tr><td>FUMO ADMIT (1.2)</td><td>{@code 80 3A 00 00 Lc serverId Le}</td></tr>
 * <tr><td>FUMO AUTHORISE (1.2)</td><td>{@code 80 3C more block Lc data [Le]}, chained by P1/P2</td></tr>
 * <tr><td>FUMO COMMIT (1.2)</td><td>{@code 80 3E 00 00 38 nonce sha256 counter 08}</td></tr>
 * <tr><td>FUMO RELEASE (1.2)</td><td>{@code 80 40 00 00 08 handle}</td></tr>
 * <tr><td>GET FUMO CHALLENGE (1.2)</td><td>{@code 80 42 00 00 10}</td></tr>
 * <tr><td>FUMO POLICY UPDATE (1.2)</td><td>{@code 80 44 more block Lc data}, chained by P1/P2</td></tr>
 * </table>
 */
public final class CardinalDmProfile {
    /** CLA of the profile's commands (proprietary, basic channel; the channel bits may be added). */
    public static final int CLA = 0x80;

    /** INS of GET CHANGE COUNTER: answers EF.DMSTATE (A7). */
    public static final int INS_GET_CHANGE_COUNTER = 0x30;
    /** INS of COMPUTE DM DIGEST (A8.2). */
    public static final int INS_COMPUTE_DIGEST = 0x32;
    /** INS of VERIFY SERVER DIGEST (A8.3). */
    public static final int INS_VERIFY_SERVER = 0x34;
    /** INS of END DM SESSION. */
    public static final int INS_END_SESSION = 0x36;
    /** INS of GET SERVER CHALLENGE (A8.4, profile 1.1). */
    public static final int INS_SERVER_CHALLENGE = 0x38;
    /** INS of VERIFY of the device key, in class {@code 80} (A8.5, profile 1.1). */
    public static final int INS_VERIFY_DEVICE = 0x20;

    /** INS of FUMO ADMIT (A8.6, profile 1.2): records an admission for the server of this channel's dm state. */
    public static final int INS_FUMO_ADMIT = 0x3A;
    /** INS of FUMO AUTHORISE (A8.7, profile 1.2): the card checks a signed manifest and signs its authorisation. */
    public static final int INS_FUMO_AUTHORISE = 0x3C;
    /** INS of FUMO COMMIT (A8.8, profile 1.2): raises the anti-rollback counter to an authorised manifest's. */
    public static final int INS_FUMO_COMMIT = 0x3E;
    /** INS of FUMO RELEASE (A8.8, profile 1.2): forgets an admission. */
    public static final int INS_FUMO_RELEASE = 0x40;
    /** INS of GET FUMO CHALLENGE (A8.9, profile 1.2): the one-time challenge a policy update must sign. */
    public static final int INS_FUMO_CHALLENGE = 0x42;
    /** INS of FUMO POLICY UPDATE (A8.9, profile 1.2): signer rotation, threshold, servers, RMA counter reset. */
    public static final int INS_FUMO_POLICY = 0x44;
    /** P1 bit of the chained FUMO commands (AUTHORISE, POLICY UPDATE): more blocks follow; P2 numbers the block. */
    public static final int P1_MORE = 0x80;
    /** Status word of a FUMO verdict: package not for this device (wrong kind or device class), FUMO 403. */
    public static final int SW_FUMO_MISMATCH = 0x6F03;
    /** Status word of a FUMO verdict: a signature does not verify, or fewer trusted signers than the threshold, FUMO 404. */
    public static final int SW_FUMO_SIGNATURE = 0x6F04;
    /** Status word of a FUMO verdict: not acceptable (server not allowed, counter below the card's, counter lowered), FUMO 405. */
    public static final int SW_FUMO_NOT_ACCEPTABLE = 0x6F05;

    /** P1 of VERIFY SERVER DIGEST for a package-0 (notification) digest: HMAC form, match or no match only (1.1). */
    public static final int P1_NOTIFICATION = 0x12;
    /** P1 of COMPUTE DM DIGEST and VERIFY SERVER DIGEST: the md5 digest ({@code syncml:auth-md5}, A8.1). */
    public static final int ALG_MD5 = 0x01;
    /** P1 of COMPUTE DM DIGEST and VERIFY SERVER DIGEST: the HMAC digest ({@code syncml:auth-MAC}, A8.1). */
    public static final int ALG_HMAC = 0x02;

    /** Data-object tag: the nonce (raw bytes, the base64-decoded NextNonce). */
    public static final int TAG_NONCE = 0x80;
    /** Data-object tag: MD5 of the message body (HMAC form; for a notification, of the trigger). */
    public static final int TAG_BODY_MD5 = 0x81;
    /** Data-object tag: the server's digest (base64-decoded), in VERIFY SERVER DIGEST. */
    public static final int TAG_DIGEST = 0x82;

    /** Usage of a card key that computes the device's (client) credentials (COMPUTE DM DIGEST). */
    public static final String USAGE_CLIENT = "dm-client";
    /** Usage of a card key that checks a DM server's credentials (VERIFY SERVER DIGEST, GET SERVER CHALLENGE). */
    public static final String USAGE_SERVER = "dm-server";
    /** Usage of the key the device agent presents to use the card's credentials (VERIFY, profile 1.1). */
    public static final String USAGE_DEVICE = "dm-device";

    /** EF.DMSTATE capability bit: the card computes md5 digests. */
    public static final int CAP_MD5 = 0x01;
    /** EF.DMSTATE capability bit: the card computes HMAC digests. */
    public static final int CAP_HMAC = 0x02;
    /** EF.DMSTATE capability bit: the card checks server digests (VERIFY SERVER DIGEST). */
    public static final int CAP_VERIFY_SERVER = 0x04;
    /** Usage of the card's own FUMO authorisation key (EC P-256 private scalar, profile 1.2). */
    public static final String USAGE_FUMO_AUTH = "fumo-auth";
    /** Usage of the card issuer's FUMO policy key (its public key, DER SubjectPublicKeyInfo, profile 1.2). */
    public static final String USAGE_FUMO_ISSUER = "fumo-issuer";

    /** EF.DMSTATE capability bit: the card keeps change counters. */
    public static final int CAP_COUNTERS = 0x08;
    /** EF.DMSTATE capability bit: the card's own server challenge, the device key, the notification form (1.1). */
    public static final int CAP_SERVER_CHALLENGE = 0x10;
    /** EF.DMSTATE capability bit: the FUMO commands, the card-kept FUMO policy with signer keys (1.2). */
    public static final int CAP_FUMO = 0x20;

    private CardinalDmProfile() {
    }
}
