package org.cardinaldm.smartcard.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardObject;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCards;

/** {@code card:ls [reader]}: the PKCS#15 and DM view of a card: application, token, directories, objects. */
@Service
@Command(scope = "card", name = "ls", description = "List a DM card's PKCS#15 structure and DM objects")
public class LsCommand implements Action {
    @Reference(optional = true)
    DmCards cards;

    @Argument(index = 0, name = "reader", description = "Reader name (default: the first DM card)", required = false)
    String reader;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        DmCard c = Readers.dmCard(cards, reader);
        ShellTable table = new ShellTable();
        table.column("Kind");
        table.column("Path");
        table.column("Label");
        table.column("OID");
        table.column("What");
        try {
            for (CardObject o : c.pkcs15Objects()) {
                table.addRow().addContent(o.kind().name().toLowerCase(java.util.Locale.ROOT), o.path(), o.label(),
                        o.oid(), o.detail());
            }
        } catch (SmartCardException e) {
            throw new CommandException("The card could not be read: " + e.getMessage());
        }
        table.print(out != null ? out : System.out);
        return null;
    }
}
