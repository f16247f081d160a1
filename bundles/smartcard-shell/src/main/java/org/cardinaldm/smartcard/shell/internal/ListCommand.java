package org.cardinaldm.smartcard.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.smartcard.api.CardService;
import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.ReaderStatus;

/**
 * {@code card:list}: one line per reader: name, backend, card state ({@code present}, {@code absent} or
 * {@code no-reader}) and the ATR in hex.
 */
@Service
@Command(scope = "card", name = "list", description = "List the card readers, their backend, card state and ATR")
public class ListCommand implements Action {
    @Reference(optional = true)
    CardService cards;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        ShellTable table = new ShellTable();
        table.column("Reader");
        table.column("Backend");
        table.column("Card");
        table.column("ATR");
        for (ReaderStatus r : Readers.require(cards).readers()) {
            table.addRow().addContent(r.reader(), r.backend(), state(r.state()), r.atrHex());
        }
        table.print(out != null ? out : System.out);
        return null;
    }

    static String state(CardState s) {
        switch (s) {
            case PRESENT:
                return "present";
            case ABSENT:
                return "absent";
            default:
                return "no-reader";
        }
    }
}
