package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.api.DeviceManager;

/** {@code dms:device-unlock <DevId>}: ends a lock-out; {@code --disable}/{@code --enable} refuse or admit a device. */
@Service
@Command(scope = "dms", name = "device-unlock", description = "End a device's lock-out (or disable/enable it)")
public class DeviceUnlockCommand extends DeviceAction {
    @Option(name = "--disable", description = "Refuse the device until enabled again")
    boolean disable;

    @Option(name = "--enable", description = "Admit a disabled device again")
    boolean enable;

    @Override
    void run(DeviceManager registry, PrintStream o) throws CommandException {
        boolean found = disable || enable ? registry.setEnabled(deviceId, enable) : registry.unlock(deviceId);
        if (!found) {
            throw notRegistered();
        }
        o.println(disable ? deviceId + " disabled." : enable ? deviceId + " enabled." : deviceId + " unlocked.");
    }

    @Override
    boolean changesState() {
        return true;
    }

    @Override
    String auditDetail() {
        return disable ? "--disable" : enable ? "--enable" : null;
    }
}
