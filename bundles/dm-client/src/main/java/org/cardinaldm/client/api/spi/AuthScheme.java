package org.cardinaldm.client.api.spi;

/** The SyncML-level authentication schemes of DM 1.2 (digest 3.1). */
public enum AuthScheme {
    /** No SyncML credentials (the transport authenticates, or nobody does). */
    NONE,
    /** {@code syncml:auth-basic}: B64(name ":" secret) in the SyncHdr Cred. */
    BASIC,
    /** {@code syncml:auth-md5}: B64(H(B64(H(name ":" secret)) ":" nonce)) in the SyncHdr Cred. */
    MD5,
    /** {@code syncml:auth-MAC}: the {@code x-syncml-hmac} transport header over each message. */
    HMAC
}
