package org.cardinaldm.server.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignService;

/** {@code dms:fumo-campaign-start <id>}. */
@Service
@Command(scope = "dms", name = "fumo-campaign-start", description = "Start a firmware campaign")
public class FumoCampaignStartCommand extends CampaignActionCommand {
    @Override
    Campaign act(CampaignService service, long campaign) {
        return service.start(campaign);
    }
}
