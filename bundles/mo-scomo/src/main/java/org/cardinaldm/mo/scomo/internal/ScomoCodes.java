package org.cardinaldm.mo.scomo.internal;

/**
 * The numbers of SCOMO 1.0 as Cardinal uses them: result codes (the Data of the Generic Alert 1226),
 * {@code Status} and {@code State} values. Sources: {@code docs/scomo-fumo-sources.md} §1.1 and §2 (vendor
 * implementations Redbend, MediaTek and a Verizon client that cites OMA-TS-DM-SCOMO-V1_0 §8.7; the OMA text
 * itself was not readable). Note the trap: Status 50/60/70 mean different things under Download and Delivered.
 */
final class ScomoCodes {
    /** The alert type of every SCOMO operation result (OMNA registry). */
    static final String ALERT_TYPE = "urn:oma:at:scomo:1.0:OperationComplete";

    /** Success. */
    static final int SUCCESS = 1200;
    /** Download failed (HTTP error, too large, unreachable, time-out). */
    static final int DOWNLOAD_FAILED = 1402;
    /** Download failed: the device is out of room (too many delivered packages). */
    static final int DOWNLOAD_OUT_OF_MEMORY = 1404;
    /** Install failed. */
    static final int INSTALL_FAILED = 1405;
    /** Package validation failed: missing, unsigned, untrusted, tampered or foreign manifest. */
    static final int VALIDATION_FAILED = 1407;
    /** Remove failed. */
    static final int REMOVE_FAILED = 1408;
    /** Activate failed. */
    static final int ACTIVATE_FAILED = 1409;
    /** Deactivate failed. */
    static final int DEACTIVATE_FAILED = 1410;
    /** Undefined error. */
    static final int UNDEFINED = 1412;
    /** Operation rejected: the package is of a type this device cannot install (not an OSGi bundle). */
    static final int UNSUPPORTED_TYPE = 1413;

    /** Status of every kind of entry: nothing going on. */
    static final int IDLE = 10;

    /** Download/&lt;X&gt;/Status values. */
    static final int DL_FAILED = 20;
    static final int DL_PROGRESSING = 30;
    static final int DL_COMPLETE = 40;
    static final int DL_INSTALL_PROGRESSING = 50;
    static final int DL_INSTALL_FAILED_WITH_DATA = 60;
    static final int DL_INSTALL_FAILED_WITHOUT_DATA = 70;

    /** Inventory/Delivered/&lt;X&gt;/Status values. */
    static final int DV_REMOVE_FAILED = 20;
    static final int DV_REMOVE_PROGRESSING = 30;
    static final int DV_INSTALL_PROGRESSING = 40;
    static final int DV_INSTALL_FAILED_WITH_DATA = 50;
    /** Inventory/Delivered/&lt;X&gt;/State values. */
    static final int DV_STATE_DELIVERED = 10;
    static final int DV_STATE_INSTALLED = 20;

    /** Inventory/Deployed/&lt;X&gt;/Status values. */
    static final int DP_REMOVE_FAILED = 20;
    static final int DP_REMOVE_PROGRESSING = 30;
    static final int DP_ACTIVATE_FAILED = 40;
    static final int DP_ACTIVATE_PROGRESSING = 50;
    static final int DP_DEACTIVATE_FAILED = 60;
    static final int DP_DEACTIVATE_PROGRESSING = 70;

    private ScomoCodes() {
    }
}
