package org.cardinaldm.fumo.server.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import org.cardinaldm.fumo.server.api.spi.CampaignStore;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.packages.api.PackageCatalog;

/** Builds a {@link CampaignEngine} (for the DS component, which lives in another package). */
public final class Engines {
    private Engines() {
    }

    /**
     * @param store the campaign store
     * @param devices the registry
     * @param jobs the jobs
     * @param helpDesk the help desk
     * @param catalog the packages
     * @param notifier the package-0 sender, or a supplier of null
     * @param clock the time
     * @param node this node's name
     * @param packageBaseUrl the public base URL of packages
     * @param startBatch the most devices started per round and campaign
     * @param consentSeconds MAXDT of the consent question
     * @param staleClaim when a claimed device is looked at again
     * @param maxDevices the most devices of a campaign
     * @return the engine
     */
    public static CampaignEngine engine(CampaignStore store, DeviceManager devices, JobManager jobs, HelpDesk helpDesk,
            PackageCatalog catalog, Supplier<NotificationManager> notifier, Clock clock, String node,
            String packageBaseUrl, int startBatch, int consentSeconds, Duration staleClaim, int maxDevices) {
        return new CampaignEngine(store, devices, jobs, helpDesk, catalog, notifier, clock,
                new EngineSettings(node, packageBaseUrl, startBatch, consentSeconds, staleClaim, maxDevices));
    }
}
