package org.cardinaldm.smartcard.sim.internal.vpcd;

import java.io.IOException;

import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.SimPaths;
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
 * factory configuration ({@code org.cardinaldm.smartcard.sim.vpcd-<name>.cfg}). It provides no service: the
 * card is then reached like any PC/SC card, e.g. by the {@code smartcard-pcsc} backend on the reader
 * "Virtual PCD 00 00".
 */
@Component(service = {}, immediate = true, configurationPid = VpcdSimCard.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = VpcdSimCard.Config.class, factory = true)
public final class VpcdSimCard {
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
        LOG.info("Simulated card for vpcd {}:{} started", config.vpcd_host(), config.vpcd_port());
    }

    /** @return the connector (for tests and tools) */
    public VpcdConnector connector() {
        return connector;
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
