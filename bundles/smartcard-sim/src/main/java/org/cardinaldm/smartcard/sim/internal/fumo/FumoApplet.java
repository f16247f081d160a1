package org.cardinaldm.smartcard.sim.internal.fumo;

import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_FUMO_ADMIT;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_FUMO_AUTHORISE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_FUMO_CHALLENGE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_FUMO_COMMIT;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_FUMO_POLICY;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.INS_FUMO_RELEASE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.P1_MORE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.SW_FUMO_NOT_ACCEPTABLE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.USAGE_DEVICE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.USAGE_FUMO_AUTH;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.sim.internal.card.CardFile;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardKey;
import org.cardinaldm.smartcard.sim.internal.card.DedicatedFile;
import org.cardinaldm.smartcard.sim.internal.card.TransparentFile;
import org.cardinaldm.smartcard.sim.internal.card.Uicc;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandContext;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandException;
import org.cardinaldm.smartcard.sim.internal.dm.DmApplet;

/**
 * The card side of the FUMO commands of Cardinal's DM smart-card profile 1.2 (docs/smartcard-profile.md,
 * A8.6-A8.9): the card decides whether firmware may be installed.
 *
 * <table>
 * <caption>Commands (all need the device key verified on the command's channel, {@code 6982} otherwise)</caption>
 * <tr><th>command</th><th>C-APDU</th><th>R-APDU</th></tr>
 * <tr><td>FUMO ADMIT</td><td>{@code 80 3A 00 00 Lc ServerID 08}</td><td>handle (8), needs the {@code dm} state
 * of that server on this channel</td></tr>
 * <tr><td>FUMO AUTHORISE</td><td>{@code 80 3C P1 P2 Lc block [Le]}, chained ({@link FumoAuthorise})</td>
 * <td>card nonce (16) | signature</td></tr>
 * <tr><td>FUMO COMMIT</td><td>{@code 80 3E 00 00 38 nonce sha256 counter 08}</td><td>the counter (8)</td></tr>
 * <tr><td>FUMO RELEASE</td><td>{@code 80 40 00 00 08 handle}</td><td>none</td></tr>
 * <tr><td>GET FUMO CHALLENGE</td><td>{@code 80 42 00 00 10}</td><td>challenge (16)</td></tr>
 * <tr><td>FUMO POLICY UPDATE</td><td>{@code 80 44 P1 P2 Lc block}, chained ({@link FumoPolicyUpdate})</td>
 * <td>none</td></tr>
 * </table>
 * Every change (admissions, the counter, the policy) is stored in one commit of the card image before the card
 * answers, so a card pulled at any moment holds the state before or after the command, never a mix.
 */
public final class FumoApplet {
    /** FID of EF.DMKEYS in the PKCS#15 application (fixed in profile 1.2: the card reads it for ADMIT). */
    static final int KEYS_FID = 0x6433;
    /** Largest input of a chained command, all blocks together. */
    static final int MAX_CHAINED = 4096;
    static final String CHALLENGE = "fumo.challenge";
    private static final SecureRandom RANDOM = new SecureRandom();

    private FumoApplet() {
    }

    /**
     * Adds the FUMO commands to a card whose image holds a FUMO authorisation key (profile 1.2).
     *
     * @param card the card (its DM profile commands already installed)
     * @return whether the card got them
     */
    public static boolean install(Uicc card) {
        if (card.snapshot().keys().values().stream().noneMatch(k -> USAGE_FUMO_AUTH.equals(k.usage()))) {
            return false;
        }
        card.register(INS_FUMO_ADMIT, FumoApplet::admit);
        card.register(INS_FUMO_AUTHORISE, FumoAuthorise::process);
        card.register(INS_FUMO_COMMIT, FumoApplet::commit);
        card.register(INS_FUMO_RELEASE, FumoApplet::release);
        card.register(INS_FUMO_CHALLENGE, FumoApplet::challenge);
        card.register(INS_FUMO_POLICY, FumoPolicyUpdate::process);
        return true;
    }

