package org.cardinaldm.smartcard.sim.internal.card;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.StatusWord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The software UICC: an ISO/IEC 7816-4 card with the file system, PINs and keys of a {@link CardImage}.
 *
 * <p>The card itself keeps its lifecycle (ATR, power, reset), its logical channels (MANAGE CHANNEL
 * {@code 70}), GET RESPONSE ({@code C0}), STATUS ({@code 80 F2}), the dispatch of every command, and
 * persistence. Its other commands come in families (inter-industry class {@code 0X}/{@code 4X}-{@code 7X}):
 * <ul>
 * <li>{@link FileSystemCommands}: SELECT, READ/UPDATE BINARY, READ/UPDATE RECORD;</li>
 * <li>{@link SecurityCommands}: VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER, GET CHALLENGE, EXTERNAL
 * AUTHENTICATE, and the card's {@link SecurityState} (the card tells it the channel of each command, and
 * which channels MANAGE CHANNEL opens and closes, so that the per-channel part ends with its channel);</li>
 * <li>proprietary commands (class {@code 8X}) added with {@link #register(int, ProprietaryCommand)}, such as
 * Cardinal's DM profile ({@code DmApplet}).</li>
 * </ul>
 * An instruction of one class sent in the other is answered {@code 6E00}; an unknown one {@code 6D00}.
 *
 * <p>Response data of a command sent without Le (and, under T=0, of every case-4 command) is held back and
 * announced with {@code 61XX}; GET RESPONSE fetches it. Under T=0 a wrong Le is answered {@code 6CXX}.
 *
 * <p>Every modification (file contents, PIN and key counters, PIN values) is committed to the
 * {@link ImageSink} before the card answers; a retry counter is decremented and committed before the
 * comparison, so tearing the card cannot win free attempts. If the sink fails the modification is undone
 * and the card answers {@code 6581}. If the sink signals {@link CardPowerLostException} the card is dead
 * until it is loaded again, exactly like a pulled card.
 *
 * <p>Thread-safe: all methods are synchronized.
 */
public final class Uicc {
    private static final Logger LOG = LoggerFactory.getLogger(Uicc.class);

    /** Where the card image goes after each modification. */
    @FunctionalInterface
    public interface ImageSink {
        /**
         * Persists the image atomically: afterwards the stored image is either the previous one or this one.
         *
         * @param encodedImage the {@link CardImageCodec} encoding
         * @throws IOException if it could not be stored (the card answers {@code 6581})
         */
        void save(byte[] encodedImage) throws IOException;
    }

    /** A card-side command of class {@code 8X} added to the card (Cardinal's DM profile commands). */
    @FunctionalInterface
    public interface ProprietaryCommand {
        /**
         * @param context the card as the command sees it
         * @param command the command, channel already checked
         * @return the response; {@link CommandContext#commit()} must have been called for any modification
         * @throws CommandException to answer a status word
         */
        ResponseApdu process(CommandContext context, CommandApdu command) throws CommandException;
    }

    /** What a {@link ProprietaryCommand} may use. */
    public interface CommandContext {
        /** @return the card image (files, PINs, keys) */
        CardImage image();

        /** @return the card's security state */
        SecurityState security();

        /** @return the current DF of the command's channel */
        DedicatedFile currentDf();

        /** @return the current EF of the command's channel, or {@code null} */
        ElementaryFile currentEf();

        /**
         * @param name an entry of the command's volatile data on its logical channel (chained input of a
         *        proprietary command), lost when the channel is closed or re-opened, at a reset or power-off
         * @return a copy of it, if there is one
         */
        java.util.Optional<byte[]> channelData(String name);

        /**
         * @param name the entry
         * @param value the new value (copied), or {@code null} to drop it
         */
        void putChannelData(String name, byte[] value);

        /**
         * Persists all modifications made so far.
         *
         * @throws CommandException {@code 6581} if the image could not be stored
         */
        void commit() throws CommandException;

        /**
         * @param file a transparent EF
         * @param offset where to write
         * @param data the bytes
         */
        void write(TransparentFile file, int offset, byte[] data);

        /**
         * @param file a linear fixed EF
         * @param number the record number
         * @param data the record
         */
        void writeRecord(LinearFixedFile file, int number, byte[] data);

        /**
         * Checks a candidate against a key's expected value the tear-safe way, like VERIFY does for PINs:
         * the key's retry counter is decremented and committed first, then compared (in constant time),
         * then restored and committed on success. Pulling the card between the two commits costs the
         * attempt.
         *
         * @param key the key whose retry counter guards the comparison
         * @param expected what the card computed from the key
         * @param candidate what the terminal presented
         * @throws CommandException {@code 6983} if the key is blocked, {@code 63CX} (X tries left) on a
         *         mismatch, {@code 6581} if the image could not be stored
         */
        void checkKey(CardKey key, byte[] expected, byte[] candidate) throws CommandException;
    }

    /**
     * Told about every UPDATE BINARY / UPDATE RECORD the card accepted, before it is committed: whatever
     * the observer changes goes into the same atomic commit (Cardinal's DM profile keeps its change
     * counters this way).
     */
    @FunctionalInterface
    public interface WriteObserver {
        /**
         * @param context the card as the writing command sees it
         * @param file the file just written (not yet committed)
         * @throws CommandException to refuse the write; it is then undone
         */
        void beforeCommit(CommandContext context, ElementaryFile file) throws CommandException;
    }

    /** Ends a command with a status word. No stack trace: it is control flow. */
    public static final class CommandException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int sw;

        /** @param sw the status word to answer */
        public CommandException(int sw) {
            super(StatusWord.toHex(sw), null, false, false);
            this.sw = sw;
        }

        /** @return the status word */
        public int sw() {
            return sw;
        }
    }

    /** Thrown by an {@link ImageSink} to simulate the card losing power in the middle of a write. */
    public static final class CardPowerLostException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message what was interrupted */
        public CardPowerLostException(String message) {
            super(message);
        }
    }

    private static final int INS_MANAGE_CHANNEL = 0x70;
    /** GET RESPONSE, which leaves held-back data and the challenge in place. */
    static final int INS_GET_RESPONSE = 0xC0;
    private static final int INS_STATUS = 0xF2;

    private final ImageSink sink;
    private final Map<Integer, CommandFamily.Command> builtIn = new HashMap<>();
    private final Map<Integer, ProprietaryCommand> proprietary = new ConcurrentHashMap<>();
    private volatile WriteObserver writeObserver;
    private final SecurityCommands securityCommands;
    private CardImage image;
    private byte[] committed;
    private LogicalChannel[] channels;
    private boolean powered;
    private boolean dead;

    /**
     * @param image the card's persistent state (from a profile or a stored image)
     * @param sink where modifications are persisted
     */
    public Uicc(CardImage image, ImageSink sink) {
        this.image = Objects.requireNonNull(image, "image");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.committed = CardImageCodec.encode(image);
        CommandFamily.Card card = new FamilyView();
        new FileSystemCommands(card).registerWith(this::addBuiltIn);
        securityCommands = new SecurityCommands(card);
        securityCommands.registerWith(this::addBuiltIn);
        resetVolatileState();
    }

    /** Adds a command of a built-in {@link CommandFamily}; each instruction belongs to one family. */
    private void addBuiltIn(int ins, CommandFamily.Command command) {
        if (ins == INS_MANAGE_CHANNEL || ins == INS_GET_RESPONSE || ins == INS_STATUS
                || builtIn.putIfAbsent(ins, Objects.requireNonNull(command, "command")) != null) {
            throw new IllegalStateException(String.format("INS %02X is taken", ins));
        }
    }

    /**
     * Adds a proprietary command (class {@code 8X}, i.e. CLA {@code 80}-{@code 83} and {@code C0}-{@code CF}).
     *
     * @param ins the instruction byte; not one of the built-in ones
     * @param command the implementation
     */
    public void register(int ins, ProprietaryCommand command) {
        if (ins == INS_STATUS || ins == INS_GET_RESPONSE) {
            throw new IllegalArgumentException(String.format("INS %02X is built in", ins));
        }
        if (proprietary.putIfAbsent(ins, Objects.requireNonNull(command, "command")) != null) {
            throw new IllegalArgumentException(String.format("INS %02X is already registered", ins));
        }
    }

    /**
     * Sets the observer told about every accepted file write before its commit (one at most).
     *
     * @param observer the observer, or {@code null} for none
     */
    public void observeWrites(WriteObserver observer) {
        this.writeObserver = observer;
    }

    /** @return a copy of the ATR */
    public synchronized byte[] atr() {
        return image.atr();
    }

    /** @return the protocol */
    public synchronized CardImage.Protocol protocol() {
        return image.protocol();
    }

    /** @return whether the card is powered */
    public synchronized boolean isPowered() {
        return powered;
    }

    /** @return whether the card lost power during a write and must be loaded again from its stored image */
    public synchronized boolean isDead() {
        return dead;
    }

    /** @return a decoded copy of the last committed image (for inspection; changes to it have no effect) */
    public synchronized CardImage snapshot() {
        return CardImageCodec.decode(committed);
    }

    /** @return the committed encoding */
    public synchronized byte[] committedImage() {
        return committed.clone();
    }

    /**
     * Cold reset: powers the card up with a fresh volatile state.
     *
     * @return the ATR
     */
    public synchronized byte[] powerOn() {
        checkAlive();
        resetVolatileState();
        powered = true;
        return image.atr();
    }

    /** Powers the card down; the volatile state (security status, channels) is lost. */
    public synchronized void powerOff() {
        powered = false;
        resetVolatileState();
    }

    /**
     * Warm reset.
     *
     * @return the ATR
     */
    public synchronized byte[] reset() {
        return powerOn();
    }

    private void checkAlive() {
        if (dead) {
            throw new IllegalStateException("The card lost power during a write; load it again from its image");
        }
    }

    private void resetVolatileState() {
        channels = new LogicalChannel[image.channels()];
        channels[0] = new LogicalChannel(image.mf());
        securityCommands.reset();
    }

    /**
     * Processes one command APDU.
     *
     * @param apdu the encoded command
     * @return the encoded response
     * @throws IllegalStateException if the card is not powered or is dead
     * @throws CardPowerLostException if the card lost power while committing (simulated tear)
     */
    public synchronized byte[] transmit(byte[] apdu) {
        checkAlive();
        if (!powered) {
            throw new IllegalStateException("The card is not powered");
        }
        ResponseApdu response;
        CommandApdu command = null;
        try {
            command = CommandApdu.parse(apdu);
            response = process(command);
        } catch (IllegalArgumentException e) {
            response = ResponseApdu.of(StatusWord.WRONG_LENGTH);
        } catch (CommandException e) {
            response = ResponseApdu.of(e.sw());
        } catch (CardPowerLostException e) {
            dead = true;
            powered = false;
            throw e;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} -> {}", command == null ? "malformed C-APDU (" + apdu.length + " bytes)" : command, response);
        }
        return response.bytes();
    }

    private ResponseApdu process(CommandApdu c) throws CommandException {
        int cla = c.cla();
        if (cla == 0xFF) {
            throw new CommandException(StatusWord.CLA_NOT_SUPPORTED);
        }
        boolean interIndustry = (cla & 0x80) == 0;
        // proprietary classes coded like the inter-industry ones: 8X/9X (first form), CX/DX (further form)
        boolean proprietaryClass = (cla & 0x80) != 0 && (cla & 0x20) == 0;
        if (!interIndustry && !proprietaryClass || (cla & 0xE0) == 0x20) {
            throw new CommandException(StatusWord.CLA_NOT_SUPPORTED);
        }
        boolean further = (cla & 0x40) != 0;
        if ((cla & 0x10) != 0) {
            throw new CommandException(StatusWord.COMMAND_CHAINING_NOT_SUPPORTED);
        }
        if (further ? (cla & 0x20) != 0 : (cla & 0x0C) != 0) {
            throw new CommandException(StatusWord.SECURE_MESSAGING_NOT_SUPPORTED);
        }
        int number = c.channel();
        if (number >= channels.length || channels[number] == null) {
            throw new CommandException(StatusWord.LOGICAL_CHANNEL_NOT_SUPPORTED);
        }
        LogicalChannel ch = channels[number];
        int ins = c.ins();
        if (ins != INS_GET_RESPONSE) {
            ch.setPending(null);
        }
        securityCommands.commandSeen(ins);
        securityCommands.state().enter(number);
        ResponseApdu r;
        if (interIndustry) {
            r = processInterIndustry(c, ch, number);
        } else {
            r = processProprietary(c, ch);
        }
        return shape(c, ch, r);
    }

    /** Class 0X/4X-7X: the card's own commands, then the families' (an 8X-only instruction is the wrong class). */
    private ResponseApdu processInterIndustry(CommandApdu c, LogicalChannel ch, int number) throws CommandException {
        CommandFamily.Command family = builtIn.get(c.ins());
        if (family != null) {
            return family.process(c, ch);
        }
        switch (c.ins()) {
            case INS_MANAGE_CHANNEL: return manageChannel(c, number);
            case INS_GET_RESPONSE: return getResponse(c, ch);
            default:
                if (c.ins() == INS_STATUS || proprietary.containsKey(c.ins())) {
                    throw new CommandException(StatusWord.CLA_NOT_SUPPORTED);
                }
                throw new CommandException(StatusWord.INS_NOT_SUPPORTED);
        }
    }

    /** Class 8X: STATUS, GET RESPONSE, then registered proprietary commands (inter-industry ones: wrong class). */
    private ResponseApdu processProprietary(CommandApdu c, LogicalChannel ch) throws CommandException {
        if (c.ins() == INS_STATUS) {
            return status(c, ch);
        }
        if (c.ins() == INS_GET_RESPONSE) {
            return getResponse(c, ch);
        }
        ProprietaryCommand command = proprietary.get(c.ins());
        if (command == null) {
            if (builtIn.containsKey(c.ins()) || c.ins() == INS_MANAGE_CHANNEL) {
                throw new CommandException(StatusWord.CLA_NOT_SUPPORTED);
            }
            throw new CommandException(StatusWord.INS_NOT_SUPPORTED);
        }
        return command.process(new Context(ch), c);
    }

    /** Holds back data the command did not ask for (no Le, or T=0 case 4) and cuts it to Ne. */
    private ResponseApdu shape(CommandApdu c, LogicalChannel ch, ResponseApdu r) {
        if (r.length() == 0 || c.ins() == INS_GET_RESPONSE) {
            return r;
        }
        boolean t0Case4 = image.protocol() == CardImage.Protocol.T0 && c.nc() > 0;
        if (c.ne() == 0 || t0Case4) {
            if (r.sw() != StatusWord.NO_ERROR) {
                return ResponseApdu.of(r.sw());
            }
            ch.setPending(r.data());
            return ResponseApdu.of(StatusWord.BYTES_REMAINING | (Math.min(ch.pending().length, 256) & 0xFF));
        }
        if (r.length() > c.ne() && r.sw() == StatusWord.NO_ERROR) {
            byte[] data = r.data();
            ch.setPending(Arrays.copyOfRange(data, c.ne(), data.length));
            return ResponseApdu.of(Arrays.copyOf(data, c.ne()),
                    StatusWord.BYTES_REMAINING | (Math.min(ch.pending().length, 256) & 0xFF));
        }
        return r;
    }

    /**
     * The cryptogram EXTERNAL AUTHENTICATE expects for the ADM key: the 16-byte challenge encrypted with AES
     * (ECB, one block, no padding) under the key.
     *
     * @param key the AES key
     * @param challenge the 16-byte challenge from GET CHALLENGE
     * @return the cryptogram
     */
    public static byte[] admCryptogram(byte[] key, byte[] challenge) {
        return SecurityCommands.admCryptogram(key, challenge);
    }

    // ---------------------------------------------------------------- channels, GET RESPONSE, STATUS

    private ResponseApdu manageChannel(CommandApdu c, int origin) throws CommandException {
        if (c.nc() != 0) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        if (c.p1() == 0x00) {
            int target = c.p2();
            if (target == 0) {
                if (c.ne() == 0) {
                    throw new CommandException(StatusWord.WRONG_LENGTH);
                }
                for (int i = 1; i < channels.length; i++) {
                    if (channels[i] == null) {
                        target = i;
                        break;
                    }
                }
                if (target == 0) {
                    throw new CommandException(StatusWord.FUNCTION_NOT_SUPPORTED);
                }
            } else if (target >= channels.length || target > 19) {
                throw new CommandException(StatusWord.LOGICAL_CHANNEL_NOT_SUPPORTED);
            } else if (channels[target] != null) {
                throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED);
            }
            channels[target] = origin == 0 ? new LogicalChannel(image.mf()) : channels[origin].copy();
            securityCommands.state().channelClosed(target); // a new channel inherits no session
            return c.p2() == 0 ? ResponseApdu.of(new byte[] {(byte) target}, StatusWord.NO_ERROR)
                    : ResponseApdu.of(StatusWord.NO_ERROR);
        }
        if (c.p1() == 0x80) {
            int target = c.p2() == 0 ? origin : c.p2();
            if (target == 0) {
                throw new CommandException(StatusWord.INCORRECT_P1_P2);
            }
            if (target >= channels.length || channels[target] == null) {
                throw new CommandException(StatusWord.LOGICAL_CHANNEL_NOT_SUPPORTED);
            }
            channels[target] = null;
            securityCommands.state().channelClosed(target);
            return ResponseApdu.of(StatusWord.NO_ERROR);
        }
        throw new CommandException(StatusWord.INCORRECT_P1_P2);
    }

    private ResponseApdu getResponse(CommandApdu c, LogicalChannel ch) throws CommandException {
        if (c.p1() != 0 || c.p2() != 0) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        byte[] pending = ch.pending();
        if (pending == null) {
            throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
        int ne = c.ne();
        if (ne == 0) {
            throw new CommandException(StatusWord.WRONG_LENGTH);
        }
        boolean maximum = ne == 256 || ne == 65536;
        if (ne > pending.length && !maximum) {
            throw new CommandException(StatusWord.WRONG_LE | (Math.min(pending.length, 256) & 0xFF));
        }
        int n = Math.min(ne, pending.length);
        byte[] out = Arrays.copyOf(pending, n);
        if (n < pending.length) {
            ch.setPending(Arrays.copyOfRange(pending, n, pending.length));
            return ResponseApdu.of(out, StatusWord.BYTES_REMAINING | (Math.min(ch.pending().length, 256) & 0xFF));
        }
        ch.setPending(null);
        return ResponseApdu.of(out, StatusWord.NO_ERROR);
    }

    private ResponseApdu status(CommandApdu c, LogicalChannel ch) throws CommandException {
        if (c.p1() > 0x02) {
            throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
        switch (c.p2()) {
            case 0x00:
                return ResponseApdu.of(Tlv.of(0x62, FileControlParameters.fcpContent(ch.df())), StatusWord.NO_ERROR);
            case 0x01:
                if (ch.adf() == null) {
                    throw new CommandException(StatusWord.FILE_NOT_FOUND);
                }
                return ResponseApdu.of(Tlv.of(0x84, ch.adf().aid()), StatusWord.NO_ERROR);
            case 0x0C:
                return ResponseApdu.of(StatusWord.NO_ERROR);
            default:
                throw new CommandException(StatusWord.INCORRECT_P1_P2);
        }
    }

    // ---------------------------------------------------------------- persistence

    /** Lets the write observer add to the commit of a file write; undoes the write if it refuses. */
    private void written(LogicalChannel ch, ElementaryFile file) throws CommandException {
        WriteObserver observer = writeObserver;
        if (observer == null) {
            return;
        }
        try {
            observer.beforeCommit(new Context(ch), file);
        } catch (CommandException e) {
            restoreCommitted();
            throw e;
        }
    }

    private void commit() throws CommandException {
        image.incrementChangeCounter();
        byte[] encoded = CardImageCodec.encode(image);
        try {
            sink.save(encoded);
            committed = encoded;
        } catch (IOException e) {
            LOG.warn("Simulated card could not store its image; the change is undone ({})", e.toString());
            restoreCommitted();
            throw new CommandException(StatusWord.MEMORY_FAILURE);
        }
    }

    /** Undoes uncommitted changes: reloads the committed image and points the channels at the same paths. */
    private void restoreCommitted() {
        image = CardImageCodec.decode(committed);
        for (LogicalChannel ch : channels) {
            if (ch != null) {
                ch.relink(image.mf());
            }
        }
    }

    /**
     * The part of the card its built-in command families share; {@link Context} adds a command's channel
     * and the writes a proprietary command may make.
     */
    private class FamilyView implements CommandFamily.Card {
        @Override
        public CardImage image() {
            return image;
        }

        @Override
        public SecurityState security() {
            return securityCommands.state();
        }

        @Override
        public void commit() throws CommandException {
            Uicc.this.commit();
        }

        @Override
        public void written(LogicalChannel channel, ElementaryFile file) throws CommandException {
            Uicc.this.written(channel, file);
        }
    }

    /** What a proprietary command sees: {@link FamilyView}'s image, security state and commit, plus its channel. */
    private final class Context extends FamilyView implements CommandContext {
        private final LogicalChannel channel;

        Context(LogicalChannel channel) {
            this.channel = channel;
        }

        @Override
        public DedicatedFile currentDf() {
            return channel.df();
        }

        @Override
        public ElementaryFile currentEf() {
            return channel.ef();
        }

        @Override
        public java.util.Optional<byte[]> channelData(String name) {
            byte[] v = channel.appletData(name);
            return v == null ? java.util.Optional.empty() : java.util.Optional.of(v.clone());
        }

        @Override
        public void putChannelData(String name, byte[] value) {
            channel.putAppletData(name, value == null ? null : value.clone());
        }

        @Override
        public void write(TransparentFile file, int offset, byte[] data) {
            file.write(offset, data);
        }

        @Override
        public void writeRecord(LinearFixedFile file, int number, byte[] data) {
            file.setRecord(number, data);
        }

        @Override
        public void checkKey(CardKey key, byte[] expected, byte[] candidate) throws CommandException {
            securityCommands.checkKey(key, expected, candidate);
        }
    }
}
