package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.api.DeviceManager;

/** {@code dms:device-unlock <DevId>}: ends a lock-out; {@code --disable}/{@code --enable} refuse or admit a device. */
@Service
@Command(scope = "dms", name = "device-unlock", description = "End a device's lock-out (or disable/enable it)")
public class DeviceUnlockCommand implements Action {
    @Reference(optional = true)
    DeviceManager devices;

    @Argument(index = 0, name = "devId", description = "The DevId", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Option(name = "--disable", description = "Refuse the device until enabled again")
    boolean disable;

    @Option(name = "--enable", description = "Admit a disabled device again")
    boolean enable;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        DeviceManager m = Services.require(devices);
        boolean found = disable || enable ? m.setEnabled(deviceId, enable) : m.unlock(deviceId);
        if (!found) {
            throw new CommandException("No device " + deviceId + " is registered (see dms:devices).");
        }
        o.println(disable ? deviceId + " disabled." : enable ? deviceId + " enabled." : deviceId + " unlocked.");
        return null;
    }
}
