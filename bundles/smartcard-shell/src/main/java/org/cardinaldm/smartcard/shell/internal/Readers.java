package org.cardinaldm.smartcard.shell.internal;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.smartcard.api.CardService;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCards;

/** Picks the reader or card a command works on, with one actionable sentence when there is none. */
final class Readers {
    private Readers() {
    }

    static CardService require(CardService cards) throws CommandException {
        if (cards == null) {
            throw new CommandException("No card service is running: install the feature cardinal-smartcard.");
        }
        return cards;
    }

    static DmCards require(DmCards cards) throws CommandException {
        if (cards == null) {
            throw new CommandException("The DM card service is not running: install the feature cardinal-smartcard-dm.");
        }
        return cards;
    }

    /** The named reader, or the only/first reader with a card. */
    static String presentReader(CardService cards, String reader) throws CommandException {
        List<ReaderStatus> all = require(cards).readers();
        if (reader != null && !reader.isEmpty()) {
            Optional<ReaderStatus> r = cards.reader(reader);
            if (r.isEmpty()) {
                throw new CommandException("No reader named '" + reader + "'; card:list shows the readers.");
            }
            return reader;
        }
        return all.stream().filter(ReaderStatus::isCardPresent).map(ReaderStatus::reader).findFirst()
                .orElseThrow(() -> new CommandException("No reader holds a card; insert one or name a reader with --reader."));
    }

    /** The DM card in the named reader, or the first DM card. */
    static DmCard dmCard(DmCards cards, String reader) throws CommandException {
        List<DmCard> all = require(cards).cards();
        if (reader != null && !reader.isEmpty()) {
            return cards.card(reader).orElseThrow(() -> new CommandException(
                    "No DM card in '" + reader + "'; card:list shows the readers and card:info the DM cards."));
        }
        if (all.isEmpty()) {
            throw new CommandException("No DM card is present; card:list shows the readers.");
        }
        return all.get(0);
    }
}
