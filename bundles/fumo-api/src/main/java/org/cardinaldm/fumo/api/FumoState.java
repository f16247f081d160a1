package org.cardinaldm.fumo.api;

/**
 * The value of a FUMO instance's {@code State} node (OMA FUMO 1.0, "State" and the state diagram): an integer
 * the server reads to follow an update.
 */
public enum FumoState {
    /** 10: no update in progress (Idle/Start). */
    IDLE(10),
    /** 20: the download failed. */
    DOWNLOAD_FAILED(20),
    /** 30: the download is in progress. */
    DOWNLOAD_PROGRESSING(30),
    /** 40: the package is downloaded (and verified). */
    DOWNLOAD_COMPLETE(40),
    /** 50: ready to update (authorised, waiting for the update to start). */
    READY_TO_UPDATE(50),
    /** 60: the update agent is applying the package. */
    UPDATE_PROGRESSING(60),
    /** 70: the update failed, the package is still on the device. */
    UPDATE_FAILED_HAVE_DATA(70),
    /** 80: the update failed, the package is gone. */
    UPDATE_FAILED_NO_DATA(80),
    /** 90: the update succeeded, the package is still on the device. */
    UPDATE_SUCCESSFUL_HAVE_DATA(90),
    /** 100: the update succeeded, the package is gone. */
    UPDATE_SUCCESSFUL_NO_DATA(100);

    private final int code;

    FumoState(int code) {
        this.code = code;
    }

    /** @return the integer written in {@code State} */
    public int code() {
        return code;
    }

    /**
     * @param code a {@code State} value
     * @return the state with that value
     * @throws IllegalArgumentException for any other value
     */
    public static FumoState ofCode(int code) {
        for (FumoState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown FUMO state " + code);
    }
}
