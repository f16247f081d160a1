package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.JobManager;

/** {@code dms:device <DevId>}: everything the server knows about one device, secrets excepted. */
@Service
@Command(scope = "dms", name = "device", description = "Show a device: state, credentials scheme, DevInfo, alerts, jobs")
public class DeviceCommand extends DeviceAction {
    @Reference(optional = true)
    JobManager jobs;

    @Override
    void run(DeviceManager registry, PrintStream o) throws CommandException {
        Device d = registry.device(deviceId).orElseThrow(this::notRegistered);
        ShellTable table = new ShellTable();
        table.column("Property");
        table.column("Value");
        table.addRow().addContent("DevId", d.deviceId());
        table.addRow().addContent("State", d.state(Instant.now()));
        table.addRow().addContent("Card", Services.text(d.cardId()));
        table.addRow().addContent("First contact", Services.time(d.firstContact()));
        table.addRow().addContent("Last contact", Services.time(d.lastContact()));
        table.addRow().addContent("Device auth", d.clientAuth() + " as " + d.clientUser());
        table.addRow().addContent("Server auth", d.serverAuth() + " as " + d.serverUser());
        table.addRow().addContent("Auth failures", d.authFailures() + " (total " + d.totalAuthFailures() + ")");
        table.addRow().addContent("Locked until", Services.time(d.lockedUntil()));
        table.addRow().addContent("Push address", Services.text(d.pushAddress()));
        for (Map.Entry<String, String> e : new TreeMap<>(d.devInfo()).entrySet()) {
            table.addRow().addContent(e.getKey(), Services.shorten(e.getValue(), 80));
        }
        table.print(o);
        var alerts = registry.alerts(deviceId, 10);
        if (!alerts.isEmpty()) {
            o.println("Alerts (newest first):");
            ShellTable a = new ShellTable();
            a.column("Time");
            a.column("Code");
            a.column("Type");
            a.column("Mark");
            a.column("Source");
            a.column("Data");
            for (DeviceAlert x : alerts) {
                a.addRow().addContent(Services.time(x.time()), x.code(), Services.text(x.type()),
                        Services.text(x.mark()), Services.text(x.source()), Services.shorten(x.data(), 40));
            }
            a.print(o);
        }
        if (jobs != null) {
            var recent = jobs.jobs(deviceId, 5);
            if (!recent.isEmpty()) {
                o.println("Recent jobs:");
                JobsCommand.table(recent).print(o);
            }
        }
    }

}
