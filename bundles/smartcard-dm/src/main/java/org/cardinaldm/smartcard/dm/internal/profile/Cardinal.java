package org.cardinaldm.smartcard.dm.internal.profile;

/**
 * The device side's identifiers of Cardinal's DM smart-card profile (docs/smartcard-profile.md, A1): the OID
 * arc and the DODF objects the discovery looks for. The bytes on the wire that the card shares (commands,
 * tags, capability bits, key usages) are in {@link org.cardinaldm.smartcard.api.profile.CardinalDmProfile}.
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

    /** The media type of the MO store's content. */
    public static final String MO_STORE_TYPE = "application/vnd.syncml.dmtnds+wbxml";

    private Cardinal() {
    }
}
