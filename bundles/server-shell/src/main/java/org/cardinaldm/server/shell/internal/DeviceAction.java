package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.api.DeviceManager;

/**
 * What the commands about one DevId share: the registry, the DevId argument with its completer, the
 * output, and the one-line refusals when the server is not running or the device is unknown.
 */
abstract class DeviceAction implements Action {
    @Reference(optional = true)
    DeviceManager devices;

    @Argument(index = 0, name = "devId", description = "The DevId, e.g. IMEI:493005100592800", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    PrintStream out;

    @Override
    public final Object execute() throws Exception {
        run(Services.require(devices), out != null ? out : System.out);
        return null;
    }

    /**
     * @param registry the device registry
     * @param o where to print
     * @throws Exception a {@link CommandException} for a user error
     */
    abstract void run(DeviceManager registry, PrintStream o) throws Exception;

    /** @return the refusal for a DevId that is not registered */
    CommandException notRegistered() {
        return new CommandException("No device " + deviceId + " is registered (see dms:devices).");
    }
}
