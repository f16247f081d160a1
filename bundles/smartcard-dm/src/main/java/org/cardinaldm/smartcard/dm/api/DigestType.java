package org.cardinaldm.smartcard.dm.api;

import org.cardinaldm.smartcard.api.profile.CardinalDmProfile;

/**
 * The DM credential digests a card computes and checks (OMA DM 1.2 security; digest sections 3.2 and 3.3).
 * Both start from MD5(name ":" secret), which is what the card holds.
 */
public enum DigestType {
    /** {@code syncml:auth-md5}: MD5(B64(MD5(name ":" secret)) ":" nonce), the Cred of a SyncHdr. */
    MD5("syncml:auth-md5", CardinalDmProfile.ALG_MD5),
    /**
     * {@code syncml:auth-MAC}: MD5(B64(MD5(name ":" secret)) ":" nonce ":" B64(MD5(body))), the {@code mac}
     * of the {@code x-syncml-hmac} header.
     */
    HMAC("syncml:auth-MAC", CardinalDmProfile.ALG_HMAC);

    private final String metaType;
    private final int cardCode;

    DigestType(String metaType, int cardCode) {
        this.metaType = metaType;
        this.cardCode = cardCode;
    }

    /** @return the SyncML Meta Type, e.g. {@code syncml:auth-md5} */
    public String metaType() {
        return metaType;
    }

    /** @return the P1 of COMPUTE DM DIGEST and VERIFY SERVER DIGEST for this digest */
    public int cardCode() {
        return cardCode;
    }
}
