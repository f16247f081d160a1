package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.server.api.AuthAttempt;
import org.cardinaldm.server.api.DeviceManager;

/**
 * {@code dms:auth-failures <DevId>}: the refused authentication attempts this server node remembers for a DevId
 * (registered or not), newest first: time, source address, scheme, outcome. Never a credential or nonce.
 */
@Service
@Command(scope = "dms", name = "auth-failures",
        description = "List the refused authentication attempts of a DevId (registered or not) on this node, "
                + "with their sources")
public class AuthFailuresCommand extends DeviceAction {
    @Override
    void run(DeviceManager registry, PrintStream o) {
        List<AuthAttempt> attempts = registry.failedAttempts(deviceId);
        if (attempts.isEmpty()) {
            o.println("No refused authentication attempt of " + Services.shorten(deviceId, 256)
                    + " is remembered on this node.");
            return;
        }
        ShellTable table = new ShellTable();
        table.column("Time");
        table.column("Source");
        table.column("Scheme");
        table.column("Outcome");
        for (AuthAttempt a : attempts) {
            table.addRow().addContent(Services.time(a.time()), Services.shorten(a.source(), 64),
                    a.scheme() == null ? "none" : a.scheme().name(), a.outcome().name());
        }
        table.print(o);
    }
}
