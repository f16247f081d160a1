package org.cardinaldm.smartcard.sim.internal.card;

import static org.cardinaldm.smartcard.sim.internal.card.FileControlParameters.fcpContent;
import static org.cardinaldm.smartcard.sim.internal.card.FileControlParameters.fmdContent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandException;

/**
 * The card's file-system commands (ISO/IEC 7816-4 clauses 11.1-11.4, with the FID rules of ETSI TS 102 221
 * clause 8.4.1): SELECT ({@code A4}: P1 00 by FID, 01 child DF, 02 EF of current DF, 03 parent, 04 by AID
 * with first/next occurrence, 08 path from MF, 09 path from current DF; P2 00 FCI, 04 FCP, 08 FMD, 0C none),
 * READ BINARY ({@code B0}) and UPDATE BINARY ({@code D6}) with offset or SFI, READ RECORD ({@code B2}) and
 * UPDATE RECORD ({@code DC}) in absolute, current, next and previous mode with optional SFI.
 *
 * <p>What is selected lives in each {@link LogicalChannel}; reads and writes check the file's access
 * condition against the card's {@link SecurityState}; every accepted write goes to the card's write
 * observer and is committed before the card answers.
 */
final class FileSystemCommands implements CommandFamily {
    static final int INS_SELECT = 0xA4;
    static final int INS_READ_BINARY = 0xB0;
    static final int INS_UPDATE_BINARY = 0xD6;
    static final int INS_READ_RECORD = 0xB2;
    static final int INS_UPDATE_RECORD = 0xDC;

    private final Card card;

    /** @param card the card the commands run in */
    FileSystemCommands(Card card) {
        this.card = Objects.requireNonNull(card, "card");
    }

    @Override
    public void registerWith(Registry registry) {
        registry.add(INS_SELECT, this::select);
        registry.add(INS_READ_BINARY, this::readBinary);
        registry.add(INS_UPDATE_BINARY, this::updateBinary);
        registry.add(INS_READ_RECORD, this::readRecord);
        registry.add(INS_UPDATE_RECORD, this::updateRecord);
    }

    // ---------------------------------------------------------------- SELECT

