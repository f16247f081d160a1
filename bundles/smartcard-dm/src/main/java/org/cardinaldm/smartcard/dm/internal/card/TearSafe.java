package org.cardinaldm.smartcard.dm.internal.card;

import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Exception;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Path;
import org.cardinaldm.smartcard.dm.internal.profile.ProfileCodec;
import org.cardinaldm.smartcard.dm.internal.profile.ProfileCodec.SlotControl;

/**
 * Reads and writes a tear-safe object: a control EF and two slot EFs (docs/smartcard-profile.md, section 5).
 * A write fills the slot that is not active, then commits with one UPDATE BINARY of the control record
 * (the card stores one command atomically), so a card pulled at any moment holds the old or the new content,
 * never a mix: before the control update the control still names the old, untouched slot.
 */
public final class TearSafe {
    /**
     * What was read.
     *
     * @param controlPath the control EF
     * @param control the control record
     * @param content the active slot's content, or null if it does not match the control record
     */
    public record Read(Pkcs15Path controlPath, SlotControl control, byte[] content) {
        /** @return whether the content matched its SHA-256 */
        public boolean valid() {
            return content != null;
        }
    }

    /**
     * The files a write touched, for the change counters.
     *
     * @param control the new control record
     * @param fids one FID per accepted UPDATE BINARY, in order
     */
    public record Written(SlotControl control, List<Integer> fids) {
    }

    private TearSafe() {
    }

    /**
     * @param io the channel, application selected
     * @param controlPath the control EF
     * @return the control only (no slot read)
     * @throws SmartCardException if the card refuses
     * @throws Pkcs15Exception if the control record is malformed
     */
    public static SlotControl control(CardIo io, Pkcs15Path controlPath) throws SmartCardException, Pkcs15Exception {
        return ProfileCodec.decodeControl(io.read(controlPath, -1, true));
    }

    /**
     * @param io the channel, application selected
     * @param controlPath the control EF
     * @return the control and the active content
     * @throws SmartCardException if the card refuses
     * @throws Pkcs15Exception if the control record is malformed
     */
    public static Read read(CardIo io, Pkcs15Path controlPath) throws SmartCardException, Pkcs15Exception {
        return readContent(io, controlPath, control(io, controlPath));
    }

    /**
     * @param io the channel, application selected
     * @param controlPath the control EF
     * @param control its record, already read
     * @return the control and the active content
     * @throws SmartCardException if the card refuses
     */
    public static Read readContent(CardIo io, Pkcs15Path controlPath, SlotControl control) throws SmartCardException {
        byte[] content = control.length() == 0 ? new byte[0] : io.read(control.activeSlot(), control.length(), false);
        return new Read(controlPath, control, control.matches(content) ? content : null);
    }

    /**
     * Commits new content.
     *
     * @param io the channel, application selected
     * @param controlPath the control EF
     * @param current the control record now on the card
     * @param content the new content, at most {@code current.slotSize()} bytes
     * @return the new control record and the files written
     * @throws SmartCardException if the card refuses a write (nothing is committed then) or is pulled
     * @throws IllegalArgumentException if the content does not fit a slot
     */
    public static Written write(CardIo io, Pkcs15Path controlPath, SlotControl current, byte[] content)
            throws SmartCardException {
        if (content.length > current.slotSize()) {
            throw new IllegalArgumentException("Content of " + content.length + " bytes does not fit a slot of "
                    + current.slotSize());
        }
        SlotControl next = current.next(content);
        byte[] control = ProfileCodec.encode(next);
        if (control.length > CardIo.MAX_WRITE) {
            throw new IllegalArgumentException("The control record does not fit one UPDATE BINARY");
        }
        List<Integer> fids = new ArrayList<>();
        Pkcs15Path slot = next.activeSlot();
        int n = io.write(slot, 0, content);
        for (int i = 0; i < n; i++) {
            fids.add(slot.fid());
        }
        io.write(controlPath, 0, control);
        fids.add(controlPath.fid());
        return new Written(next, fids);
    }
}
