package org.cardinaldm.smartcard.sim.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.smartcard.api.CardService;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.sim.api.PersonalizationException;
import org.cardinaldm.smartcard.sim.api.SimulatedCard;

/**
 * {@code cardsim:personalize <reader> (<profile-file> | --demo)}: writes a personalisation profile
 * ({@code docs/smartcard-profile.md}, B6) to Cardinal's software card in that reader, in-JVM or on vpcd.
 * The card is taken out and inserted again, so the DM card service reads the new card. Real cards (and any
 * reader without a software card behind it) are refused. For administrators only: restrict it in
 * {@code etc/org.apache.karaf.command.acl.cardsim.cfg} ({@code personalize = admin}), since it replaces the card's
 * keys, PINs and DM data.
 */
@Service
@Command(scope = "cardsim", name = "personalize",
        description = "Write a personalisation profile to a simulated card (administrators only)")
public class PersonalizeCommand implements Action {
    @Reference(optional = true)
    CardService cards;

    @Reference(optional = true)
    List<SimulatedCard> simulated;

    @Option(name = "--demo", description = "Write the built-in demo profile instead of a file")
    boolean demo;

    @Argument(index = 0, name = "reader", description = "Reader of the simulated card, e.g. 'Cardinal SIM 0'",
            required = true)
    String reader;

    @Argument(index = 1, name = "profile-file", description = "The profile (docs/smartcard-profile.md, B6)",
            required = false)
    String profile;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        if ("--demo".equals(profile)) {
            // Karaf takes options only before the arguments: "cardsim:personalize <reader> --demo" arrives as an argument
            if (demo) {
                throw new CommandException("Give either a profile file or --demo, once.");
            }
            demo = true;
            profile = null;
        }
        if (demo == (profile != null)) {
            throw new CommandException("Give either a profile file or --demo, e.g. cardsim:personalize '" + reader
                    + "' --demo.");
        }
        SimulatedCard card = simulatedCard();
        Path file = null;
        if (!demo) {
            file = Paths.get(profile).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new CommandException("No readable profile file at " + file + ".");
            }
        }
        try {
            if (demo) {
                card.personalizeDemo();
            } else {
                card.personalize(file);
            }
        } catch (PersonalizationException e) {
            throw new CommandException("The profile is invalid (" + e.getMessage() + "); the card was not changed.");
        } catch (IOException e) {
            throw new CommandException("Could not personalise the card in '" + reader + "': " + e.getMessage());
        }
        o.println("Personalised the card in '" + reader + "' from " + (demo ? "the built-in demo profile" : file)
                + " and inserted it again; card:info shows it once it has been read.");
        o.flush();
        return null;
    }

    /** The software card in the reader, or one sentence on why there is none. */
    private SimulatedCard simulatedCard() throws CommandException {
        List<SimulatedCard> all = simulated == null ? List.of() : simulated;
        Optional<SimulatedCard> card = all.stream().filter(s -> reader.equals(s.reader())).findFirst();
        if (card.isPresent()) {
            return card.get();
        }
        Optional<ReaderStatus> status = cards == null ? Optional.empty() : cards.reader(reader);
        if (status.isPresent()) {
            throw new CommandException("'" + reader + "' is a " + status.get().backend()
                    + " reader without Cardinal's software card: cardsim:personalize writes only to simulated cards"
                    + (all.isEmpty() ? "." : " (" + names(all) + ")."));
        }
        throw new CommandException("No simulated card in a reader named '" + reader + "'"
                + (all.isEmpty() ? "; install the feature cardinal-smartcard-sim and configure a card."
                        : "; simulated cards: " + names(all) + "."));
    }

    private static String names(List<SimulatedCard> all) {
        return all.stream().map(s -> "'" + s.reader() + "'").collect(Collectors.joining(", "));
    }
}
