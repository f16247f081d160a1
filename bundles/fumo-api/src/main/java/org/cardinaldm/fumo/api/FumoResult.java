package org.cardinaldm.fumo.api;

/**
 * FUMO result codes, the Data of the result alert (OMA FUMO 1.0, "Result codes"). Only codes the public
 * sources agree on are here: 412 and 500 mean different things in different sources and a Cardinal device
 * never sends them ({@code docs/fumo.md}). 250-299, 450-499 and 550-599 are vendor ranges; Cardinal's device uses
 * none of them.
 */
public enum FumoResult {
    /** 200: successful. */
    SUCCESSFUL(200),
    /** 400: management client error. */
    CLIENT_ERROR(400),
    /** 401: the user cancelled. */
    USER_CANCELLED(401),
    /** 402: corrupted firmware update package. */
    CORRUPTED_PACKAGE(402),
    /** 403: the package does not match the device. */
    PACKAGE_MISMATCH(403),
    /** 404: the package's signature could not be validated. */
    SIGNATURE_FAILED(404),
    /** 405: the package is not acceptable (Cardinal: a rollback refused, a server the card does not allow). */
    NOT_ACCEPTABLE(405),
    /** 406: the download server refused the device's authentication. */
    DOWNLOAD_AUTH_FAILED(406),
    /** 407: the download timed out. */
    DOWNLOAD_TIMEOUT(407),
    /** 408: not implemented. */
    NOT_IMPLEMENTED(408),
    /** 409: undefined error. */
    UNDEFINED_ERROR(409),
    /** 410: the firmware update failed (Cardinal: rolled back). */
    UPDATE_FAILED(410),
    /** 411: malformed or bad URL. */
    BAD_URL(411),
    /** 501: out of memory while downloading (no room for the package). */
    DOWNLOAD_OUT_OF_MEMORY(501),
    /** 502: out of memory while updating. */
    UPDATE_OUT_OF_MEMORY(502),
    /** 503: the download failed in the network. */
    DOWNLOAD_NETWORK_FAILURE(503);

    private final int code;

    FumoResult(int code) {
        this.code = code;
    }

    /** @return the code sent as the alert's Data */
    public int code() {
        return code;
    }

    /** @return whether the code reports success (200-299) */
    public boolean successful() {
        return code >= 200 && code < 300;
    }

    /**
     * @param code a code
     * @return the named result with that code
     * @throws IllegalArgumentException for a code Cardinal does not name (vendor ranges, 412, 500)
     */
    public static FumoResult ofCode(int code) {
        for (FumoResult r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("FUMO result code not named by Cardinal: " + code);
    }
}
