package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceManager;

/** {@code dms:devices}: one line per registered device. */
@Service
@Command(scope = "dms", name = "devices", description = "List the devices registered with the DM server")
public class DevicesCommand implements Action {
    @Reference(optional = true)
    DeviceManager devices;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        Instant now = Instant.now();
        ShellTable table = new ShellTable();
        table.column("DevId");
        table.column("Card");
        table.column("Last contact");
        table.column("State");
        table.column("Auth failures");
        for (Device d : Services.require(devices).devices()) {
            table.addRow().addContent(d.deviceId(), Services.text(d.cardId()), Services.time(d.lastContact()),
                    d.state(now), d.authFailures() + " (total " + d.totalAuthFailures() + ")");
        }
        table.print(o);
        return null;
    }
}
