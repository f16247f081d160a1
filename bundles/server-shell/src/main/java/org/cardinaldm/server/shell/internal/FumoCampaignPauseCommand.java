package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignService;

/** {@code dms:fumo-campaign-pause <id>}. */
@Service
@Command(scope = "dms", name = "fumo-campaign-pause", description = "Pause a firmware campaign")
public class FumoCampaignPauseCommand implements Action {
    @Reference(optional = true)
    CampaignService campaigns;

    @Argument(index = 0, name = "id", description = "The campaign id", required = true)
    long id;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        CampaignService service = Campaigns.require(campaigns);
        Campaign c = Campaigns.run(() -> service.pause(id));
        (out != null ? out : System.out).println("Campaign " + c.id() + " is " + c.state().name()
                .toLowerCase(Locale.ROOT) + (c.reason() == null ? "" : " (" + c.reason() + ")"));
        return null;
    }
}
