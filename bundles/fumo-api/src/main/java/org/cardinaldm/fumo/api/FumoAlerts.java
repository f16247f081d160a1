package org.cardinaldm.fumo.api;

/**
 * The Meta Types of FUMO's Generic Alerts (1226), OMA FUMO 1.0: the results of the three Execs, and the two
 * client-initiated requests.
 */
public final class FumoAlerts {
    /** Prefix shared by every FUMO alert type. */
    public static final String PREFIX = "org.openmobilealliance.dm.firmwareupdate.";
    /** Result of an Exec on {@code Download}. */
    public static final String DOWNLOAD = PREFIX + "download";
    /** Result of an Exec on {@code Update}. */
    public static final String UPDATE = PREFIX + "update";
    /** Result of an Exec on {@code DownloadAndUpdate}. */
    public static final String DOWNLOAD_AND_UPDATE = PREFIX + "downloadandupdate";
    /** The device asks its server for an update (device-initiated). */
    public static final String DEVICE_REQUEST = PREFIX + "devicerequest";
    /** The user asks for an update (user-initiated). */
    public static final String USER_REQUEST = PREFIX + "userrequest";
    /** The FUMO management object's identifier. */
    public static final String MO_ID = "urn:oma:mo:oma-fumo:1.0";

    private FumoAlerts() {
    }
}
