package org.cardinaldm.smartcard.shell.internal;

import java.io.PrintStream;
import java.util.HexFormat;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.smartcard.api.CardService;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.StatusWord;

/**
 * {@code card:apdu [--reader R] [--reset] apdu…}: sends command APDUs (hex) to a card in one exclusive
 * session and prints each response. For administrators only: restrict it in
 * {@code etc/org.apache.karaf.command.acl.card.cfg} ({@code apdu = admin}).
 */
@Service
@Command(scope = "card", name = "apdu", description = "Send command APDUs to a card (administrators only)")
public class ApduCommand implements Action {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Reference(optional = true)
    CardService cards;

    @Option(name = "--reader", description = "Reader name (default: the first reader with a card)")
    String reader;

    @Option(name = "--reset", description = "Reset the card at the end, dropping any security state the APDUs raised")
    boolean reset;

    @Argument(index = 0, name = "apdu", description = "Command APDUs in hex, e.g. 00A4040C0CA000000063504B43532D3135",
            required = true, multiValued = true)
    List<String> apdus;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        String r = Readers.presentReader(cards, reader);
        java.util.List<CommandApdu> commands = new java.util.ArrayList<>();
        for (String a : apdus) {
            try {
                commands.add(CommandApdu.parse(HEX.parseHex(a.replace(" ", "").replace(":", ""))));
            } catch (IllegalArgumentException e) {
                throw new CommandException("'" + a + "' is not a command APDU in hex (CLA INS P1 P2 [Lc data] [Le]).");
            }
        }
        try (CardSession s = cards.openSession(r)) {
            for (CommandApdu c : commands) {
                ResponseApdu resp = s.basicChannel().transmit(c);
                o.println("> " + c.toHexString());
                o.println("< " + HEX.formatHex(resp.data()) + (resp.length() > 0 ? " " : "") + StatusWord.toHex(resp.sw())
                        + " (" + StatusWord.describe(resp.sw()) + ")");
            }
            if (reset) {
                s.reset();
            }
        } catch (SmartCardException e) {
            throw new CommandException("The card in '" + r + "' failed: " + e.getMessage());
        }
        o.flush();
        return null;
    }
}
