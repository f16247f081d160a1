package org.cardinaldm.smartcard.dm.internal.profile;

/**
 * The constants of Cardinal's DM smart-card profile v1.0 (docs/smartcard-profile.md): the OID arc, the
 * card-side commands, the file identifiers of the demo/reference layout.
 */
public final class Cardinal {
    /**
     * Cardinal's own OID arc, a UUID arc (ITU-T X.667, no registration needed) made once from UUID
     * {@code 3e1b4793-a807-4892-b1aa-817f3d6b00eb} and fixed forever.
     */
    public static final String ARC = "2.25.82553779503469260178600950244353704171";
    /** The DM smart-card profile's arc. */
    public static final String DM = ARC + ".1";
    /** DODF object: the card policy (tear-safe object, content DmCardPolicy). */
    public static final String OID_POLICY = DM + ".1";
    /** DODF object: the card-resident MO store (tear-safe object, content a TNDS WBXML document). */
    public static final String OID_MO_STORE = DM + ".2";
    /** DODF object: the FUMO policy (tear-safe object, content FumoPolicy). */
    public static final String OID_FUMO_POLICY = DM + ".3";
    /** DODF object: the card-held credentials (EF with DmCredentials). */
    public static final String OID_CREDENTIALS = DM + ".4";
    /** DODF object: EF.DMSTATE (the change counters, also returned by GET CHANGE COUNTER). */
    public static final String OID_STATE = DM + ".5";

    /** CLA of the profile's commands. */
    public static final int CLA = 0x80;
    /** GET CHANGE COUNTER. */
    public static final int INS_GET_CHANGE_COUNTER = 0x30;
    /** COMPUTE DM DIGEST. */
    public static final int INS_COMPUTE_DIGEST = 0x32;
    /** VERIFY SERVER DIGEST. */
    public static final int INS_VERIFY_SERVER = 0x34;
    /** END DM SESSION. */
    public static final int INS_END_SESSION = 0x36;
    /** GET SERVER CHALLENGE (profile 1.1). */
    public static final int INS_SERVER_CHALLENGE = 0x38;
    /** VERIFY of the device key, class {@code 80} (profile 1.1). */
    public static final int INS_VERIFY_DEVICE = 0x20;
    /** P1 of VERIFY SERVER DIGEST for a package-0 digest (HMAC form, match or no match only; profile 1.1). */
    public static final int P1_NOTIFICATION = 0x12;
    /** EF.DMSTATE capability bit: the card's own server challenge and the device key (profile 1.1). */
    public static final int CAP_SERVER_CHALLENGE = 0x10;
    /** Data object tag: nonce. */
    public static final int TAG_NONCE = 0x80;
    /** Data object tag: MD5 of the message body (HMAC form). */
    public static final int TAG_BODY_MD5 = 0x81;
    /** Data object tag: the server's digest. */
    public static final int TAG_DIGEST = 0x82;

    /** The media type of the MO store's content. */
    public static final String MO_STORE_TYPE = "application/vnd.syncml.dmtnds+wbxml";

    private Cardinal() {
    }
}
