package org.cardinaldm.smartcard.dm.internal.card;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.FumoPolicy;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Path;
import org.cardinaldm.smartcard.dm.internal.profile.DmState;
import org.cardinaldm.smartcard.dm.internal.profile.ProfileCodec.SlotControl;

/**
 * Everything discovery read from one card, immutable: where the PKCS#15 application and its objects are,
 * the bootstrap document, the policies, the credentials and the MO store's control record. The file FIDs
 * each part was read from let a refresh re-read only what the change counters say moved.
 *
 * @param reader the reader
 * @param atr the ATR
 * @param state EF.DMSTATE, or null for a card without the profile's commands
 * @param cardId the card id in hex
 * @param application the PKCS#15 application from EF.DIR
 * @param odf the ODF entries
 * @param dataObjects the DODF objects
 * @param bootstrapPath where the bootstrap document is, or null
 * @param bootstrap the bootstrap document (padding removed), or null
 * @param policyPath the policy's control EF, or null
 * @param policyControl its control record, or null
 * @param policy the card policy (defaults if none or unreadable)
 * @param fumoPath the FUMO policy's control EF, or null
 * @param fumoControl its control record, or null
 * @param fumo the FUMO policy, or null
 * @param credentialsPath the credentials EF, or null
 * @param credentials the credentials
 * @param moPath the MO store's control EF, or null
 * @param moControl its control record, or null
 * @param problems what was wrong with the card's data (skipped entries, corrupt slots)
 */
public record CardContents(String reader, byte[] atr, DmState state, String cardId, Pkcs15.DirApplication application,
        List<Pkcs15.OdfEntry> odf, List<Pkcs15.DataObject> dataObjects, Pkcs15Path bootstrapPath, byte[] bootstrap,
        Pkcs15Path policyPath, SlotControl policyControl, CardPolicy policy, Pkcs15Path fumoPath, SlotControl fumoControl,
        FumoPolicy fumo, Pkcs15Path credentialsPath, List<CardCredential> credentials, Pkcs15Path moPath,
        SlotControl moControl, List<String> problems) {

    /** The parts a change can touch. */
    public enum Part {
        /** EF.DIR, ODF, DODF and anything unknown: discover again. */
        STRUCTURE,
        /** The bootstrap document. */
        BOOTSTRAP,
        /** The card policy. */
        POLICY,
        /** The FUMO policy. */
        FUMO,
        /** The credentials. */
        CREDENTIALS,
        /** The MO store. */
        MO
    }

    /**
     * @param fid a file that changed
     * @return the part it belongs to
     */
    public Part partOf(int fid) {
        if (bootstrapPath != null && bootstrapPath.fid() == fid) {
            return Part.BOOTSTRAP;
        }
        if (credentialsPath != null && credentialsPath.fid() == fid) {
            return Part.CREDENTIALS;
        }
        if (belongs(fid, policyPath, policyControl)) {
            return Part.POLICY;
        }
        if (belongs(fid, fumoPath, fumoControl)) {
            return Part.FUMO;
        }
        if (belongs(fid, moPath, moControl)) {
            return Part.MO;
        }
        return Part.STRUCTURE;
    }

    private static boolean belongs(int fid, Pkcs15Path control, SlotControl record) {
        if (control == null) {
            return false;
        }
        if (control.fid() == fid) {
            return true;
        }
        return record != null && (record.slots().get(0).fid() == fid || record.slots().get(1).fid() == fid);
    }

    /** @return the Cardinal profile version, or empty */
    public String profileVersion() {
        return state == null ? "" : state.profileVersion();
    }

    /** @return the change counter, or -1 */
    public long changeCounter() {
        return state == null ? -1 : state.counter();
    }

    /** @return capability names */
    public Set<String> capabilities() {
        Set<String> caps = new java.util.LinkedHashSet<>(state == null ? Set.of() : state.capabilities());
        if (moPath != null) {
            caps.add(org.cardinaldm.smartcard.dm.api.DmCard.CAPABILITY_MO_STORE);
        }
        return caps;
    }

    /** @return free bytes in the MO store, or -1 */
    public long freeSpace() {
        return moControl == null ? -1 : moControl.slotSize() - moControl.length();
    }

    /** @return the bootstrap document */
    public Optional<byte[]> bootstrapDocument() {
        return Optional.ofNullable(bootstrap).map(byte[]::clone);
    }

    /** @return the ATR in hex */
    public String atrHex() {
        return HexFormat.of().withUpperCase().formatHex(atr);
    }
}
