package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.api.DeviceManager;

/** {@code dms:device-remove <DevId>}: forgets a device with its jobs, results and alerts. */
@Service
@Command(scope = "dms", name = "device-remove", description = "Remove a device with its jobs, results and alerts")
public class DeviceRemoveCommand implements Action {
    @Reference(optional = true)
    DeviceManager devices;

    @Argument(index = 0, name = "devId", description = "The DevId", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        if (!Services.require(devices).remove(deviceId)) {
            throw new CommandException("No device " + deviceId + " is registered (see dms:devices).");
        }
        o.println(deviceId + " removed.");
        return null;
    }
}
