package org.cardinaldm.client.api.spi;

import org.cardinaldm.mo.dmacc.api.AuthType;

/** The SyncML-level authentication schemes of DM 1.2 (digest 3.1). */
public enum AuthScheme {
    /** No SyncML credentials (the transport authenticates, or nobody does). */
    NONE,
    /** {@code syncml:auth-basic}: B64(name ":" secret) in the SyncHdr Cred. */
    BASIC,
    /** {@code syncml:auth-md5}: B64(H(B64(H(name ":" secret)) ":" nonce)) in the SyncHdr Cred. */
    MD5,
    /** {@code syncml:auth-MAC}: the {@code x-syncml-hmac} transport header over each message. */
    HMAC;

    /**
     * The scheme an account's AAuthType in {@code ./DMAcc} stands for, the same for every credential store.
     *
     * @param type a DMAcc AAuthType
     * @return {@link #BASIC}, {@link #MD5} for DIGEST, {@link #HMAC}; {@link #NONE} for transport-level and
     *     unsupported types
     * @since 1.2
     */
    public static AuthScheme of(AuthType type) {
        switch (type) {
            case BASIC:
                return BASIC;
            case DIGEST:
                return MD5;
            case HMAC:
                return HMAC;
            default:
                return NONE;
        }
    }
}
