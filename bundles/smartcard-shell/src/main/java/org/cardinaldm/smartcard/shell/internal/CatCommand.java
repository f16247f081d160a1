package org.cardinaldm.smartcard.shell.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCards;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.XmlOptions;

/**
 * {@code card:cat [--reader R] [--hex] what}: a DM card's content. {@code bootstrap} decodes the WBXML
 * bootstrap message to XML, {@code policy}, {@code fumo} and {@code credentials} show the decoded objects,
 * and a path (hex file identifiers, e.g. {@code 6431} or {@code 3F00/2FE2}) dumps that file in hex.
 */
@Service
@Command(scope = "card", name = "cat", description = "Show a DM card's bootstrap, policy, FUMO policy, credentials or a file")
public class CatCommand implements Action {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Reference(optional = true)
    DmCards cards;

    @Option(name = "--reader", description = "Reader name (default: the first DM card)")
    String reader;

    @Option(name = "--hex", description = "Dump the bootstrap in hex instead of decoding it")
    boolean hex;

    @Argument(index = 0, name = "what", description = "bootstrap, policy, fumo, credentials, or a file path such as 6431",
            required = true)
    String what;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        DmCard c = Readers.dmCard(cards, reader);
        PrintStream o = out != null ? out : System.out;
        switch (what) {
            case "bootstrap": {
                byte[] doc = c.bootstrapDocument()
                        .orElseThrow(() -> new CommandException("The card carries no DM bootstrap."));
                if (hex) {
                    dump(o, doc);
                } else {
                    try {
                        o.println(new String(SyncML.xml(XmlOptions.DEFAULT.withPretty(true)).encode(SyncML.decode(doc)),
                                StandardCharsets.UTF_8));
                    } catch (CodecException e) {
                        throw new CommandException("The bootstrap is not a valid SyncML message (" + e.getMessage()
                                + "); use --hex to see it.");
                    }
                }
                break;
            }
            case "policy":
                o.println(c.policy());
                break;
            case "fumo":
                o.println(c.fumoPolicy().map(Object::toString).orElse("The card carries no FUMO policy."));
                c.fumoPolicy().ifPresent(f -> f.trustedSigners().forEach(s -> o.println("  signer SHA-256 " + s)));
                break;
            case "credentials":
                c.credentials().forEach(o::println);
                break;
            default:
                try {
                    dump(o, c.readFile(what));
                } catch (IllegalArgumentException e) {
                    throw new CommandException("Unknown '" + what
                            + "': use bootstrap, policy, fumo, credentials or a path of hex file identifiers such as 6431.");
                } catch (SmartCardException e) {
                    throw new CommandException("The card refused to read " + what + ": " + e.getMessage());
                }
        }
        o.flush();
        return null;
    }

    static void dump(PrintStream o, byte[] data) {
        for (int i = 0; i < data.length; i += 16) {
            int end = Math.min(data.length, i + 16);
            StringBuilder text = new StringBuilder();
            for (int k = i; k < end; k++) {
                int b = data[k] & 0xFF;
                text.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
            }
            o.printf("%04X  %-47s  %s%n", i, HEX.withDelimiter(" ").formatHex(data, i, end), text);
        }
    }
}
