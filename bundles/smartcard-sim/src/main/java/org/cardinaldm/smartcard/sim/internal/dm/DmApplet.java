package org.cardinaldm.smartcard.sim.internal.dm;

import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.ALG_HMAC;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.ALG_MD5;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_COMPUTE_DIGEST;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_END_SESSION;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_GET_CHANGE_COUNTER;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_SERVER_CHALLENGE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_VERIFY_DEVICE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_VERIFY_SERVER;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.P1_NOTIFICATION;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.TAG_BODY_MD5;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.TAG_DIGEST;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.TAG_NONCE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.USAGE_CLIENT;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.USAGE_DEVICE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.USAGE_SERVER;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.api.profile.CardinalDmProfile;
import org.cardinaldm.smartcard.sim.internal.card.CardFile;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardKey;
import org.cardinaldm.smartcard.sim.internal.card.DedicatedFile;
import org.cardinaldm.smartcard.sim.internal.card.ElementaryFile;
import org.cardinaldm.smartcard.sim.internal.card.SecurityState;
import org.cardinaldm.smartcard.sim.internal.card.TransparentFile;
import org.cardinaldm.smartcard.sim.internal.card.Uicc;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandContext;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandException;

/**
 * The card side of Cardinal's DM smart-card profile 1.1 (docs/smartcard-profile.md, A7 and A8): six class
 * {@code 80} commands and the change counters the card keeps in EF.DMSTATE.
 *
 * <table>
 * <caption>Commands</caption>
 * <tr><th>command</th><th>APDU</th><th>response</th></tr>
 * <tr><td>GET CHANGE COUNTER</td><td>{@code 80 30 00 00 00}</td><td>EF.DMSTATE (header and file table);
 * P1 {@code 01}: the 26-byte header only</td></tr>
 * <tr><td>COMPUTE DM DIGEST</td><td>{@code 80 32 alg key Lc [80 nonce] [81 md5(body)] 00}</td>
 * <td>16-byte digest</td></tr>
 * <tr><td>VERIFY SERVER DIGEST</td><td>{@code 80 34 alg key Lc [80 challenge] [81 md5(body)] [82 digest]}</td>
 * <td>none; against the card's own challenge only, which it uses up; opens the {@code dm} state on this
 * channel</td></tr>
 * <tr><td>VERIFY SERVER DIGEST, notification</td><td>{@code 80 34 12 key Lc [80 nonce] [81 md5(trigger)]
 * [82 digest]}</td><td>none; match or no match only, the {@code dm} state is left alone</td></tr>
 * <tr><td>END DM SESSION</td><td>{@code 80 36 00 00}</td><td>none; ends this channel's session</td></tr>
 * <tr><td>VERIFY (device key)</td><td>{@code 80 20 00 key Lc key-value}; P1 {@code FF}: forget</td>
 * <td>none; authorises the device on this channel</td></tr>
 * <tr><td>GET SERVER CHALLENGE</td><td>{@code 80 38 00 key 10}</td><td>the server key's pending challenge
 * (made and stored if there is none)</td></tr>
 * </table>
 * The bytes and key usages are {@link CardinalDmProfile}'s, shared with the device side.
 * alg {@code 01} is the {@code syncml:auth-md5} digest, {@code 02} the {@code syncml:auth-MAC} one. A key of
 * usage {@value CardinalDmProfile#USAGE_CLIENT} or {@value CardinalDmProfile#USAGE_SERVER} holds the 16 bytes MD5(name ":" secret); the
 * card never reveals it. COMPUTE DM DIGEST, VERIFY SERVER DIGEST and GET SERVER CHALLENGE need a key of usage
 * {@value CardinalDmProfile#USAGE_DEVICE} verified on the command's channel ({@code 6982} otherwise): a local client without the
 * device's key can neither have the card compute the device's credentials nor spend the server key's tries.
 * Per-card memory (the challenges) lives in the card image as applet data ({@link ServerChallenge}).
 *
 * <p>The card counts every accepted write of a DM file (an EF listed in EF.DMSTATE's file table: EF.DIR
 * and the EFs of the PKCS#15 application) in the same commit as the write, so the counters can never
 * disagree with the contents, whenever the card is pulled.
 */
