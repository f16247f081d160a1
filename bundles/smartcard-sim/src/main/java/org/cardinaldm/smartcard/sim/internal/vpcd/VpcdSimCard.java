package org.cardinaldm.smartcard.sim.internal.vpcd;

import java.io.IOException;
import java.nio.file.Path;

import org.cardinaldm.smartcard.sim.api.PersonalizationException;
import org.cardinaldm.smartcard.sim.api.SimulatedCard;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.SimPaths;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
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
 * A simulated card plugged into the local {@code pcscd} through the vsmartcard {@code vpcd} driver, one per
 * factory configuration ({@code org.cardinaldm.smartcard.sim.vpcd-<name>.cfg}). The card is reached like any
 * PC/SC card, e.g. by the {@code smartcard-pcsc} backend on the reader "Virtual PCD 00 00"; the component's
 * only service is {@link SimulatedCard}, so that tools ({@code cardsim:personalize}) can write the card again.
 */
@Component(service = SimulatedCard.class, immediate = true, configurationPid = VpcdSimCard.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = VpcdSimCard.Config.class, factory = true)
public final class VpcdSimCard implements SimulatedCard {
    /** Factory configuration PID. */
    public static final String PID = "org.cardinaldm.smartcard.sim.vpcd";

    private static final Logger LOG = LoggerFactory.getLogger(VpcdSimCard.class);

    /** Configuration of one simulated card on vpcd. */
    @ObjectClassDefinition(name = "Cardinal software card on pcscd (vpcd)",
            description = "A simulated UICC inserted into pcscd's virtual reader through vsmartcard-vpcd")
    public @interface Config {
        /** @return vpcd's host */
        @AttributeDefinition(name = "vpcd host")
        String vpcd_host() default "127.0.0.1";

        /** @return vpcd's port: 35963 for "Virtual PCD 00 00", 35964 for "Virtual PCD 00 01" */
        @AttributeDefinition(name = "vpcd port")
        int vpcd_port() default 35963;

        /** @return the reader name pcscd gives vpcd's reader; empty: derived from the port */
        @AttributeDefinition(name = "Reader name",
                description = "The PC/SC reader this card appears in; empty: Virtual PCD 00 00 for 35963, 00 01 for 35964")
        String card_reader() default "";

        /** @return the image file; relative to karaf.data; empty for a volatile card */
        @AttributeDefinition(name = "Card image file")
        String image_file() default "smartcard/vpcd0.img";

        /** @return the personalisation profile; empty for the built-in demo profile */
        @AttributeDefinition(name = "Personalisation profile")
        String profile_file() default "";

        /** @return if-absent or always */
        @AttributeDefinition(name = "Personalise")
        String personalize() default "if-absent";

        /** @return whether the card is inserted at start */
        @AttributeDefinition(name = "Card inserted at start")
        boolean inserted() default true;
    }

    private final SimCardHandle card;
    private final VpcdConnector connector;
    private final String reader;

    /**
     * @param config the configuration
     * @throws IOException if the image cannot be read or written
     * @throws ProfileException if the profile is invalid
     */
    @Activate
    public VpcdSimCard(Config config) throws IOException, ProfileException {
        card = SimCardHandle.open(SimPaths.resolve(config.image_file()), SimPaths.resolve(config.profile_file()),
                SimCardHandle.Personalize.parse(config.personalize()));
        connector = new VpcdConnector(config.vpcd_host(), config.vpcd_port(), card, config.inserted());
        reader = config.card_reader().isBlank() ? readerName(config.vpcd_port()) : config.card_reader().trim();
        LOG.info("Simulated card for vpcd {}:{} started", config.vpcd_host(), config.vpcd_port());
    }

    /** @return the connector (for tests and tools) */
    public VpcdConnector connector() {
        return connector;
    }

    /**
     * @param port vpcd's port
     * @return the reader name of vsmartcard's default {@code reader.conf} for that port
     */
    static String readerName(int port) {
        int index = port - VpcdConnector.FIRST_PORT;
        return index >= 0 && index < 10 ? "Virtual PCD 00 0" + index : "vpcd port " + port;
    }

    @Override
    public String reader() {
        return reader;
    }

    @Override
    public String connection() {
        return "vpcd";
    }

    @Override
    public void personalize(Path profile) throws IOException, PersonalizationException {
        write(profile);
    }

    @Override
    public void personalizeDemo() throws IOException, PersonalizationException {
        write(null);
    }

    /** Pulls the card from vpcd (pcscd sees a removal), writes it, and inserts it again if it was in. */
    private void write(Path profile) throws IOException, PersonalizationException {
        CardImage image;
        try {
            image = SimCardHandle.personalisation(profile);
        } catch (ProfileException e) {
            throw new PersonalizationException(e.line(), e.getMessage());
        }
        synchronized (connector) {
            boolean wasInserted = connector.isInserted();
            connector.pull();
            try {
                card.replace(image);
            } finally {
                if (wasInserted) {
                    connector.insert();
                }
            }
        }
        LOG.info("Simulated card on vpcd ({}) personalised again", reader);
    }

    /** Disconnects from vpcd and releases the image. */
    @Deactivate
    public void close() {
        connector.close();
        try {
            card.close();
        } catch (IOException e) {
            LOG.warn("Could not close the simulated card image: {}", e.toString());
        }
    }
}