    // ---------------------------------------------------------------- shared checks

    /** The device key must be verified on this channel. */
    static void requireDevice(CommandContext context) throws CommandException {
        for (CardKey k : context.image().keys().values()) {
            if (USAGE_DEVICE.equals(k.usage()) && context.security().isKeyVerifiedOnChannel(k.reference())) {
                return;
            }
        }
        throw new CommandException(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
    }

    static CardKey keyOfUsage(CardImage image, String usage) throws CommandException {
        return image.keys().values().stream().filter(k -> usage.equals(k.usage())).findFirst()
                .orElseThrow(() -> new CommandException(StatusWord.REFERENCED_DATA_NOT_FOUND));
    }

    /**
     * Collects the blocks of a chained command on its channel: P1 {@code 80} = more blocks follow, P2 = the
     * block number (00 starts a new input, each next one +1).
     *
     * @return the whole input after the last block, empty while more are expected (the card answers 9000)
     * @throws CommandException {@code 6A86} bad P1, {@code 6985} a block out of order (the input is dropped),
     *         {@code 6A84} input longer than {@value #MAX_CHAINED}, {@code 6700} an empty block
     */
    static Optional<byte[]> chained(CommandContext context, CommandApdu c) throws CommandException {
        String name = String.format("fumo.chain.%02X", c.ins());
        if (c.p1() != 0 && c.p1() != P1_MORE) {
            context.putChannelData(name, null);
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        if (c.nc() == 0) {
            context.putChannelData(name, null);
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        byte[] sofar;
        if (c.p2() == 0) {
            sofar = new byte[] {0};
        } else {
            Optional<byte[]> held = context.channelData(name);
            if (held.isEmpty() || (held.get()[0] & 0xFF) != c.p2()) {
                context.putChannelData(name, null);
                throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED);
            }
            sofar = held.get();
        }
        if (sofar.length - 1 + c.nc() > MAX_CHAINED) {
            context.putChannelData(name, null);
            throw new CommandException(StatusWord.NOT_ENOUGH_MEMORY);
        }
        byte[] next = Arrays.copyOf(sofar, sofar.length + c.nc());
        System.arraycopy(c.data(), 0, next, sofar.length, c.nc());
        if (c.p1() == P1_MORE) {
            if (c.p2() == 0xFF) {
                context.putChannelData(name, null);
                throw new CommandException(StatusWord.NOT_ENOUGH_MEMORY);
            }
            next[0] = (byte) (c.p2() + 1);
            context.putChannelData(name, next);
            return Optional.empty();
        }
        context.putChannelData(name, null);
        return Optional.of(Arrays.copyOfRange(next, 1, next.length));
    }

    // ---------------------------------------------------------------- ADMIT

    static ResponseApdu admit(CommandContext context, CommandApdu c) throws CommandException {
        requireDevice(context);
        if (c.p1() != 0 || c.p2() != 0) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        if (c.nc() < 1 || c.nc() > CardFumoPolicy.MAX_SERVER_ID * 4) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        int dmKey = context.security().dmServerKey();
        if (dmKey < 0) {
            throw new CommandException(StatusWord.SECURITY_STATUS_NOT_SATISFIED); // no authenticated server here
        }
        String serverId;
        try {
            serverId = Der.single(Der.tlv(0x0C, c.data())).utf8();
        } catch (Der.Malformed e) {
            throw new CommandException(StatusWord.INCORRECT_DATA);
        }
        if (!serverOfKey(context.image(), serverId, dmKey)) {
            throw new CommandException(StatusWord.SECURITY_STATUS_NOT_SATISFIED); // another server authenticated
        }
        CardFumoPolicy policy = CardFumoPolicy.read(context.image());
        if (!policy.allows(serverId)) {
            throw new CommandException(SW_FUMO_NOT_ACCEPTABLE);
        }
        Admission a = Admission.admit(context.image(), serverId);
        context.commit();
        return ResponseApdu.of(a.handle(), StatusWord.NO_ERROR);
    }

    /** @return whether EF.DMKEYS binds that ServerID's server credential to the key that opened the dm state */
    private static boolean serverOfKey(CardImage image, String serverId, int keyReference) throws CommandException {
        DedicatedFile app = DmApplet.application(image).orElseThrow(
                () -> new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED));
        Optional<CardFile> f = app.child(KEYS_FID);
        if (f.isEmpty() || !(f.get() instanceof TransparentFile keys)) {
            throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
        try {
            for (Der.Reader all = new Der.Reader(keys.content()).next().expect(0x30).children(); all.hasMore();) {
                Der.Reader cred = all.next().expect(0x30).children();
                String id = cred.next().utf8();
                int level = cred.next().expect(0x0A).value()[0];
                cred.next(); // authName
                long ref = cred.next().nonNegative();
                if (id.equals(serverId) && level == 1 && ref == keyReference) {
                    return true;
                }
            }
            return false;
        } catch (Der.Malformed | ArrayIndexOutOfBoundsException e) {
            throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
    }

    // ---------------------------------------------------------------- COMMIT, RELEASE

    static ResponseApdu commit(CommandContext context, CommandApdu c) throws CommandException {
        requireDevice(context);
        if (c.p1() != 0 || c.p2() != 0) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        if (c.nc() != Admission.NONCE + 32 + 8) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        ByteBuffer in = ByteBuffer.wrap(c.data());
        byte[] nonce = new byte[Admission.NONCE];
        byte[] sha = new byte[32];
        in.get(nonce).get(sha);
        long counter = in.getLong();
        Optional<Admission> a = Admission.byNonce(context.image(), nonce);
        if (a.isEmpty() || a.get().state() == Admission.ADMITTED
                || !java.security.MessageDigest.isEqual(a.get().manifestSha256(), sha) || a.get().counter() != counter) {
            throw new CommandException(StatusWord.REFERENCED_DATA_NOT_FOUND); // not an authorisation this card issued
        }
        CardFumoPolicy policy = CardFumoPolicy.read(context.image());
        if (a.get().state() == Admission.AUTHORISED) {
            if (counter > policy.counter()) { // never lowers it
                policy = policy.withCounter(counter);
                policy.write(context);
            }
            a.get().committed().store(context.image());
            context.commit(); // the counter and the admission's state in one commit
        }
        return ResponseApdu.of(ByteBuffer.allocate(8).putLong(policy.counter()).array(), StatusWord.NO_ERROR);
    }

    static ResponseApdu release(CommandContext context, CommandApdu c) throws CommandException {
        requireDevice(context);
        if (c.p1() != 0 || c.p2() != 0) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        if (c.nc() != Admission.HANDLE) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        Optional<Admission> a = Admission.byHandle(context.image(), c.data());
        if (a.isPresent()) {
            Admission.forget(context.image(), a.get().slot());
            context.commit();
        }
        return ResponseApdu.of(StatusWord.NO_ERROR);
    }

    // ---------------------------------------------------------------- GET FUMO CHALLENGE

    static ResponseApdu challenge(CommandContext context, CommandApdu c) throws CommandException {
        requireDevice(context);
        if (c.p1() != 0 || c.p2() != 0) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        int ne = c.ne() == 256 ? 16 : c.ne();
        if (c.nc() != 0 || ne != 16) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        Optional<byte[]> pending = context.image().appletData(CHALLENGE).filter(b -> b.length == 16);
        if (pending.isPresent()) {
            return ResponseApdu.of(pending.get(), StatusWord.NO_ERROR);
        }
        byte[] fresh = new byte[16];
        RANDOM.nextBytes(fresh);
        context.image().putAppletData(CHALLENGE, fresh);
        context.commit();
        return ResponseApdu.of(fresh, StatusWord.NO_ERROR);
    }

    static String text(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
