package org.cardinaldm.smartcard.sim.internal.backend;

import java.io.IOException;
import java.nio.file.Path;

import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.SmartCardException.Code;
import org.cardinaldm.smartcard.api.spi.support.AbstractCardBackend;
import org.cardinaldm.smartcard.api.spi.CardBackend;
import org.cardinaldm.smartcard.api.spi.CardBackendProperties;
import org.cardinaldm.smartcard.api.spi.CardConnection;
import org.cardinaldm.smartcard.sim.api.PersonalizationException;
import org.cardinaldm.smartcard.sim.api.SimulatedCard;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.SimPaths;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.Uicc;
import org.cardinaldm.smartcard.sim.internal.profile.ProfileException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The software UICC as an in-JVM {@link CardBackend}: one reader per factory configuration
 * ({@code org.cardinaldm.smartcard.sim-<name>.cfg}), holding a card made from a personalisation profile and
 * kept in a crash-safe image file. {@link #insert()} and {@link #remove()} simulate the user; as a
 * {@link SimulatedCard} it can be personalised again while it runs ({@code cardsim:personalize}).
 */
@Component(service = {CardBackend.class, SimulatedCard.class}, configurationPid = SimCardBackend.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SimCardBackend.Config.class, factory = true)
@CardBackendProperties(backend = SimCardBackend.BACKEND)
public final class SimCardBackend extends AbstractCardBackend implements SimulatedCard {
    /** Factory configuration PID. */
    public static final String PID = "org.cardinaldm.smartcard.sim";
    /** The {@code card.backend} value. */
    public static final String BACKEND = "sim";

    private static final Logger LOG = LoggerFactory.getLogger(SimCardBackend.class);

    /** Configuration of one simulated reader and card. */
    @ObjectClassDefinition(name = "Cardinal software card (in-JVM)",
            description = "A simulated UICC in a simulated reader, inside this JVM")
    public @interface Config {
        /** @return the reader name; also the service property card.reader */
        @AttributeDefinition(name = "Reader name")
        String card_reader() default "Cardinal SIM 0";

        /** @return the image file; relative to karaf.data; empty for a volatile card */
        @AttributeDefinition(name = "Card image file",
                description = "Where the card keeps its contents (relative paths are under karaf.data); empty: volatile")
        String image_file() default "smartcard/sim0.img";

        /** @return the personalisation profile; empty for the built-in demo profile */
        @AttributeDefinition(name = "Personalisation profile", description = "Profile file; empty: built-in demo profile")
        String profile_file() default "";

        /** @return if-absent or always */
        @AttributeDefinition(name = "Personalise", description = "if-absent: only when no image exists; always: at every start")
        String personalize() default "if-absent";

        /** @return whether the card is in the reader at start */
        @AttributeDefinition(name = "Card inserted at start")
        boolean inserted() default true;
    }

    private final String reader;
    private final SimCardHandle card;
    private final Object lock = new Object();
    private boolean inserted;
    private long insertion;

    /**
     * @param config the configuration
     * @throws IOException if the image cannot be read or written
     * @throws ProfileException if the profile is invalid
     */
    @Activate
    public SimCardBackend(Config config) throws IOException, ProfileException {
        this(config.card_reader(), SimCardHandle.open(SimPaths.resolve(config.image_file()),
                SimPaths.resolve(config.profile_file()), SimCardHandle.Personalize.parse(config.personalize())),
                config.inserted());
    }

    /**
     * @param reader the reader name
     * @param card the card, powered off
     * @param inserted whether it starts in the reader
     */
    public SimCardBackend(String reader, SimCardHandle card, boolean inserted) {
        if (reader == null || reader.isBlank()) {
            throw new IllegalArgumentException("card.reader must not be empty");
        }
        this.reader = reader;
        this.card = card;
        if (inserted) {
            this.inserted = true;
            this.insertion = 1;
            card.uicc().powerOn();
        }
        LOG.info("Simulated card reader '{}' started, card {}", reader, inserted ? "inserted" : "absent");
    }

    /** Releases the card image. */
    @Deactivate
    public void close() {
        synchronized (lock) {
            if (inserted) {
                inserted = false;
                notifyObservers();
            }
        }
        try {
            card.close();
        } catch (IOException e) {
            LOG.warn("Could not close the image of simulated card '{}': {}", reader, e.toString());
        }
    }

    /** @return the card (for tests and tools) */
    public SimCardHandle card() {
        return card;
    }

    /**
     * Puts the card in the reader (powered on; after a tear, loaded again from its image).
     *
     * @throws IOException if the image cannot be read
     */
    public void insert() throws IOException {
        synchronized (lock) {
            if (inserted) {
                return;
            }
            Uicc uicc = card.uicc();
            if (uicc.isDead()) {
                uicc = card.reload();
            }
            uicc.powerOn();
            inserted = true;
            insertion++;
            notifyObservers();
        }
    }

    /** Takes the card out of the reader; the card loses power. */
    public void remove() {
        synchronized (lock) {
            if (!inserted) {
                return;
            }
            inserted = false;
            card.uicc().powerOff();
            notifyObservers();
        }
    }

    @Override
    public String reader() {
        return reader;
    }

    @Override
    public String connection() {
        return BACKEND;
    }

    @Override
    public void personalize(Path profile) throws IOException, PersonalizationException {
        personalize(parse(java.util.Objects.requireNonNull(profile, "profile")));
    }

    @Override
    public void personalizeDemo() throws IOException, PersonalizationException {
        personalize(parse(null));
    }

    static CardImage parse(Path profile) throws IOException, PersonalizationException {
        try {
            return SimCardHandle.personalisation(profile);
        } catch (ProfileException e) {
            throw new PersonalizationException(e.line(), e.getMessage());
        }
    }

    /**
     * Writes a new image to the card. A card in the reader is taken out (observers see it absent), written and
     * inserted again (observers see it present: a new insertion, so open connections end).
     */
    private void personalize(CardImage image) throws IOException {
        synchronized (lock) {
            boolean wasInserted = inserted;
            if (wasInserted) {
                remove();
            }
            try {
                card.replace(image);
            } finally {
                if (wasInserted) {
                    insert();
                }
            }
        }
        LOG.info("Simulated card in '{}' personalised again", reader);
    }

    private void notifyObservers() {
        fireStateChanged(status());
    }

    @Override
    protected void observerFailed(ReaderStatus about, RuntimeException failure) {
        LOG.warn("Card observer failed on {}", about, failure);
    }

    @Override
    public ReaderStatus status() {
        synchronized (lock) {
            return inserted ? ReaderStatus.of(reader, BACKEND, CardState.PRESENT, card.uicc().atr())
                    : ReaderStatus.of(reader, BACKEND, CardState.ABSENT);
        }
    }

    @Override
    public CardConnection connect() throws SmartCardException {
        synchronized (lock) {
            if (!inserted) {
                throw new SmartCardException(Code.CARD_ABSENT, "No card in " + reader);
            }
            return new Connection(insertion);
        }
    }

    private final class Connection implements CardConnection {
        private final long insertedAs;
        private boolean closed;

        Connection(long insertedAs) {
            this.insertedAs = insertedAs;
        }

        private Uicc current() throws SmartCardException {
            if (closed) {
                throw new SmartCardException(Code.SESSION_CLOSED, "Connection to " + reader + " closed");
            }
            synchronized (lock) {
                if (!inserted || insertion != insertedAs) {
                    throw new SmartCardException(Code.CARD_REMOVED, "The card was removed from " + reader);
                }
                return card.uicc();
            }
        }

        @Override
        public byte[] atr() {
            return card.uicc().atr();
        }

        @Override
        public String protocol() {
            return card.uicc().protocol().label();
        }

        @Override
        public ResponseApdu transmit(CommandApdu command) throws SmartCardException {
            Uicc uicc = current();
            try {
                return ResponseApdu.parse(uicc.transmit(command.bytes()));
            } catch (Uicc.CardPowerLostException e) {
                LOG.debug("Simulated card in {} lost power during a write", reader);
                remove();
                throw new SmartCardException(Code.CARD_REMOVED, "The card was pulled from " + reader + " during a write");
            } catch (IllegalStateException e) {
                throw new SmartCardException(Code.CARD_REMOVED, "The card in " + reader + " is not powered");
            }
        }

        @Override
        public void reset() throws SmartCardException {
            current().reset();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
