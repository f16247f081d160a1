package org.cardinaldm.server.shell.internal;

import org.cardinaldm.server.api.audit.AuditLog;
import java.io.PrintStream;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignService;

/**
 * What {@code dms:fumo-campaign-start|pause|resume|cancel <id>} share: the campaign service, the id, and the
 * line that says the campaign's new state (and why, when the engine gives a reason).
 */
abstract class CampaignActionCommand implements Action {
    @Reference(optional = true)
    CampaignService campaigns;

    @Argument(index = 0, name = "id", description = "The campaign id", required = true)
    long id;

    PrintStream out;

    /**
     * @param service the campaign service
     * @param campaign the campaign id
     * @return the campaign after the action (the service's IllegalArgumentException / IllegalStateException
     *         become a command error)
     */
    abstract Campaign act(CampaignService service, long campaign);

    /** The audit log, when the server has one. */
    @Reference(optional = true)
    AuditLog audit;

    @Override
    public Object execute() throws Exception {
        return ShellAudit.run(audit, this, null, String.valueOf(id), this::perform);
    }

    /**
     * The command's work.
     *
     * @return null
     * @throws Exception a {@link org.apache.karaf.shell.support.CommandException} for a user error
     */
    Object perform() throws Exception {
        CampaignService service = Campaigns.require(campaigns);
        Campaign c = Campaigns.run(() -> act(service, id));
        (out != null ? out : System.out).println("Campaign " + c.id() + " is " + c.state().name()
                .toLowerCase(Locale.ROOT) + (c.reason() == null ? "" : " (" + c.reason() + ")"));
        return null;
    }
}