public final class DmApplet {
    /** FID of EF.DMSTATE in the PKCS#15 application. */
    public static final int STATE_FID = 0x6432;
    /** FID of EF.DIR under the MF. */
    public static final int DIR_FID = 0x2F00;
    /** FID of EF.ICCID under the MF, the default card id. */
    public static final int ICCID_FID = 0x2FE2;
    /** The PKCS#15 application identifier. */
    public static final byte[] PKCS15_AID = {(byte) 0xA0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35};

    private static final byte[] COLON = {':'};
    /** Matches no digest: a replayed package-0 digest is compared against this. */
    private static final byte[] NEVER = new byte[0];

    private DmApplet() {
    }

    /**
     * @param image a card image
     * @return the PKCS#15 application holding EF.DMSTATE, if the card follows the DM profile
     */
    public static Optional<DedicatedFile> application(CardImage image) {
        return find(image.mf()).filter(df -> df.child(STATE_FID).filter(f -> f instanceof TransparentFile).isPresent());
    }

    private static Optional<DedicatedFile> find(DedicatedFile df) {
        if (df.isApplication() && Arrays.equals(df.aid(), PKCS15_AID)) {
            return Optional.of(df);
        }
        for (CardFile child : df.children()) {
            if (child instanceof DedicatedFile) {
                Optional<DedicatedFile> found = find((DedicatedFile) child);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param image a card image
     * @return EF.DMSTATE, or {@code null} if the card does not follow the DM profile
     */
    public static TransparentFile stateFile(CardImage image) {
        return application(image).map(df -> (TransparentFile) df.child(STATE_FID).orElseThrow()).orElse(null);
    }

    /**
     * @param image a card image
     * @return the card id EF.DMSTATE announces (the bytes a FUMO policy update is bound to), or empty bytes if
     *         the card does not follow the profile or EF.DMSTATE is not personalised
     */
    public static byte[] cardId(CardImage image) {
        TransparentFile stateEf = stateFile(image);
        if (stateEf == null) {
            return new byte[0];
        }
        byte[] b = stateEf.content();
        DmStateFile state = new DmStateFile(b);
        if (!state.isInitialised()) {
            return new byte[0];
        }
        int n = b[DmStateFile.OFF_CARD_ID_LENGTH] & 0xFF;
        return Arrays.copyOfRange(b, DmStateFile.OFF_CARD_ID, DmStateFile.OFF_CARD_ID + Math.min(n, DmStateFile.MAX_CARD_ID));
    }

    /**
     * Personalises EF.DMSTATE if the profile left it empty: format and version, the card id (EF.ICCID's
     * content, or 8 random bytes if the card has none), counter 0, and one entry per DM file (EF.DIR, then
     * the EFs of the PKCS#15 application by FID, EF.DMSTATE itself excluded). A state file the profile
     * filled is kept.
     *
     * @param image a freshly personalised image; cards without EF.DMSTATE are left alone
     * @throws IllegalArgumentException if EF.DMSTATE is too small for the file table
     */
    public static void personalize(CardImage image) {
        Optional<DedicatedFile> app = application(image);
        if (app.isEmpty()) {
            return;
        }
        TransparentFile stateEf = stateFile(image);
        DmStateFile state = new DmStateFile(stateEf.content());
        if (state.isInitialised()) {
            return;
        }
        if (stateEf.size() < DmStateFile.HEADER) {
            throw new IllegalArgumentException("EF.DMSTATE must hold at least " + DmStateFile.HEADER + " bytes");
        }
        byte[] cardId = image.mf().child(ICCID_FID).filter(f -> f instanceof TransparentFile)
                .map(f -> ((TransparentFile) f).content()).filter(c -> c.length >= 1 && c.length <= 16)
                .orElseGet(() -> {
                    byte[] random = new byte[8];
                    new SecureRandom().nextBytes(random);
                    return random;
                });
        state.initialise(cardId, image.keys().values().stream()
                .anyMatch(k -> CardinalDmProfile.USAGE_FUMO_AUTH.equals(k.usage())));
        image.mf().child(DIR_FID).filter(f -> f instanceof ElementaryFile)
                .ifPresent(f -> state.addEntry(DIR_FID, ((ElementaryFile) f).sfi()));
        List<ElementaryFile> efs = new ArrayList<>();
        for (CardFile f : app.get().children()) {
            if (f instanceof ElementaryFile && f.fid() != STATE_FID) {
                efs.add((ElementaryFile) f);
            }
        }
        efs.sort(Comparator.comparingInt(CardFile::fid));
        for (ElementaryFile ef : efs) {
            state.addEntry(ef.fid(), ef.sfi());
        }
        stateEf.personalize(0, state.bytes());
    }

    /**
     * Adds the profile's commands and change counting to a running card, if its image has EF.DMSTATE.
     *
     * @param card the card
     * @return whether the card follows the DM profile
     */
    public static boolean install(Uicc card) {
        if (application(card.snapshot()).isEmpty()) {
            return false;
        }
        card.register(INS_GET_CHANGE_COUNTER, DmApplet::getChangeCounter);
        card.register(INS_COMPUTE_DIGEST, DmApplet::computeDigest);
        card.register(INS_VERIFY_SERVER, DmApplet::verifyServer);
        card.register(INS_END_SESSION, DmApplet::endSession);
        card.register(INS_VERIFY_DEVICE, DmApplet::verifyDevice);
        card.register(INS_SERVER_CHALLENGE, DmApplet::serverChallenge);
        org.cardinaldm.smartcard.sim.internal.fumo.FumoApplet.install(card);
        card.observeWrites(DmApplet::count);
        return true;
    }

    /**
     * Counts a write of a DM file into EF.DMSTATE, inside the write's commit (also for the card's own writes,
     * such as the FUMO policy the FUMO commands rewrite).
     *
     * @param context the command's card
     * @param file the file written
     */
    public static void count(CommandContext context, ElementaryFile file) {
        CardImage image = context.image();
        Optional<DedicatedFile> app = application(image);
        if (app.isEmpty()) {
            return;
        }
        boolean dmFile = file.parent() == app.get() && file.fid() != STATE_FID
                || file.parent() == image.mf() && file.fid() == DIR_FID;
        if (!dmFile) {
            return;
        }
        TransparentFile stateEf = (TransparentFile) app.get().child(STATE_FID).orElseThrow();
        DmStateFile state = new DmStateFile(stateEf.content());
        if (state.isInitialised() && state.count(file.fid())) {
            context.write(stateEf, 0, state.bytes());
        }
    }

    // ---------------------------------------------------------------- commands

    private static void requireP1P2Zero(CommandApdu c) throws CommandException {
        if (c.p1() != 0 || c.p2() != 0) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
    }

    static ResponseApdu getChangeCounter(CommandContext context, CommandApdu c) throws CommandException {
        if (c.p1() > 1 || c.p2() != 0) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        if (c.nc() != 0) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        TransparentFile stateEf = stateFile(context.image());
        DmStateFile state = new DmStateFile(stateEf.content());
        if (!state.isInitialised()) {
            throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
        byte[] used = state.used();
        return ResponseApdu.of(c.p1() == 1 ? Arrays.copyOf(used, DmStateFile.HEADER) : used, StatusWord.NO_ERROR);
    }

    static ResponseApdu endSession(CommandContext context, CommandApdu c) throws CommandException {
        requireP1P2Zero(c);
        if (c.nc() != 0) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        context.security().endChannelSession();
        return ResponseApdu.of(StatusWord.NO_ERROR);
    }

    /** The parsed data field of COMPUTE / VERIFY. */
    private static final class DigestInput {
        byte[] nonce;
        byte[] body;
        byte[] digest;
    }

    private static DigestInput parse(byte[] data) throws CommandException {
        DigestInput in = new DigestInput();
        int i = 0;
        while (i < data.length) {
            if (i + 2 > data.length) {
                throw new CommandException(StatusWord.INCORRECT_DATA);
            }
            int tag = data[i] & 0xFF;
            int len = data[i + 1] & 0xFF;
            int at = i + 2;
            if (len == 0x81) {
                if (at >= data.length) {
                    throw new CommandException(StatusWord.INCORRECT_DATA);
                }
                len = data[at] & 0xFF;
                at++;
            } else if (len > 0x7F) {
                throw new CommandException(StatusWord.INCORRECT_DATA);
            }
            if (at + len > data.length) {
                throw new CommandException(StatusWord.INCORRECT_DATA);
            }
            byte[] value = Arrays.copyOfRange(data, at, at + len);
            switch (tag) {
                case TAG_NONCE:
                    if (in.nonce != null) {
                        throw new CommandException(StatusWord.INCORRECT_DATA);
                    }
                    in.nonce = value;
                    break;
                case TAG_BODY_MD5:
                    if (in.body != null || len != 16) {
                        throw new CommandException(StatusWord.INCORRECT_DATA);
                    }
                    in.body = value;
                    break;
                case TAG_DIGEST:
                    if (in.digest != null || len != 16) {
                        throw new CommandException(StatusWord.INCORRECT_DATA);
                    }
                    in.digest = value;
                    break;
                default:
                    throw new CommandException(StatusWord.INCORRECT_DATA);
            }
            i = at + len;
        }
        if (in.nonce == null) {
            throw new CommandException(StatusWord.INCORRECT_DATA);
        }
        return in;
    }

    private static CardKey key(CommandContext context, int reference, String usage) throws CommandException {
        if (reference < 1 || reference > 0x1F) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        CardKey key = context.image().keys().get(reference);
        if (key == null) {
            throw new CommandException(StatusWord.REFERENCED_DATA_NOT_FOUND);
        }
        if (!usage.equals(key.usage()) || key.secret().length != 16) {
            throw new CommandException(StatusWord.REFERENCE_DATA_NOT_USABLE);
        }
        return key;
    }

    private static byte[] digest(int alg, CardKey key, DigestInput in) throws CommandException {
        if (alg == ALG_MD5) {
            if (in.body != null) {
                throw new CommandException(StatusWord.INCORRECT_DATA);
            }
            return md5(b64(key.secret()), COLON, in.nonce);
        }
        if (in.body == null) {
            throw new CommandException(StatusWord.INCORRECT_DATA);
        }
        return md5(b64(key.secret()), COLON, in.nonce, COLON, b64(in.body));
    }

    private static void checkAlg(int alg) throws CommandException {
        if (alg != ALG_MD5 && alg != ALG_HMAC) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
    }

    static ResponseApdu computeDigest(CommandContext context, CommandApdu c) throws CommandException {
        requireDevice(context);
        checkAlg(c.p1());
        if (c.nc() == 0) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        CardKey key = key(context, c.p2(), USAGE_CLIENT);
        DigestInput in = parse(c.data());
        if (in.digest != null) {
            throw new CommandException(StatusWord.INCORRECT_DATA);
        }
        return ResponseApdu.of(digest(c.p1(), key, in), StatusWord.NO_ERROR);
    }

    static ResponseApdu verifyServer(CommandContext context, CommandApdu c) throws CommandException {
        requireDevice(context);
        boolean notification = c.p1() == P1_NOTIFICATION;
        int alg = notification ? ALG_HMAC : c.p1();
        checkAlg(alg);
        if (c.nc() == 0) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        CardKey key = key(context, c.p2(), USAGE_SERVER);
        DigestInput in = parse(c.data());
        if (in.digest == null) {
            throw new CommandException(StatusWord.INCORRECT_DATA);
        }
        byte[] expected = digest(alg, key, in);
        if (key.isBlocked()) {
            throw new CommandException(StatusWord.AUTHENTICATION_BLOCKED); // before anything changes
        }
        CardImage image = context.image();
        Optional<ServerChallenge> pending = ServerChallenge.of(image, key.reference());
        boolean forChallenge = pending.isPresent() && pending.get().is(in.nonce);
        if (notification) {
            // match or no match only; a digest for the card's challenge is recorded (in the same commit as the
            // decrement) so that it can never pass as a session digest, nor as a notification again
            if (forChallenge) {
                if (pending.get().isSpent(in.digest) || pending.get().isFull()) {
                    throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED);
                }
                pending.get().spend(in.digest).store(image, key.reference());
            }
            context.checkKey(key, expected, in.digest);
            return ResponseApdu.of(StatusWord.NO_ERROR);
        }
        context.security().setDmServerAuthenticated(false);
        if (!forChallenge) {
            throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED); // not the card's challenge: no try spent
        }
        boolean replayed = pending.get().isSpent(in.digest);
        ServerChallenge.consume(image, key.reference()); // one attempt per challenge, committed with the decrement
        context.checkKey(key, replayed ? NEVER : expected, in.digest);
        context.security().setDmServerAuthenticated(key.reference());
        return ResponseApdu.of(StatusWord.NO_ERROR);
    }

    static ResponseApdu serverChallenge(CommandContext context, CommandApdu c) throws CommandException {
        requireDevice(context);
        if (c.p1() != 0) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        CardKey key = key(context, c.p2(), USAGE_SERVER);
        int ne = c.ne() == 256 ? ServerChallenge.LENGTH : c.ne();
        if (c.nc() != 0 || ne != ServerChallenge.LENGTH) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        Optional<ServerChallenge> pending = ServerChallenge.of(context.image(), key.reference());
        if (pending.isPresent()) {
            return ResponseApdu.of(pending.get().challenge(), StatusWord.NO_ERROR);
        }
        ServerChallenge fresh = ServerChallenge.fresh();
        fresh.store(context.image(), key.reference());
        context.commit();
        return ResponseApdu.of(fresh.challenge(), StatusWord.NO_ERROR);
    }

    static ResponseApdu verifyDevice(CommandContext context, CommandApdu c) throws CommandException {
        if (c.p1() != 0x00 && c.p1() != 0xFF) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        CardKey key;
        if (c.p2() == 0) {
            key = deviceKey(context.image()).orElseThrow(() -> new CommandException(StatusWord.REFERENCED_DATA_NOT_FOUND));
        } else {
            key = key(context, c.p2(), USAGE_DEVICE);
        }
        SecurityState security = context.security();
        if (c.p1() == 0xFF) {
            if (c.nc() != 0) {
                throw new CommandException(StatusWord.WRONG_LENGTH);
            }
            security.setKeyVerifiedOnChannel(key.reference(), false);
            return ResponseApdu.of(StatusWord.NO_ERROR);
        }
        if (c.nc() == 0) {
            if (security.isKeyVerifiedOnChannel(key.reference())) {
                return ResponseApdu.of(StatusWord.NO_ERROR);
            }
            if (key.isBlocked()) {
                throw new CommandException(StatusWord.AUTHENTICATION_BLOCKED);
            }
            throw new CommandException(StatusWord.VERIFY_FAILED | key.retries());
        }
        byte[] value = key.secret();
        if (c.nc() != value.length) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        security.setKeyVerifiedOnChannel(key.reference(), false);
        context.checkKey(key, value, c.data());
        security.setKeyVerifiedOnChannel(key.reference(), true);
        return ResponseApdu.of(StatusWord.NO_ERROR);
    }

    private static Optional<CardKey> deviceKey(CardImage image) {
        return image.keys().values().stream().filter(k -> USAGE_DEVICE.equals(k.usage())).findFirst();
    }

    /** The device key (any key of usage {@value CardinalDmProfile#USAGE_DEVICE}) must be verified on this channel. */
    private static void requireDevice(CommandContext context) throws CommandException {
        for (CardKey k : context.image().keys().values()) {
            if (USAGE_DEVICE.equals(k.usage()) && context.security().isKeyVerifiedOnChannel(k.reference())) {
                return;
            }
        }
        throw new CommandException(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
    }

    private static byte[] b64(byte[] raw) {
        return Base64.getEncoder().encode(raw);
    }

    private static byte[] md5(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    /**
     * The key value a profile stores for a DM account: MD5(name ":" secret), from which the card computes
     * every digest (tools and tests use it to personalise cards).
     *
     * @param name the AAuthName
     * @param secret the AAuthSecret
     * @return the 16-byte key
     */
    public static byte[] keyValue(String name, String secret) {
        return md5((name + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
