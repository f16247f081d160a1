package org.cardinaldm.smartcard.sim.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardImageCodec;
import org.cardinaldm.smartcard.sim.internal.card.Uicc;
import org.cardinaldm.smartcard.sim.internal.dm.DmApplet;
import org.cardinaldm.smartcard.sim.internal.image.MemoryImageStore;
import org.cardinaldm.smartcard.sim.internal.image.SlotImageStore;
import org.cardinaldm.smartcard.sim.internal.profile.ProfileException;
import org.cardinaldm.smartcard.sim.internal.profile.ProfileParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated card: its stored image (or none, for a volatile card) and the {@link Uicc} running it.
 * Opening it personalises the image from a profile when the image does not exist yet (or always, if asked);
 * after a simulated tear the card is loaded again from the stored image with {@link #reload()}.
 */
public final class SimCardHandle implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SimCardHandle.class);

    /** The resource holding the built-in demo profile. */
    public static final String DEMO_PROFILE = "demo-profile.txt";

    /** When the image is (re)made from the profile. */
    public enum Personalize {
        /** Only when no image exists yet. */
        IF_ABSENT,
        /** At every start: the stored image is replaced. */
        ALWAYS;

        /**
         * @param text {@code if-absent} or {@code always}
         * @return the mode
         */
        public static Personalize parse(String text) {
            switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "if-absent":
                case "":
                    return IF_ABSENT;
                case "always":
                    return ALWAYS;
                default:
                    throw new IllegalArgumentException("personalize must be if-absent or always: " + text);
            }
        }
    }

    private final SlotImageStore store;
    private final MemoryImageStore memory;
    private final Map<Integer, Uicc.ProprietaryCommand> commands = new LinkedHashMap<>();
    private Uicc uicc;

    private SimCardHandle(SlotImageStore store, MemoryImageStore memory, Uicc uicc) {
        this.store = store;
        this.memory = memory;
        this.uicc = uicc;
        installApplets(uicc);
    }

    /**
     * Installs the card-side applications of Cardinal's profiles on a card this handle runs: their class
     * {@code 8X} commands ({@link Uicc#register(int, Uicc.ProprietaryCommand)}) and write observers. Called for
     * every new, reloaded and re-personalised card, before the commands of {@link #register}.
     *
     * <p>Today that is the DM profile's {@link DmApplet} (docs/smartcard-profile.md, A7 and A8), on cards whose
     * PKCS#15 application has EF.DMSTATE. FUMO's card commands (signed-manifest verification, the
     * anti-rollback counter) install here beside it, as their own applet class.
     *
     * @param card the card, powered off
     */
    private static void installApplets(Uicc card) {
        DmApplet.install(card);
    }

    /**
     * A card whose image lives in memory (tests, benchmarks): {@link #reload()} takes what the store last
     * stored, so a tear armed on the store behaves like a pulled card.
     *
     * @param image the personalised image
     * @param memory the store, holding the image's encoding
     * @return the card, powered off
     */
    public static SimCardHandle inMemory(CardImage image, MemoryImageStore memory) {
        return new SimCardHandle(null, memory, new Uicc(image, memory));
    }

    /**
     * @param imageFile where the image is stored, or {@code null} for a volatile card (changes are lost when
     *        the JVM ends)
     * @param profile the personalisation profile, or {@code null} for the built-in demo profile
     * @param mode when to personalise
     * @return the card, powered off
     * @throws IOException if the image or profile cannot be read or written, or the image is in use
     * @throws ProfileException if the profile is invalid
     */
    public static SimCardHandle open(Path imageFile, Path profile, Personalize mode) throws IOException, ProfileException {
        if (imageFile == null) {
            return new SimCardHandle(null, null, new Uicc(personalisation(profile), bytes -> { }));
        }
        SlotImageStore store = new SlotImageStore(imageFile);
        try {
            Optional<byte[]> stored = mode == Personalize.ALWAYS ? Optional.empty() : store.load();
            CardImage image;
            if (stored.isPresent()) {
                image = CardImageCodec.decode(stored.get());
                LOG.debug("Loaded card image {} (generation {})", imageFile, store.generation());
            } else {
                if (mode == Personalize.ALWAYS && Files.exists(imageFile)) {
                    store.load(); // keep its generation counting upwards
                }
                image = personalisation(profile);
                store.save(CardImageCodec.encode(image));
                LOG.info("Personalised card image {} from {}", imageFile, profile == null ? "the demo profile" : profile);
            }
            return new SimCardHandle(store, null, new Uicc(image, store));
        } catch (IOException | ProfileException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * @param profile a profile file, or {@code null} for the built-in demo profile
     * @return the image it describes
     * @throws IOException if it cannot be read
     * @throws ProfileException if it is invalid
     */
    public static CardImage personalisation(Path profile) throws IOException, ProfileException {
        CardImage image;
        if (profile != null) {
            image = ProfileParser.parse(profile);
        } else {
            image = new ProfileParser(null).parse(demoProfileText());
        }
        return dmPersonalised(image);
    }

    /**
     * Completes the DM profile's personalisation of a parsed image (EF.DMSTATE, see {@link DmApplet}).
     *
     * @param image a parsed image
     * @return the same image
     * @throws ProfileException if EF.DMSTATE is too small
     */
    public static CardImage dmPersonalised(CardImage image) throws ProfileException {
        try {
            DmApplet.personalize(image);
        } catch (IllegalArgumentException e) {
            throw new ProfileException(0, e.getMessage());
        }
        return image;
    }

    /**
     * @return the text of the built-in demo profile
     * @throws IOException if the resource is missing
     */
    public static String demoProfileText() throws IOException {
        try (InputStream in = SimCardHandle.class.getResourceAsStream(DEMO_PROFILE)) {
            if (in == null) {
                throw new IOException("Built-in demo profile missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Adds a proprietary command to the card, now and after every {@link #reload()}.
     *
     * @param ins the instruction byte
     * @param command the command
     */
    public synchronized void register(int ins, Uicc.ProprietaryCommand command) {
        uicc.register(ins, command);
        commands.put(ins, command);
    }

    /** @return the running card */
    public synchronized Uicc uicc() {
        return uicc;
    }

    /** @return the image store, or {@code null} for a volatile card */
    public SlotImageStore store() {
        return store;
    }

    /**
     * Loads the card again from its stored image, as after a card was pulled mid-write and inserted again.
     * For a volatile card, keeps the last committed image.
     *
     * @return the new card, powered off
     * @throws IOException if the image cannot be read
     */
    public synchronized Uicc reload() throws IOException {
        Uicc old = uicc;
        byte[] image;
        Uicc.ImageSink sink;
        if (store != null) {
            image = store.load().orElseThrow(() -> new IOException("Card image " + store.file() + " vanished"));
            sink = store;
        } else if (memory != null) {
            image = memory.load().orElseThrow();
            sink = memory;
        } else {
            image = old.committedImage();
            sink = bytes -> { };
        }
        uicc = new Uicc(CardImageCodec.decode(image), sink);
        installApplets(uicc);
        commands.forEach(uicc::register);
        return uicc;
    }

    /**
     * Personalises the card again: the image becomes {@code image}, stored before the new card runs (a card
     * whose store fails keeps its old image). The new card is powered off; proprietary commands registered
     * with {@link #register} stay.
     *
     * @param image the new image, e.g. from {@link #personalisation(Path)}
     * @return the new card, powered off
     * @throws IOException if the image cannot be stored
     */
    public synchronized Uicc replace(CardImage image) throws IOException {
        byte[] encoded = CardImageCodec.encode(image);
        Uicc.ImageSink sink;
        if (store != null) {
            store.save(encoded);
            sink = store;
        } else if (memory != null) {
            memory.save(encoded);
            sink = memory;
        } else {
            sink = bytes -> { };
        }
        uicc.powerOff();
        uicc = new Uicc(CardImageCodec.decode(encoded), sink);
        installApplets(uicc);
        commands.forEach(uicc::register);
        LOG.info("Personalised card image {} again", store != null ? store.file() : "(in memory)");
        return uicc;
    }

    /** Releases the image file. */
    @Override
    public void close() throws IOException {
        if (store != null) {
            store.close();
        }
    }
}
