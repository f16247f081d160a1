package org.cardinaldm.server.shell.internal;

import org.cardinaldm.server.api.audit.AuditLog;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignService;
import org.cardinaldm.fumo.server.api.CampaignSpec;
import org.cardinaldm.fumo.server.api.DeviceFilter;
import org.cardinaldm.fumo.server.api.MaintenanceWindow;
import org.cardinaldm.fumo.server.api.WaveSize;

/** {@code dms:fumo-campaign-create <name> <package> [filter] [waves]}: creates a campaign (not started). */
@Service
@Command(scope = "dms", name = "fumo-campaign-create", description = "Create a firmware campaign (started with "
        + "dms:fumo-campaign-start)")
public class FumoCampaignCreateCommand implements Action {
    @Reference(optional = true)
    CampaignService campaigns;

    @Argument(index = 0, name = "name", description = "The campaign's name", required = true)
    String name;

    @Argument(index = 1, name = "package", description = "A published firmware package (dms:fumo-packages)",
            required = true)
    String pkg;

    @Option(name = "--man", description = "Only devices whose ./DevInfo/Man is this")
    String manufacturer;

    @Option(name = "--model", description = "Only devices whose ./DevInfo/Mod is this")
    String model;

    @Option(name = "--fwv", description = "Only devices whose known ./DevDetail/FwV is this")
    String firmwareVersion;

    @Option(name = "--card", description = "yes: only devices seen with a card; no: only devices without")
    String card;

    @Option(name = "--tag", description = "Only devices with this tag (repeatable: all must match)", multiValued = true)
    List<String> tags;

    @Option(name = "--device", description = "Only this DevId (repeatable)", multiValued = true)
    List<String> deviceIds;

    @Option(name = "--waves", description = "Wave sizes, counts or percentages, e.g. 1,10%,50% (the rest is one "
            + "more wave); default one wave")
    String waves;

    @Option(name = "--success", description = "Percent of a wave that must succeed before the next starts (default 100)")
    int success = 100;

    @Option(name = "--error", description = "Percent of a wave that may fail before the campaign pauses (default 10)")
    int error = 10;

    @Option(name = "--window", description = "Maintenance window, e.g. 'Mon-Fri 22:00-05:00 Europe/Paris'")
    String window;

    @Option(name = "--instance", description = "FUMO instance x of ./FUMO/x (default Gateway)")
    String instance;

    @Option(name = "--consent", description = "Ask each device's user first (Alert 1101)")
    boolean consent;

    @Option(name = "--question", description = "The consent question (default names the package)")
    String question;

    @Option(name = "--dry-run", description = "Only list the devices the filter chooses now")
    boolean dryRun;

    PrintStream out;

    /** The audit log, when the server has one. */
    @Reference(optional = true)
    AuditLog audit;

    @Override
    public Object execute() throws Exception {
        if (dryRun) {
            return perform(); // a dry run changes nothing
        }
        return ShellAudit.run(audit, this, "package " + pkg, name, this::perform);
    }

    /**
     * The command's work.
     *
     * @return null
     * @throws Exception a {@link org.apache.karaf.shell.support.CommandException} for a user error
     */
    Object perform() throws Exception {
        CampaignService service = Campaigns.require(campaigns);
        PrintStream o = out != null ? out : System.out;
        CampaignSpec spec = Campaigns.run(() -> new CampaignSpec(name, pkg, filter(), WaveSize.parseList(waves),
                success, error, window == null ? null : MaintenanceWindow.parse(window), instance, consent, question));
        if (dryRun) {
            List<String> ids = service.preview(spec.filter(), 1000);
            ids.forEach(o::println);
            o.println(ids.size() + (ids.size() == 1000 ? "+" : "") + " devices match " + spec.filter());
            return null;
        }
        Campaign c = Campaigns.run(() -> service.create(spec));
        long refused = c.deviceCount() - service.devices(c.id(), Set.of(
                org.cardinaldm.fumo.server.api.DeviceUpdateState.QUEUED), 10_000).size();
        o.println("Campaign " + c.id() + " created: " + c.deviceCount() + " devices in " + c.waveSizes().size()
                + " waves " + c.waveSizes() + (refused > 0 ? ", " + refused + " rollback refused" : "")
                + "; start it with dms:fumo-campaign-start " + c.id());
        return null;
    }

    private DeviceFilter filter() {
        Boolean cardPresent = null;
        if (card != null) {
            if (!card.equals("yes") && !card.equals("no")) {
                throw new IllegalArgumentException("--card is yes or no");
            }
            cardPresent = card.equals("yes");
        }
        return new DeviceFilter(manufacturer, model, firmwareVersion, cardPresent,
                tags == null ? Set.of() : Set.copyOf(tags), deviceIds == null ? Set.of() : Set.copyOf(deviceIds));
    }
}
