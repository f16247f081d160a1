package org.cardinaldm.smartcard.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardObject;
import org.cardinaldm.smartcard.dm.api.DmCard;

/** {@code card:ls [reader]}: the PKCS#15 and DM view of a card: application, token, directories, objects. */
@Service
@Command(scope = "card", name = "ls", description = "List a DM card's PKCS#15 structure and DM objects")
public class LsCommand extends DmCardCommand {
    @Override
    void show(DmCard c, PrintStream o) throws CommandException {
        ShellTable table = new ShellTable();
        table.column("Kind");
        table.column("Path");
        table.column("Label");
        table.column("OID");
        table.column("What");
        try {
            for (CardObject k : c.pkcs15Objects()) {
                table.addRow().addContent(k.kind().name().toLowerCase(java.util.Locale.ROOT), k.path(), k.label(),
                        k.oid(), k.detail());
            }
        } catch (SmartCardException e) {
            throw new CommandException("The card could not be read: " + e.getMessage());
        }
        table.print(o);
    }
}
