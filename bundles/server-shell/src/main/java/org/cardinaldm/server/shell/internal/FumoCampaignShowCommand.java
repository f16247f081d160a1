package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.util.Set;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.CampaignService;

/** {@code dms:fumo-campaign-show <id>}: a campaign, its progress per wave and its devices. */
@Service
@Command(scope = "dms", name = "fumo-campaign-show", description = "Show a firmware campaign: progress per wave "
        + "and each device's state and result")
public class FumoCampaignShowCommand implements Action {
    @Reference(optional = true)
    CampaignService campaigns;

    @Argument(index = 0, name = "id", description = "The campaign id", required = true)
    long id;

    @Option(name = "-n", aliases = "--max", description = "How many devices to list (default 50, 0 for none)")
    int max = 50;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        CampaignService service = Campaigns.require(campaigns);
        PrintStream o = out != null ? out : System.out;
        Campaign c = service.campaign(id).orElseThrow(() -> new CommandException("No campaign " + id
                + " (see dms:fumo-campaign-list)."));
        Campaigns.printCampaign(c, service.progress(id), o);
        if (max > 0) {
            ShellTable t = new ShellTable();
            for (String col : new String[] {"DevId", "Wave", "State", "Job", "Detail", "Updated"}) {
                t.column(col);
            }
            for (CampaignDevice d : service.devices(id, Set.of(), Math.min(max, 10_000))) {
                t.addRow().addContent(d.deviceId(), d.wave() + 1, d.stateText(), Services.text(d.jobId()),
                        Services.shorten(d.detail(), 80), Services.time(d.updated()));
            }
            t.print(o);
        }
        return null;
    }
}
