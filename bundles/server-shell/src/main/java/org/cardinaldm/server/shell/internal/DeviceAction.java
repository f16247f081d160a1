package org.cardinaldm.server.shell.internal;

import org.cardinaldm.server.api.audit.AuditLog;
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

    /** The audit log, when the server has one (commands that change state are recorded). */
    @Reference(optional = true)
    AuditLog audit;

    PrintStream out;

    @Override
    public final Object execute() throws Exception {
        if (!changesState()) {
            run(Services.require(devices), out != null ? out : System.out);
            return null;
        }
        return ShellAudit.run(audit, this, auditDetail(), deviceId, () -> {
            run(Services.require(devices), out != null ? out : System.out);
            return null;
        });
    }

    /** @return true for commands that change the registry (they are recorded in the audit log) */
    boolean changesState() {
        return false;
    }

    /** @return what of the options the audit log records, or null */
    String auditDetail() {
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
