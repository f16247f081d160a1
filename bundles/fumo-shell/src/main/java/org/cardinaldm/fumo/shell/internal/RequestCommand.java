package org.cardinaldm.fumo.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.fumo.api.FumoService;

/**
 * {@code fumo:request}: asks a DM server for a firmware update (client-initiated FUMO: a Generic Alert of type
 * {@code …firmwareupdate.userrequest}, or {@code …devicerequest} with {@code --device}).
 */
@Service
@Command(scope = "fumo", name = "request", description = "Ask a DM server for a firmware update")
public class RequestCommand implements Action {
    @Reference(optional = true)
    FumoService fumo;

    @Argument(index = 0, name = "instance", description = "FUMO instance, e.g. Gateway", required = true)
    String instance;

    @Argument(index = 1, name = "server", description = "ServerID of the DM server to ask", required = true)
    String server;

    @Option(name = "--device", description = "Send it as a device request (default: a user request)")
    boolean device;

    @Override
    public Object execute() throws Exception {
        run(System.out);
        return null;
    }

    void run(PrintStream out) throws CommandException {
        if (fumo == null) {
            throw new CommandException("FUMO is not installed (feature:install cardinal-fumo)");
        }
        try {
            fumo.requestUpdate(instance, server, !device);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandException(e.getMessage());
        }
        out.println("Asked " + server + " for a firmware update of " + instance + " ("
                + (device ? "device" : "user") + " request); the DM client delivers it in its next session.");
    }
}
