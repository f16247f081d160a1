package org.cardinaldm.smartcard.dm.internal.card;

import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.CLA;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_GET_CHANGE_COUNTER;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;

import org.cardinaldm.smartcard.api.CardChannel;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Exception;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Path;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Tlv;
import org.cardinaldm.smartcard.dm.internal.profile.DmState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file operations of the profile on one channel of an open session, with as few APDUs as the card
 * allows: files the card's EF.DMSTATE gives a short file identifier are read and written with SFI
 * addressing (no SELECT); others are selected by path, with no FCP returned. Reads stop at the end of the
 * file, at a known length, or (for files of data objects) where padding begins. Every APDU is counted.
 *
 * <p>Paths are absolute when they start with {@code 3F00}, otherwise relative to the PKCS#15 application,
 * which must be selected first ({@link #selectApplication(byte[])}).
 */
public final class CardIo {
    private static final Logger LOG = LoggerFactory.getLogger(CardIo.class);
    /** Largest data field of a short UPDATE BINARY. */
    static final int MAX_WRITE = 255;
    /** Largest response of a short READ BINARY. */
    static final int MAX_READ = 256;

    private final CardChannel channel;
    private final ApduStats stats;
    private DmState state;
    private byte[] applicationPath;
    private boolean applicationSelected;

    /**
     * @param channel the channel of an open session
     * @param stats where APDUs are counted
     */
    public CardIo(CardChannel channel, ApduStats stats) {
        this.channel = channel;
        this.stats = stats;
    }

    /**
     * @param command a command
     * @return the response
     * @throws SmartCardException if the card is gone or the exchange failed
     */
    public ResponseApdu send(CommandApdu command) throws SmartCardException {
        ResponseApdu r = channel.transmit(command);
        stats.record(command.bytes().length, r.length() + 2);
        return r;
    }

    /** @param state the card's EF.DMSTATE, whose file table gives SFIs */
    public void useState(DmState state) {
        this.state = state;
    }

    /** @return the state in use, or null */
    public DmState state() {
        return state;
    }

    /**
     * GET CHANGE COUNTER.
     *
     * @return the card's state, or empty if the card does not implement the profile's commands
     * @throws SmartCardException if the card is gone
     * @throws Pkcs15Exception if the card answered a malformed state
     */
    public Optional<DmState> getChangeCounter() throws SmartCardException, Pkcs15Exception {
        ResponseApdu r = send(CommandApdu.of(CLA, INS_GET_CHANGE_COUNTER, 0, 0, 256));
        if (!r.isSuccess()) {
            LOG.debug("GET CHANGE COUNTER answered {}: not a Cardinal profile card", StatusWord.toHex(r.sw()));
            return Optional.empty();
        }
        return Optional.of(DmState.parse(r.data()));
    }

    /**
     * Reads one record of EF.DIR. Uses the SFI (30) from the MF; if the current DF is elsewhere, selects the
     * MF and tries again.
     *
     * @param number the record number
     * @return the record, or empty past the last one
     * @throws SmartCardException if the card refuses otherwise
     */
    public Optional<byte[]> readDirRecord(int number) throws SmartCardException {
        CommandApdu read = CommandApdu.of(0x00, 0xB2, number, (30 << 3) | 0x04, 256);
        ResponseApdu r = send(read);
        if (r.sw() == StatusWord.FILE_NOT_FOUND && number == 1) {
            send(CommandApdu.of(0x00, 0xA4, 0x00, 0x0C, new byte[] {0x3F, 0x00})).requireSuccess("SELECT MF");
            applicationSelected = false;
            r = send(read);
        }
        if (r.sw() == StatusWord.RECORD_NOT_FOUND) {
            return Optional.empty();
        }
        r.requireSuccess("READ RECORD EF.DIR");
        return Optional.of(r.data());
    }

    /**
     * SELECT by AID, no FCI.
     *
     * @param aid the application
     * @throws SmartCardException {@link SmartCardException.Code#FILE_NOT_FOUND} if absent
     */
    public void selectApplication(byte[] aid) throws SmartCardException {
        send(CommandApdu.of(0x00, 0xA4, 0x04, 0x0C, aid)).requireSuccess("SELECT application");
        applicationSelected = true;
    }

    /** @param path the application's path from EF.DIR (e.g. {@code 3F00 5015}), to recognise absolute paths into it */
    public void applicationPath(byte[] path) {
        this.applicationPath = path == null ? null : path.clone();
    }

    /** The SFI for a path, if the path names a file of the application that the card gave an SFI. */
    private int sfiOf(Pkcs15Path path) {
        if (state == null || !applicationSelected) {
            return 0;
        }
        byte[] p = path.bytes();
        boolean inApplication = p.length == 2 && !path.isAbsolute();
        if (!inApplication && applicationPath != null && p.length == applicationPath.length + 2) {
            inApplication = Arrays.equals(Arrays.copyOf(p, applicationPath.length), applicationPath);
        }
        if (!inApplication && p.length == 4 && p[0] == 0x7F && p[1] == (byte) 0xFF) {
            inApplication = true;
        }
        return inApplication ? state.sfi(path.fid()).orElse(0) : 0;
    }

    private void select(Pkcs15Path path) throws SmartCardException {
        byte[] p = path.bytes();
        CommandApdu select;
        if (path.isAbsolute()) {
            select = CommandApdu.of(0x00, 0xA4, 0x08, 0x0C, Arrays.copyOfRange(p, 2, p.length));
        } else if (p.length == 2) {
            select = CommandApdu.of(0x00, 0xA4, 0x02, 0x0C, p);
        } else {
            select = CommandApdu.of(0x00, 0xA4, 0x09, 0x0C, p);
        }
        send(select).requireSuccess("SELECT " + path);
    }

    /**
     * Reads a transparent file.
     *
     * @param path the file
     * @param limit how many bytes are wanted, or -1 for all
     * @param dataObjects whether the file holds BER data objects followed by padding (reading stops at the padding)
     * @return the bytes read
     * @throws SmartCardException if the card refuses
     */
    public byte[] read(Pkcs15Path path, int limit, boolean dataObjects) throws SmartCardException {
        int start = path.index() >= 0 ? path.index() : 0;
        if (limit < 0 && path.length() >= 0) {
            limit = path.length();
        }
        int sfi = start <= 255 ? sfiOf(path) : 0;
        if (sfi == 0) {
            select(path);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = start;
        boolean first = true;
        while (limit < 0 || out.size() < limit) {
            int want = limit < 0 ? MAX_READ : Math.min(MAX_READ, limit - out.size());
            CommandApdu c = first && sfi != 0 ? CommandApdu.of(0x00, 0xB0, 0x80 | sfi, offset, want)
                    : CommandApdu.of(0x00, 0xB0, (offset >> 8) & 0x7F, offset & 0xFF, want);
            first = false;
            ResponseApdu r = send(c);
            if (r.sw() == StatusWord.WRONG_P1_P2 && out.size() > 0) {
                break; // offset at the end of the file
            }
            if (r.sw() == StatusWord.WARNING_END_OF_FILE) {
                out.writeBytes(r.data());
                break;
            }
            r.requireSuccess("READ BINARY " + path);
            byte[] d = r.data();
            out.writeBytes(d);
            if (d.length < want || d.length == 0) {
                break;
            }
            if (dataObjects && Tlv.endsInPadding(out.toByteArray())) {
                break;
            }
            offset += d.length;
            if (offset > 0x7FFF) {
                break;
            }
        }
        byte[] data = out.toByteArray();
        return limit >= 0 && data.length > limit ? Arrays.copyOf(data, limit) : data;
    }

    /**
     * Writes a transparent file in UPDATE BINARY chunks of up to 255 bytes.
     *
     * @param path the file
     * @param offset where to start
     * @param data the bytes
     * @return how many UPDATE BINARY commands the card accepted
     * @throws SmartCardException if the card refuses (the chunks before stay written)
     */
    public int write(Pkcs15Path path, int offset, byte[] data) throws SmartCardException {
        if (data.length == 0) {
            return 0;
        }
        int sfi = offset <= 255 ? sfiOf(path) : 0;
        if (sfi == 0) {
            select(path);
        }
        int done = 0;
        int at = 0;
        boolean first = true;
        do {
            int n = Math.min(MAX_WRITE, data.length - at);
            byte[] chunk = Arrays.copyOfRange(data, at, at + n);
            int off = offset + at;
            CommandApdu c = first && sfi != 0 ? CommandApdu.of(0x00, 0xD6, 0x80 | sfi, off, chunk)
                    : CommandApdu.of(0x00, 0xD6, (off >> 8) & 0x7F, off & 0xFF, chunk);
            first = false;
            send(c).requireSuccess("UPDATE BINARY " + path);
            done++;
            at += n;
        } while (at < data.length);
        return done;
    }

    /**
     * @return the underlying channel
     */
    public CardChannel channel() {
        return channel;
    }
}