    private ResponseApdu select(CommandApdu c, LogicalChannel ch) throws CommandException {
        int p1 = c.p1();
        int p2 = c.p2();
        if ((p2 & 0xF0) != 0 || (p2 & 0x03) != 0 && p1 != 0x04) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        byte[] data = c.data();
        CardFile target;
        switch (p1) {
            case 0x00:
                if (data.length == 0) {
                    target = card.image().mf();
                } else if (data.length == 2) {
                    target = byFid(ch, fid(data, 0));
                } else {
                    throw new CommandException(StatusWord.WRONG_LENGTH);
                }
                break;
            case 0x01:
                target = childOf(ch.df(), fid2(data), true);
                break;
            case 0x02:
                target = childOf(ch.df(), fid2(data), false);
                break;
            case 0x03:
                if (data.length != 0) {
                    throw new CommandException(StatusWord.WRONG_LENGTH);
                }
                if (ch.df().parent() == null) {
                    throw new CommandException(StatusWord.FILE_NOT_FOUND);
                }
                target = ch.df().parent();
                break;
            case 0x04:
                target = byAid(ch, data, p2 & 0x03);
                break;
            case 0x08:
                target = byPath(ch, card.image().mf(), data, true);
                break;
            case 0x09:
                target = byPath(ch, ch.df(), data, false);
                break;
            default:
                throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        ch.select(target);
        switch (p2 & 0x0C) {
            case 0x00: return ResponseApdu.of(Tlv.of(0x6F, fcpContent(target)), StatusWord.NO_ERROR);
            case 0x04: return ResponseApdu.of(Tlv.of(0x62, fcpContent(target)), StatusWord.NO_ERROR);
            case 0x08: return ResponseApdu.of(Tlv.of(0x64, fmdContent(target)), StatusWord.NO_ERROR);
            default: return ResponseApdu.of(StatusWord.NO_ERROR);
        }
    }

    private static int fid(byte[] data, int offset) {
        return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
    }

    private static int fid2(byte[] data) throws CommandException {
        if (data.length != 2) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        return fid(data, 0);
    }

    /** ETSI TS 102 221 clause 8.4.1: what a FID may select from the current DF. */
    private CardFile byFid(LogicalChannel ch, int fid) throws CommandException {
        if (fid == CardFile.MF_FID) {
            return card.image().mf();
        }
        if (fid == CardFile.CURRENT_ADF_FID && ch.adf() != null) {
            return ch.adf();
        }
        DedicatedFile df = ch.df();
        var child = df.child(fid);
        if (child.isPresent()) {
            return child.get();
        }
        if (df.fid() == fid) {
            return df;
        }
        DedicatedFile parent = df.parent();
        if (parent != null) {
            if (parent.fid() == fid) {
                return parent;
            }
            var sibling = parent.child(fid);
            if (sibling.isPresent() && sibling.get() instanceof DedicatedFile) {
                return sibling.get();
            }
        }
        throw new CommandException(StatusWord.FILE_NOT_FOUND);
    }

    private static CardFile childOf(DedicatedFile df, int fid, boolean wantDf) throws CommandException {
        var child = df.child(fid);
        if (child.isEmpty() || (child.get() instanceof DedicatedFile) != wantDf) {
            throw new CommandException(StatusWord.FILE_NOT_FOUND);
        }
        return child.get();
    }

    private CardFile byAid(LogicalChannel ch, byte[] aid, int occurrence) throws CommandException {
        if (aid.length == 0) {
            // no data: select the MF (ISO/IEC 7816-4 clause 11.1.1)
            return card.image().mf();
        }
        if (aid.length > 16) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        List<DedicatedFile> matches = new ArrayList<>();
        collectApplications(card.image().mf(), aid, matches);
        if (matches.isEmpty()) {
            throw new CommandException(StatusWord.FILE_NOT_FOUND);
        }
        switch (occurrence) {
            case 0x00:
                return matches.get(0);
            case 0x02: {
                int current = matches.indexOf(ch.df());
                if (current < 0) {
                    return matches.get(0);
                }
                if (current + 1 >= matches.size()) {
                    throw new CommandException(StatusWord.FILE_NOT_FOUND);
                }
                return matches.get(current + 1);
            }
            default:
                throw new CommandException(StatusWord.FUNCTION_NOT_SUPPORTED);
        }
    }

    private static void collectApplications(DedicatedFile df, byte[] aid, List<DedicatedFile> out) {
        if (df.aidMatches(aid)) {
            out.add(df);
        }
        for (CardFile child : df.children()) {
            if (child instanceof DedicatedFile) {
                collectApplications((DedicatedFile) child, aid, out);
            }
        }
    }

    private CardFile byPath(LogicalChannel ch, DedicatedFile start, byte[] path, boolean fromMf)
            throws CommandException {
        if (path.length == 0 || path.length % 2 != 0) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        int i = 0;
        CardFile current = start;
        if (fromMf && fid(path, 0) == CardFile.MF_FID) {
            i = 2; // tolerate a path that names the MF
        }
        if (i < path.length && fid(path, i) == CardFile.CURRENT_ADF_FID && ch.adf() != null) {
            current = ch.adf();
            i += 2;
        }
        for (; i < path.length; i += 2) {
            if (!(current instanceof DedicatedFile)) {
                throw new CommandException(StatusWord.FILE_NOT_FOUND);
            }
            var next = ((DedicatedFile) current).child(fid(path, i));
            if (next.isEmpty()) {
                throw new CommandException(StatusWord.FILE_NOT_FOUND);
            }
            current = next.get();
        }
        return current;
    }

    // ---------------------------------------------------------------- BINARY

    private ElementaryFile efForBinary(CommandApdu c, LogicalChannel ch) throws CommandException {
        int p1 = c.p1();
        if ((p1 & 0x80) != 0) {
            if ((p1 & 0x60) != 0) {
                throw new CommandException(StatusWord.INCORRECT_P1_P2);
            }
            int sfi = p1 & 0x1F;
            ElementaryFile ef = ch.df().childBySfi(sfi)
                    .orElseThrow(() -> new CommandException(StatusWord.FILE_NOT_FOUND));
            ch.selectEf(ef);
            return ef;
        }
        if (ch.ef() == null) {
            throw new CommandException(StatusWord.NO_CURRENT_EF);
        }
        return ch.ef();
    }

    private static int binaryOffset(CommandApdu c) {
        return (c.p1() & 0x80) != 0 ? c.p2() : ((c.p1() & 0x7F) << 8) | c.p2();
    }

    private ResponseApdu readBinary(CommandApdu c, LogicalChannel ch) throws CommandException {
        if (c.nc() != 0 || c.ne() == 0) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        ElementaryFile ef = efForBinary(c, ch);
        if (!(ef instanceof TransparentFile)) {
            throw new CommandException(StatusWord.INCOMPATIBLE_FILE_STRUCTURE);
        }
        if (!ef.readCondition().isSatisfiedBy(card.security())) {
            throw new CommandException(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
        }
        TransparentFile tf = (TransparentFile) ef;
        int offset = binaryOffset(c);
        if (offset >= tf.size()) {
            throw new CommandException(StatusWord.WRONG_P1_P2);
        }
        int available = tf.size() - offset;
        int ne = c.ne();
        boolean maximum = ne == 256 || ne == 65536;
        if (ne > available && !maximum) {
            if (card.image().protocol() == CardImage.Protocol.T0) {
                throw new CommandException(StatusWord.WRONG_LE | (available & 0xFF));
            }
            return ResponseApdu.of(tf.read(offset, available), StatusWord.WARNING_END_OF_FILE);
        }
        return ResponseApdu.of(tf.read(offset, Math.min(ne, available)), StatusWord.NO_ERROR);
    }

    private ResponseApdu updateBinary(CommandApdu c, LogicalChannel ch) throws CommandException {
        if (c.nc() == 0) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        ElementaryFile ef = efForBinary(c, ch);
        if (!(ef instanceof TransparentFile)) {
            throw new CommandException(StatusWord.INCOMPATIBLE_FILE_STRUCTURE);
        }
        if (!ef.updateCondition().isSatisfiedBy(card.security())) {
            throw new CommandException(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
        }
        TransparentFile tf = (TransparentFile) ef;
        int offset = binaryOffset(c);
        if (offset >= tf.size()) {
            throw new CommandException(StatusWord.WRONG_P1_P2);
        }
        if (offset + c.nc() > tf.size()) {
            throw new CommandException(StatusWord.NOT_ENOUGH_MEMORY);
        }
        tf.write(offset, c.data());
        card.written(ch, tf);
        card.commit();
        return ResponseApdu.of(StatusWord.NO_ERROR);
    }

    // ---------------------------------------------------------------- RECORD

    private LinearFixedFile efForRecord(CommandApdu c, LogicalChannel ch) throws CommandException {
        int sfi = c.p2() >> 3;
        ElementaryFile ef;
        if (sfi == 0x1F) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        if (sfi != 0) {
            ef = ch.df().childBySfi(sfi).orElseThrow(() -> new CommandException(StatusWord.FILE_NOT_FOUND));
            if (ef != ch.ef()) {
                ch.selectEf(ef);
            }
        } else if (ch.ef() == null) {
            throw new CommandException(StatusWord.NO_CURRENT_EF);
        } else {
            ef = ch.ef();
        }
        if (!(ef instanceof LinearFixedFile)) {
            throw new CommandException(StatusWord.INCOMPATIBLE_FILE_STRUCTURE);
        }
        return (LinearFixedFile) ef;
    }

    /** Resolves the record a READ/UPDATE RECORD addresses and moves the record pointer as the mode says. */
    private int recordNumber(CommandApdu c, LogicalChannel ch, LinearFixedFile ef) throws CommandException {
        int mode = c.p2() & 0x07;
        int p1 = c.p1();
        switch (mode) {
            case 0x04: // absolute, or current when P1 = 0
                if (p1 == 0) {
                    if (ch.record() == 0) {
                        throw new CommandException(StatusWord.RECORD_NOT_FOUND);
                    }
                    return ch.record();
                }
                if (p1 == 0xFF || p1 > ef.recordCount()) {
                    throw new CommandException(StatusWord.RECORD_NOT_FOUND);
                }
                return p1;
            case 0x02: // next
            case 0x03: { // previous
                if (p1 != 0) {
                    throw new CommandException(StatusWord.INCORRECT_P1_P2);
                }
                int next;
                if (mode == 0x02) {
                    next = ch.record() == 0 ? 1 : ch.record() + 1;
                } else {
                    next = ch.record() == 0 ? ef.recordCount() : ch.record() - 1;
                }
                if (next < 1 || next > ef.recordCount()) {
                    throw new CommandException(StatusWord.RECORD_NOT_FOUND);
                }
                ch.setRecord(next);
                return next;
            }
            default:
                throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
    }

    private ResponseApdu readRecord(CommandApdu c, LogicalChannel ch) throws CommandException {
        if (c.nc() != 0 || c.ne() == 0) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        LinearFixedFile ef = efForRecord(c, ch);
        if (!ef.readCondition().isSatisfiedBy(card.security())) {
            throw new CommandException(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
        }
        int ne = c.ne();
        if (ne != 256 && ne != 65536 && ne != ef.recordLength()) {
            throw new CommandException(StatusWord.WRONG_LE | ef.recordLength());
        }
        int number = recordNumber(c, ch, ef);
        return ResponseApdu.of(ef.record(number), StatusWord.NO_ERROR);
    }

    private ResponseApdu updateRecord(CommandApdu c, LogicalChannel ch) throws CommandException {
        if (c.nc() == 0) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        LinearFixedFile ef = efForRecord(c, ch);
        if (!ef.updateCondition().isSatisfiedBy(card.security())) {
            throw new CommandException(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
        }
        if (c.nc() != ef.recordLength()) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        int number = recordNumber(c, ch, ef);
        ef.setRecord(number, c.data());
        card.written(ch, ef);
        card.commit();
        return ResponseApdu.of(StatusWord.NO_ERROR);
    }
}
