package org.cardinaldm.smartcard.dm.internal.card;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.FumoPolicy;
import org.cardinaldm.smartcard.dm.internal.card.CardContents.Part;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.DataObject;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.DirApplication;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.OdfEntry;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Exception;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Parser;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Path;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Tlv;
import org.cardinaldm.smartcard.dm.internal.profile.Cardinal;
import org.cardinaldm.smartcard.dm.internal.profile.DmState;
import org.cardinaldm.smartcard.dm.internal.profile.ProfileCodec;
import org.cardinaldm.smartcard.dm.internal.profile.ProfileCodec.SlotControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a card's DM data the DM Bootstrap 1.2 way and Cardinal's profile way, with as few APDUs as the
 * PKCS#15 chain allows (docs/smartcard-profile.md, section 8):
 * <ol>
 * <li>GET CHANGE COUNTER (Cardinal cards: card id, counters, SFIs; other cards answer an error);</li>
 * <li>EF.DIR record by record (SFI 30) until the PKCS#15 application;</li>
 * <li>SELECT the application by AID;</li>
 * <li>EF.ODF, then each DODF;</li>
 * <li>the DODF objects: the DM bootstrap (2.23.43.7.1) and, on Cardinal cards, the credentials, the card
 * policy, the FUMO policy and the MO store's control record (its content is read on demand).</li>
 * </ol>
 * {@link #refresh} re-checks a known card with one APDU and re-reads only the parts whose files the card's
 * change counters say were written.
 */
public final class Discovery {
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
    private static final int MAX_DIR_RECORDS = 32;

    private Discovery() {
    }

    /** The card has no PKCS#15 application, or nothing DM in it. */
    public static final class NotDmCardException extends Exception {
        private static final long serialVersionUID = 1L;

        NotDmCardException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads a card from scratch.
     *
     * @param io the channel of a new session
     * @param reader the reader name
     * @param atr the ATR
     * @return what the card holds
     * @throws SmartCardException if the card fails or is removed
     * @throws NotDmCardException if the card has no DM data
     */
    public static CardContents cold(CardIo io, String reader, byte[] atr) throws SmartCardException, NotDmCardException {
        Optional<DmState> state;
        try {
            state = io.getChangeCounter();
        } catch (Pkcs15Exception e) {
            LOG.debug("Card in {} answered a malformed EF.DMSTATE ({}); reading it as a plain PKCS#15 card", reader,
                    e.getMessage());
            state = Optional.empty();
        }
        return cold(io, reader, atr, state.orElse(null));
    }

    private static CardContents cold(CardIo io, String reader, byte[] atr, DmState state)
            throws SmartCardException, NotDmCardException {
        io.useState(state);
        Pkcs15Parser parser = new Pkcs15Parser();
        List<String> problems = new ArrayList<>();
        DirApplication app = findApplication(io, parser, problems);
        try {
            io.selectApplication(app == null ? Pkcs15.AID : app.aid());
        } catch (SmartCardException e) {
            if (e.code() == SmartCardException.Code.FILE_NOT_FOUND) {
                throw new NotDmCardException("No PKCS#15 application");
            }
            throw e;
        }
        io.applicationPath(app == null ? null : app.path());
        List<OdfEntry> odf;
        List<DataObject> objects = new ArrayList<>();
        try {
            odf = parser.odf(io.read(Pkcs15Path.ofFid(Pkcs15.EF_ODF), -1, true));
            for (OdfEntry e : odf) {
                if (e.tag() == Pkcs15.ODF_DODF) {
                    objects.addAll(parser.dodf(io.read(e.path(), -1, true)));
                }
            }
        } catch (Pkcs15Exception e) {
            throw new NotDmCardException("Unreadable ODF or DODF: " + e.getMessage());
        } catch (SmartCardException e) {
            if (e.code() == SmartCardException.Code.FILE_NOT_FOUND
                    || e.code() == SmartCardException.Code.SECURITY_STATUS_NOT_SATISFIED) {
                throw new NotDmCardException("No readable ODF or DODF (" + e.getMessage() + ")");
            }
            throw e;
        }
        Builder b = new Builder(reader, atr, state, app, odf, objects);
        b.problems.addAll(problems);
        b.problems.addAll(parser.problems());
        b.readBootstrap(io);
        if (state != null) {
            b.cardId = state.cardIdHex();
            b.readCredentials(io);
            b.readPolicy(io);
            b.readFumo(io);
            b.readMoControl(io);
        } else {
            b.cardId = tokenSerial(io, parser).orElse("");
        }
        if (b.bootstrap == null && b.credentialsPath == null && b.policyPath == null && b.moPath == null
                && b.fumoPath == null) {
            throw new NotDmCardException("The PKCS#15 application has no DM objects");
        }
        CardContents c = b.build();
        LOG.debug("Discovered DM card {} in {}: profile {}, bootstrap {}, problems {}", c.cardId(), reader,
                c.profileVersion().isEmpty() ? "none" : c.profileVersion(),
                c.bootstrap() == null ? "none" : c.bootstrap().length + " bytes", c.problems().size());
        return c;
    }

    /**
     * Re-checks a card read before: one GET CHANGE COUNTER if nothing changed; otherwise the parts whose files
     * moved are read again (everything if the structure moved or the card is another one).
     *
     * @param io the channel of a new session
     * @param old what was read before
     * @return {@code old} itself if the card is unchanged, otherwise the new contents
     * @throws SmartCardException if the card fails or is removed
     * @throws NotDmCardException if the card no longer has DM data
     */
    public static CardContents refresh(CardIo io, CardContents old) throws SmartCardException, NotDmCardException {
        DmState now;
        try {
            now = io.getChangeCounter().orElse(null);
        } catch (Pkcs15Exception e) {
            now = null;
        }
        if (now == null || old.state() == null || !Arrays.equals(now.cardId(), old.state().cardId())) {
            return cold(io, old.reader(), old.atr(), now);
        }
        if (now.counter() == old.state().counter()) {
            return old;
        }
        Set<Part> parts = EnumSet.noneOf(Part.class);
        for (int fid : now.changedSince(old.state())) {
            parts.add(old.partOf(fid));
        }
        if (parts.contains(Part.STRUCTURE) || parts.isEmpty()) {
            return cold(io, old.reader(), old.atr(), now);
        }
        io.useState(now);
        io.selectApplication(old.application() == null ? Pkcs15.AID : old.application().aid());
        io.applicationPath(old.application() == null ? null : old.application().path());
        Builder b = new Builder(old, now);
        if (parts.contains(Part.BOOTSTRAP)) {
            b.readBootstrap(io);
        }
        if (parts.contains(Part.CREDENTIALS)) {
            b.readCredentials(io);
        }
        if (parts.contains(Part.POLICY)) {
            b.readPolicy(io);
        }
        if (parts.contains(Part.FUMO)) {
            b.readFumo(io);
        }
        if (parts.contains(Part.MO)) {
            b.readMoControl(io);
        }
        LOG.debug("Card {} in {} changed (counter {} -> {}): re-read {}", old.cardId(), old.reader(),
                old.state().counter(), now.counter(), parts);
        return b.build();
    }

    private static DirApplication findApplication(CardIo io, Pkcs15Parser parser, List<String> problems)
            throws SmartCardException {
        for (int n = 1; n <= MAX_DIR_RECORDS; n++) {
            Optional<byte[]> record;
            try {
                record = io.readDirRecord(n);
            } catch (SmartCardException e) {
                if (e.code() == SmartCardException.Code.FILE_NOT_FOUND || e.code() == SmartCardException.Code.CARD_ERROR) {
                    problems.add("No readable EF.DIR; selecting the PKCS#15 AID directly");
                    return null;
                }
                throw e;
            }
            if (record.isEmpty()) {
                break;
            }
            try {
                DirApplication a = parser.dirRecord(record.get());
                if (a != null && startsWith(a.aid(), Pkcs15.AID)) {
                    return a;
                }
            } catch (Pkcs15Exception e) {
                problems.add("EF.DIR record " + n + " skipped (" + e.getMessage() + ")");
            }
        }
        problems.add("No PKCS#15 application in EF.DIR; selecting the PKCS#15 AID directly");
        return null;
    }

    private static boolean startsWith(byte[] aid, byte[] prefix) {
        return aid.length >= prefix.length && Arrays.equals(Arrays.copyOf(aid, prefix.length), prefix);
    }

    private static Optional<String> tokenSerial(CardIo io, Pkcs15Parser parser) throws SmartCardException {
        try {
            byte[] data = io.read(Pkcs15Path.ofFid(Pkcs15.EF_TOKEN_INFO), -1, true);
            return Optional.of(HexFormat.of().withUpperCase().formatHex(parser.tokenInfo(data).serialNumber()));
        } catch (Pkcs15Exception e) {
            return Optional.empty();
        } catch (SmartCardException e) {
            if (e.code() == SmartCardException.Code.FILE_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * @param data a file's content
     * @return it without trailing padding bytes ({@code 00}, {@code FF}); a WBXML document ends with END ({@code 01})
     */
    static byte[] stripPadding(byte[] data) {
        int end = data.length;
        while (end > 0 && Tlv.isPadding(data[end - 1])) {
            end--;
        }
        return Arrays.copyOf(data, end);
    }

    /** Collects the parts while reading; failures of one part become problems, not failures of discovery. */
    private static final class Builder {
        final String reader;
        final byte[] atr;
        final DmState state;
        final DirApplication app;
        final List<OdfEntry> odf;
        final List<DataObject> objects;
        final List<String> problems = new ArrayList<>();
        String cardId = "";
        Pkcs15Path bootstrapPath;
        byte[] bootstrap;
        Pkcs15Path policyPath;
        SlotControl policyControl;
        CardPolicy policy = CardPolicy.defaults();
        Pkcs15Path fumoPath;
        SlotControl fumoControl;
        FumoPolicy fumo;
        Pkcs15Path credentialsPath;
        List<CardCredential> credentials = List.of();
        Pkcs15Path moPath;
        SlotControl moControl;

        Builder(String reader, byte[] atr, DmState state, DirApplication app, List<OdfEntry> odf, List<DataObject> objects) {
            this.reader = reader;
            this.atr = atr;
            this.state = state;
            this.app = app;
            this.odf = List.copyOf(odf);
            this.objects = List.copyOf(objects);
        }

        Builder(CardContents old, DmState state) {
            this(old.reader(), old.atr(), state, old.application(), old.odf(), old.dataObjects());
            cardId = old.cardId();
            bootstrapPath = old.bootstrapPath();
            bootstrap = old.bootstrap();
            policyPath = old.policyPath();
            policyControl = old.policyControl();
            policy = old.policy();
            fumoPath = old.fumoPath();
            fumoControl = old.fumoControl();
            fumo = old.fumo();
            credentialsPath = old.credentialsPath();
            credentials = old.credentials();
            moPath = old.moPath();
            moControl = old.moControl();
            problems.addAll(old.problems());
        }

        private Optional<Pkcs15Path> pathOf(String oid) {
            for (DataObject o : objects) {
                if (o.isIdentifiedBy(oid)) {
                    if (o.path() == null) {
                        problems.add("DODF object " + oid + " has a direct value; a path was expected");
                        continue;
                    }
                    return Optional.of(o.path());
                }
            }
            return Optional.empty();
        }

        private Optional<byte[]> directOf(String oid) {
            return objects.stream().filter(o -> o.isIdentifiedBy(oid) && o.direct() != null).map(DataObject::direct)
                    .findFirst();
        }

        void readBootstrap(CardIo io) throws SmartCardException {
            bootstrapPath = null;
            bootstrap = null;
            Optional<byte[]> direct = directOf(Pkcs15.OID_DM_BOOTSTRAP);
            if (direct.isPresent()) {
                bootstrap = stripPadding(direct.get());
                return;
            }
            Optional<Pkcs15Path> p = pathOf(Pkcs15.OID_DM_BOOTSTRAP);
            if (p.isEmpty()) {
                return;
            }
            bootstrapPath = p.get();
            try {
                byte[] doc = stripPadding(io.read(p.get(), -1, false));
                bootstrap = doc.length == 0 ? null : doc;
            } catch (SmartCardException e) {
                if (!readable(e)) {
                    throw e;
                }
                problems.add("DM bootstrap file unreadable (" + e.getMessage() + ")");
            }
        }

        void readCredentials(CardIo io) throws SmartCardException {
            Optional<Pkcs15Path> p = pathOf(Cardinal.OID_CREDENTIALS);
            credentialsPath = p.orElse(null);
            credentials = List.of();
            if (p.isEmpty()) {
                return;
            }
            try {
                credentials = List.copyOf(ProfileCodec.decodeCredentials(io.read(p.get(), -1, true)));
            } catch (Pkcs15Exception e) {
                problems.add("Credentials unreadable (" + e.getMessage() + ")");
            } catch (SmartCardException e) {
                if (!readable(e)) {
                    throw e;
                }
                problems.add("Credentials unreadable (" + e.getMessage() + ")");
            }
        }

        void readPolicy(CardIo io) throws SmartCardException {
            Optional<Pkcs15Path> p = pathOf(Cardinal.OID_POLICY);
            policyPath = p.orElse(null);
            policyControl = null;
            policy = CardPolicy.defaults();
            if (p.isEmpty()) {
                return;
            }
            try {
                TearSafe.Read r = TearSafe.read(io, p.get());
                policyControl = r.control();
                if (!r.valid()) {
                    problems.add("Card policy slot does not match its control record; using the default policy");
                } else if (r.content().length > 0) {
                    policy = ProfileCodec.decodePolicy(r.content());
                }
            } catch (Pkcs15Exception e) {
                problems.add("Card policy unreadable (" + e.getMessage() + "); using the default policy");
            } catch (SmartCardException e) {
                if (!readable(e)) {
                    throw e;
                }
                problems.add("Card policy unreadable (" + e.getMessage() + "); using the default policy");
            }
        }

        void readFumo(CardIo io) throws SmartCardException {
            Optional<Pkcs15Path> p = pathOf(Cardinal.OID_FUMO_POLICY);
            fumoPath = p.orElse(null);
            fumoControl = null;
            fumo = null;
            if (p.isEmpty()) {
                return;
            }
            try {
                TearSafe.Read r = TearSafe.read(io, p.get());
                fumoControl = r.control();
                if (!r.valid()) {
                    problems.add("FUMO policy slot does not match its control record");
                } else if (r.content().length > 0) {
                    fumo = ProfileCodec.decodeFumoPolicy(r.content());
                }
            } catch (Pkcs15Exception e) {
                problems.add("FUMO policy unreadable (" + e.getMessage() + ")");
            } catch (SmartCardException e) {
                if (!readable(e)) {
                    throw e;
                }
                problems.add("FUMO policy unreadable (" + e.getMessage() + ")");
            }
        }

        void readMoControl(CardIo io) throws SmartCardException {
            Optional<Pkcs15Path> p = pathOf(Cardinal.OID_MO_STORE);
            moPath = p.orElse(null);
            moControl = null;
            if (p.isEmpty()) {
                return;
            }
            try {
                moControl = TearSafe.control(io, p.get());
            } catch (Pkcs15Exception e) {
                problems.add("MO store control record unreadable (" + e.getMessage() + ")");
            } catch (SmartCardException e) {
                if (!readable(e)) {
                    throw e;
                }
                problems.add("MO store control record unreadable (" + e.getMessage() + ")");
            }
        }

        /** Refusals of a file are the card's data being wrong, not the card being gone. */
        private static boolean readable(SmartCardException e) {
            switch (e.code()) {
                case CARD_REMOVED:
                case CARD_RESET:
                case IO_ERROR:
                case SESSION_CLOSED:
                case PROTOCOL_ERROR:
                case INTERRUPTED:
                    return false;
                default:
                    return true;
            }
        }

        CardContents build() {
            return new CardContents(reader, atr, state, cardId, app, odf, objects, bootstrapPath, bootstrap, policyPath,
                    policyControl, policy, fumoPath, fumoControl, fumo, credentialsPath, credentials, moPath, moControl,
                    List.copyOf(problems));
        }
    }
}
