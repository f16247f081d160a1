package org.cardinaldm.smartcard.dm.internal.pkcs15;

import java.util.List;
import java.util.Optional;

/**
 * The PKCS#15 objects Cardinal reads (PKCS#15 v1.1 / ISO/IEC 7816-15; record types only, parsing is in
 * {@link Pkcs15Parser}).
 */
public final class Pkcs15 {
    /** The PKCS#15 application identifier. */
    public static final byte[] AID = {(byte) 0xA0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35};
    /** EF.DIR under the MF. */
    public static final int EF_DIR = 0x2F00;
    /** EF.DIR's short file identifier (ETSI TS 102 221). */
    public static final int EF_DIR_SFI = 30;
    /** EF.ODF in the application. */
    public static final int EF_ODF = 0x5031;
    /** EF.TokenInfo in the application. */
    public static final int EF_TOKEN_INFO = 0x5032;
    /** The OMA DM bootstrap data object (OMA-TS-DM_Bootstrap-V1_2). */
    public static final String OID_DM_BOOTSTRAP = "2.23.43.7.1";

    /** ODF choice tags (PKCS15Objects). */
    public static final int ODF_PRKDF = 0xA0;
    /** Public keys. */
    public static final int ODF_PUKDF = 0xA1;
    /** Trusted public keys. */
    public static final int ODF_TRUSTED_PUKDF = 0xA2;
    /** Secret keys. */
    public static final int ODF_SKDF = 0xA3;
    /** Certificates. */
    public static final int ODF_CDF = 0xA4;
    /** Trusted certificates. */
    public static final int ODF_TRUSTED_CDF = 0xA5;
    /** Useful certificates. */
    public static final int ODF_USEFUL_CDF = 0xA6;
    /** Data objects. */
    public static final int ODF_DODF = 0xA7;
    /** Authentication objects. */
    public static final int ODF_AODF = 0xA8;

    private Pkcs15() {
    }

    /**
     * An application template of EF.DIR.
     *
     * @param aid the application identifier
     * @param label the label, or empty
     * @param path the path to the application DF, or null
     */
    public record DirApplication(byte[] aid, String label, byte[] path) {
    }

    /**
     * An ODF entry.
     *
     * @param tag the choice tag, e.g. {@link #ODF_DODF}
     * @param path where the directory file is
     */
    public record OdfEntry(int tag, Pkcs15Path path) {
    }

    /**
     * EF.TokenInfo.
     *
     * @param version the version (0 = v1)
     * @param serialNumber the serial number
     * @param manufacturer the manufacturer id, or empty
     * @param label the token label, or empty
     * @param flags the token flags as bits (bit 0 readonly, 1 loginRequired, 2 prnGeneration, 3 eidCompliant)
     */
    public record TokenInfo(int version, byte[] serialNumber, String manufacturer, String label, int flags) {
    }

    /**
     * The common attributes of every PKCS#15 object.
     *
     * @param label the label, or empty
     * @param privateObject flag {@code private}: reading needs authentication
     * @param modifiable flag {@code modifiable}
     * @param authId the authentication object protecting it, or null
     */
    public record Common(String label, boolean privateObject, boolean modifiable, byte[] authId) {
    }

    /**
     * A DODF entry.
     *
     * @param common common attributes
     * @param kind {@code opaque}, {@code external} or {@code oid}
     * @param applicationName the application name, or empty
     * @param applicationOid the application OID, or empty
     * @param oid the OidDO's id (for {@code oid}), or empty
     * @param path where the value is, or null when the value is direct
     * @param direct the direct value, or null
     */
    public record DataObject(Common common, String kind, String applicationName, String applicationOid,
            String oid, Pkcs15Path path, byte[] direct) {
        /**
         * @param wanted an OID
         * @return whether this object is identified by it (as OidDO id or as applicationOID)
         */
        public boolean isIdentifiedBy(String wanted) {
            return wanted.equals(oid) || wanted.equals(applicationOid);
        }
    }

    /**
     * An AODF PIN entry.
     *
     * @param common common attributes
     * @param authId the authentication id
     * @param pinFlags the PIN flags as bits (bit 0 case-sensitive … bit 7 soPin)
     * @param pinType the PIN type (0 bcd, 1 ascii-numeric, 2 utf8, …)
     * @param minLength minimum length
     * @param storedLength stored length
     * @param maxLength maximum length, or -1
     * @param reference the PIN reference on the card, or -1
     * @param path the DF the PIN belongs to, or null
     */
    public record AuthObject(Common common, byte[] authId, int pinFlags, int pinType, int minLength, int storedLength,
            int maxLength, int reference, Pkcs15Path path) {
    }

    /**
     * A CDF X.509 certificate entry.
     *
     * @param common common attributes
     * @param id the certificate id
     * @param authority whether it is a CA certificate
     * @param path where the certificate is, or null when direct
     * @param direct the certificate, or null
     */
    public record CertificateObject(Common common, byte[] id, boolean authority, Pkcs15Path path, byte[] direct) {
    }

    /**
     * @param entries ODF entries
     * @param tag a choice tag
     * @return the first entry with it
     */
    public static Optional<OdfEntry> first(List<OdfEntry> entries, int tag) {
        return entries.stream().filter(e -> e.tag() == tag).findFirst();
    }
}
