package org.cardinaldm.pkg.trust.api;

/**
 * What a package is for; the manifest's {@code kind} ENUMERATED, signed with it, so that an application
 * package can never be passed off as firmware or the other way round.
 */
public enum PackageKind {
    /** An application package installed through SCOMO: an OSGi bundle or a Karaf feature archive (KAR). */
    APPLICATION(0),
    /** A firmware package applied through FUMO by an update agent. */
    FIRMWARE(1);

    private final int code;

    PackageKind(int code) {
        this.code = code;
    }

    /** @return the value of the ENUMERATED in the manifest's DER */
    public int code() {
        return code;
    }

    /**
     * @param code the value of the ENUMERATED
     * @return the kind with that code
     * @throws IllegalArgumentException for an unknown code
     */
    public static PackageKind ofCode(int code) {
        for (PackageKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new IllegalArgumentException("Unknown package kind " + code);
    }
}
