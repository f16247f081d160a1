package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignProgress;
import org.cardinaldm.fumo.server.api.CampaignService;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;

/** {@code dms:fumo-campaign-list}: every campaign with its progress. */
@Service
@Command(scope = "dms", name = "fumo-campaign-list", description = "List firmware campaigns (newest first) with "
        + "their progress")
public class FumoCampaignListCommand implements Action {
    @Reference(optional = true)
    CampaignService campaigns;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        CampaignService service = Campaigns.require(campaigns);
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Id", "Name", "Package", "State", "Wave", "Devices", "Succeeded", "Failed",
                "Rollback refused", "Done", "Updated"}) {
            t.column(c);
        }
        for (Campaign c : service.campaigns()) {
            CampaignProgress.Counts p = service.progress(c.id()).total();
            t.addRow().addContent(c.id(), Services.shorten(c.spec().name(), 32), c.pkg().fileName(),
                    c.state().name().toLowerCase(Locale.ROOT), (c.currentWave() + 1) + "/" + c.waveSizes().size(),
                    p.devices(), p.count(DeviceUpdateState.SUCCEEDED), p.count(DeviceUpdateState.FAILED),
                    p.count(DeviceUpdateState.ROLLBACK_REFUSED), Campaigns.pct(p.finishedPercent()),
                    Services.time(c.updated()));
        }
        t.print(out != null ? out : System.out);
        return null;
    }
}
