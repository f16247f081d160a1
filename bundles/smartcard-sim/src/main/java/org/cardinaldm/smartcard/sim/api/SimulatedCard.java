package org.cardinaldm.smartcard.sim.api;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One running software card ({@code smartcard-sim}), registered as a service with the reader name it is seen
 * under in the service property {@code card.reader}. Personalising replaces the whole card image (files, PINs,
 * keys, counters) with the one a profile describes, the way an issuer's personalisation machine would: a card
 * that was in its reader is taken out and inserted again, so that card listeners (the DM card service) see a
 * removal and an insertion and read the new card.
 */
@ProviderType
public interface SimulatedCard {
    /** The service property naming the reader (same as the card backends' {@code card.reader}). */
    String READER_PROPERTY = "card.reader";

    /** @return the reader this card is seen in, e.g. {@code Cardinal SIM 0} or {@code Virtual PCD 00 00} */
    String reader();

    /** @return how the card is reached: {@code sim} (in-JVM backend) or {@code vpcd} (through pcscd) */
    String connection();

    /**
     * Writes the card from a personalisation profile ({@code docs/smartcard-profile.md}, B6). The profile is
     * parsed completely before the card is touched, so an invalid profile leaves the card as it was.
     *
     * @param profile the profile file; {@code data file} paths in it are resolved next to it
     * @throws IOException if the profile or a file it names cannot be read, or the card image cannot be stored
     * @throws PersonalizationException if the profile is invalid (the message names the line, never a secret)
     */
    void personalize(Path profile) throws IOException, PersonalizationException;

    /**
     * Writes the card from the built-in demo profile ({@code docs/smartcard-profile.md}, A12).
     *
     * @throws IOException if the card image cannot be stored
     * @throws PersonalizationException never for the shipped demo profile
     */
    void personalizeDemo() throws IOException, PersonalizationException;
}
