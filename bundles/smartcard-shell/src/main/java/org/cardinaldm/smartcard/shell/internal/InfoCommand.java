package org.cardinaldm.smartcard.shell.internal;

import java.io.PrintStream;
import java.util.HexFormat;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.FumoPolicy;

/** {@code card:info [reader]}: what the DM card carries (identity, policy, FUMO policy, credentials), no secrets. */
@Service
@Command(scope = "card", name = "info", description = "Show a DM card: id, profile, change counter, policy, credentials")
public class InfoCommand extends DmCardCommand {
    @Override
    void show(DmCard c, PrintStream o) {
        line(o, "Reader", c.reader());
        line(o, "Card id", c.cardId());
        line(o, "ATR", HexFormat.of().withUpperCase().formatHex(c.atr()));
        line(o, "Profile", c.profileVersion().isEmpty() ? "DM Bootstrap 1.2 only" : "Cardinal DM " + c.profileVersion());
        line(o, "Change counter", c.changeCounter() < 0 ? "none" : Long.toString(c.changeCounter()));
        line(o, "Capabilities", String.join(", ", new TreeSet<>(c.capabilities())));
        line(o, "MO store free", c.freeSpace() < 0 ? "no MO store" : c.freeSpace() + " bytes");
        line(o, "Bootstrap", c.bootstrapDocument().map(b -> b.length + " bytes (WBXML)").orElse("none"));
        CardPolicy p = c.policy();
        line(o, "User confirmation", Boolean.toString(p.userConfirmation()));
        line(o, "Autonomous connection", Boolean.toString(p.autonomousConnection()));
        line(o, "Allowed servers", p.allowedServers().isEmpty() ? "any" : String.join(", ", p.allowedServers()));
        if (c.fumoPolicy().isPresent()) {
            FumoPolicy f = c.fumoPolicy().get();
            line(o, "FUMO signers", f.trustedSigners().size() + " (" + String.join(", ", f.trustedSigners()) + ")");
            line(o, "FUMO servers", f.allowedServers().isEmpty() ? "any" : String.join(", ", f.allowedServers()));
            line(o, "FUMO anti-rollback", Long.toString(f.antiRollbackCounter()));
        }
        for (CardCredential k : c.credentials()) {
            line(o, "Credential", k.serverId() + " " + (k.level() == CardCredential.Level.CLIENT ? "CLCRED" : "SRVCRED")
                    + " name " + k.authName() + ", card key " + k.keyReference() + ", " + k.digests());
        }
    }

    private static void line(PrintStream o, String key, String value) {
        o.printf("%-22s %s%n", key + ":", value);
    }
}
