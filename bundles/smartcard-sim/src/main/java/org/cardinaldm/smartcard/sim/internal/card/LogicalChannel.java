package org.cardinaldm.smartcard.sim.internal.card;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One logical channel of a {@link Uicc} (ISO/IEC 7816-4 clause 5.1.1.2): what is selected on it (current
 * DF, current EF and record pointer, the application last selected) and the response data it holds back for
 * GET RESPONSE. Volatile: a reset or power-off discards every channel.
 *
 * <p>The {@link Uicc} opens, closes and relinks channels; {@link FileSystemCommands} moves their file
 * pointers. Not thread-safe: used only under the lock of its card.
 */
final class LogicalChannel {
    private DedicatedFile df;
    private ElementaryFile ef;
    private int record;
    private DedicatedFile adf;
    private byte[] pending;
    private final Map<String, byte[]> appletData = new HashMap<>();

    /**
     * A channel whose current DF is {@code df}, with no current EF, record or application.
     *
     * @param df the current DF (the MF for the basic channel after a reset)
     */
    LogicalChannel(DedicatedFile df) {
        this.df = df;
    }

    /**
     * A new channel opened from this one (MANAGE CHANNEL from a non-basic channel): it starts with this
     * channel's current DF, EF and application, and no record pointer or pending data.
     *
     * @return the new channel
     */
    LogicalChannel copy() {
        LogicalChannel opened = new LogicalChannel(df);
        opened.ef = ef;
        opened.adf = adf;
        return opened;
    }

    /** @return the current DF */
    DedicatedFile df() {
        return df;
    }

    /** @return the current EF, or {@code null} */
    ElementaryFile ef() {
        return ef;
    }

    /** @return the application (ADF) last selected on this channel, or {@code null} */
    DedicatedFile adf() {
        return adf;
    }

    /** @return the current record number, 0 for none */
    int record() {
        return record;
    }

    /**
     * Makes {@code target} current, as a successful SELECT does: a DF becomes the current DF (and the current
     * application if it is one) with no current EF; an EF becomes the current EF and its parent the current
     * DF. The record pointer is cleared either way.
     *
     * @param target the selected file
     */
    void select(CardFile target) {
        if (target instanceof DedicatedFile) {
            DedicatedFile selected = (DedicatedFile) target;
            df = selected;
            ef = null;
            if (selected.isApplication()) {
                adf = selected;
            }
        } else {
            df = target.parent();
            ef = (ElementaryFile) target;
        }
        record = 0;
    }

    /**
     * Makes an EF of the current DF current without changing the DF (selection by SFI); clears the record
     * pointer.
     *
     * @param file the EF
     */
    void selectEf(ElementaryFile file) {
        ef = file;
        record = 0;
    }

    /** @param number the new record pointer */
    void setRecord(int number) {
        record = number;
    }

    /** @return the response data waiting for GET RESPONSE, or {@code null} */
    byte[] pending() {
        return pending;
    }

    /** @param data response data to hold for GET RESPONSE, or {@code null} to drop what is held */
    void setPending(byte[] data) {
        pending = data;
    }

    /**
     * @param name an entry of a proprietary command's volatile data on this channel (e.g. chained input)
     * @return it, or {@code null}
     */
    byte[] appletData(String name) {
        return appletData.get(name);
    }

    /**
     * @param name the entry
     * @param value the new value, or {@code null} to drop it; gone with the channel (close, reset, power-off)
     */
    void putAppletData(String name, byte[] value) {
        if (value == null) {
            appletData.remove(name);
        } else {
            appletData.put(name, value);
        }
    }

    /**
     * Points the file pointers at the files with the same paths in another file tree (after the card
     * reloaded its committed image to undo a failed write).
     *
     * @param mf the MF of the new tree
     */
    void relink(DedicatedFile mf) {
        df = (DedicatedFile) relink(mf, df);
        ef = ef == null ? null : (ElementaryFile) relink(mf, ef);
        adf = adf == null ? null : (DedicatedFile) relink(mf, adf);
    }

    private static CardFile relink(DedicatedFile mf, CardFile file) {
        List<Integer> path = new ArrayList<>();
        for (CardFile f = file; f.parent() != null; f = f.parent()) {
            path.add(0, f.fid());
        }
        CardFile current = mf;
        for (int fid : path) {
            current = ((DedicatedFile) current).child(fid).orElseThrow();
        }
        return current;
    }
}
