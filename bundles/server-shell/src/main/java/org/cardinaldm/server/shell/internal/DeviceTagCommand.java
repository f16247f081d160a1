package org.cardinaldm.server.shell.internal;

import org.cardinaldm.server.api.audit.AuditLog;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.cardinaldm.fumo.server.api.DeviceTags;

/** {@code dms:device-tag <DevId> [tag...]}: shows, adds ({@code tag}) or removes ({@code -r tag}) a device's tags. */
@Service
@Command(scope = "dms", name = "device-tag", description = "Show, add or remove a device's tags (campaign filters "
        + "select on them)")
public class DeviceTagCommand implements Action {
    @Reference(optional = true)
    DeviceTags deviceTags;

    @Argument(index = 0, name = "devId", description = "The DevId", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "tags", description = "Tags to add (or to remove with -r)", multiValued = true)
    List<String> tags;

    @Option(name = "-r", aliases = "--remove", description = "Remove the tags instead of adding them")
    boolean remove;

    PrintStream out;

    /** The audit log, when the server has one. */
    @Reference(optional = true)
    AuditLog audit;

    @Override
    public Object execute() throws Exception {
        if (tags == null || tags.isEmpty()) {
            return perform(); // showing the tags changes nothing
        }
        return ShellAudit.run(audit, this, (remove ? "-r " : "") + String.join(" ", tags), deviceId, this::perform);
    }

    /**
     * The command's work.
     *
     * @return null
     * @throws Exception a {@link org.apache.karaf.shell.support.CommandException} for a user error
     */
    Object perform() throws Exception {
        DeviceTags service = Campaigns.require(deviceTags);
        List<String> given = tags == null ? List.of() : tags;
        Set<String> now = given.isEmpty() ? service.tags(deviceId)
                : Campaigns.run(() -> remove ? service.remove(deviceId, given) : service.add(deviceId, given));
        (out != null ? out : System.out).println(deviceId + ": " + (now.isEmpty() ? "no tags" : String.join(" ", now)));
        return null;
    }
}
