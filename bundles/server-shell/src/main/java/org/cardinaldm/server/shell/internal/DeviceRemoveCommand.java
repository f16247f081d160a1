package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.api.DeviceManager;

/** {@code dms:device-remove <DevId>}: forgets a device with its jobs, results and alerts. */
@Service
@Command(scope = "dms", name = "device-remove", description = "Remove a device with its jobs, results and alerts")
public class DeviceRemoveCommand extends DeviceAction {
    @Override
    void run(DeviceManager registry, PrintStream o) throws CommandException {
        if (!registry.remove(deviceId)) {
            throw notRegistered();
        }
        o.println(deviceId + " removed.");
    }

    @Override
    boolean changesState() {
        return true;
    }

    @Override
    String auditDetail() {
        return null;
    }
}
