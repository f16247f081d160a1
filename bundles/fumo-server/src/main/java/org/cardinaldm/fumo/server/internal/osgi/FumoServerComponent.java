package org.cardinaldm.fumo.server.internal.osgi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.CampaignProgress;
import org.cardinaldm.fumo.server.api.CampaignService;
import org.cardinaldm.fumo.server.api.CampaignSpec;
import org.cardinaldm.fumo.server.api.DeviceFilter;
import org.cardinaldm.fumo.server.api.DeviceTags;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.fumo.server.api.spi.CampaignStore;
import org.cardinaldm.fumo.server.internal.CampaignEngine;
import org.cardinaldm.fumo.server.internal.Engines;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Firmware campaigns as a service (PID {@code org.cardinaldm.fumo.server}): the {@link CampaignEngine} on the
 * registered {@link CampaignStore} (dm-server-jdbc's), the DM server's registry, jobs and help desk, and the
 * package catalogue; a thread {@code dm-fumo-server-1} runs a round every {@code round.seconds}.
 */
@Component(service = {CampaignService.class, DeviceTags.class}, configurationPid = FumoServerComponent.PID)
@Designate(ocd = FumoServerComponent.Config.class)
public final class FumoServerComponent implements CampaignService, DeviceTags {
    private static final Logger LOG = LoggerFactory.getLogger(FumoServerComponent.class);
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.fumo.server";

    /** Configuration of firmware campaigns. */
    @ObjectClassDefinition(name = "Cardinal firmware campaigns", description = "FUMO campaigns of the DM server")
    public @interface Config {
        /** @return the public base URL */
        @AttributeDefinition(required = false, description = "Public base URL devices download packages from "
                + "(scheme://host[:port]); the catalogue's path and the file name are appended. Empty: "
                + "https://<this host's name>:<org.osgi.service.http.port.secure, 8443>")
        String package_base_url() default "";

        /** @return the round period */
        @AttributeDefinition(description = "Seconds between two rounds (follow devices, thresholds, start devices)")
        int round_seconds() default 5;

        /** @return the start batch */
        @AttributeDefinition(description = "The most devices one round starts per campaign")
        int start_batch() default 500;

        /** @return MAXDT of the consent question */
        @AttributeDefinition(description = "How long a device shows the consent question (MAXDT), in seconds")
        int consent_max_display_seconds() default 300;

        /** @return the stale claim limit */
        @AttributeDefinition(description = "Seconds after which a device left 'starting' by a stopped node is "
                + "looked at again (its job is found, or it queues again)")
        int stale_claim_seconds() default 300;

        /** @return the most devices of a campaign */
        @AttributeDefinition(description = "The most devices one campaign targets")
        int max_devices() default 100_000;

        /** @return this node's name */
        @AttributeDefinition(required = false, description = "This server node's name, recorded on the devices it "
                + "starts. Empty: the host name")
        String node_name() default "";
    }

    private final CampaignEngine engine;
    private final ScheduledExecutorService executor;
    private volatile NotificationManager notifier;

    /**
     * @param store the campaign store
     * @param devices the registry
     * @param jobs the jobs
     * @param helpDesk the help desk
     * @param catalog the packages
     * @param config the configuration
     */
    @Activate
    public FumoServerComponent(@Reference CampaignStore store, @Reference DeviceManager devices,
            @Reference JobManager jobs, @Reference HelpDesk helpDesk, @Reference PackageCatalog catalog,
            Config config) {
        String host = hostName();
        String base = config.package_base_url().isBlank()
                ? "https://" + host + ":" + System.getProperty("org.osgi.service.http.port.secure", "8443")
                : config.package_base_url().strip();
        if (config.package_base_url().isBlank()) {
            LOG.warn("package.base.url is not set in {}: devices are sent {}/... (set the address devices reach)",
                    PID, base);
        }
        String node = config.node_name().isBlank() ? host : config.node_name().strip();
        this.engine = Engines.engine(store, devices, jobs, helpDesk, catalog, () -> notifier, Clock.systemUTC(),
                node, base, config.start_batch(), config.consent_max_display_seconds(),
                Duration.ofSeconds(config.stale_claim_seconds()), config.max_devices());
        if (config.round_seconds() < 1) {
            throw new IllegalArgumentException("round.seconds must be at least 1 in " + PID);
        }
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dm-fumo-server-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::round, config.round_seconds(), config.round_seconds(), TimeUnit.SECONDS);
        LOG.info("Firmware campaigns on node {}, packages at {}, a round every {} s", node, base,
                config.round_seconds());
    }

    private void round() {
        try {
            engine.advance();
        } catch (RuntimeException e) {
            LOG.warn("Firmware campaign round failed: {}", e.toString());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Stops the rounds. */
    @Deactivate
    void deactivate() {
        // no interrupt: a round interrupted inside embedded H2's file I/O would close the registry's FileChannel
        executor.shutdown();
        try {
            executor.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setNotifier(NotificationManager value) {
        this.notifier = value;
    }

    void unsetNotifier(NotificationManager value) {
        if (this.notifier == value) {
            this.notifier = null;
        }
    }

    @Override
    public Campaign create(CampaignSpec spec) {
        return engine.create(spec);
    }

    @Override
    public List<Campaign> campaigns() {
        return engine.campaigns();
    }

    @Override
    public Optional<Campaign> campaign(long id) {
        return engine.campaign(id);
    }

    @Override
    public Campaign start(long id) {
        return engine.start(id);
    }

    @Override
    public Campaign pause(long id) {
        return engine.pause(id);
    }

    @Override
    public Campaign resume(long id) {
        return engine.resume(id);
    }

    @Override
    public Campaign cancel(long id) {
        return engine.cancel(id);
    }

    @Override
    public CampaignProgress progress(long id) {
        return engine.progress(id);
    }

    @Override
    public List<CampaignDevice> devices(long id, Set<DeviceUpdateState> states, int limit) {
        return engine.devices(id, states, limit);
    }

    @Override
    public List<String> preview(DeviceFilter filter, int limit) {
        return engine.preview(filter, limit);
    }

    @Override
    public int advance() {
        return engine.advance();
    }

    @Override
    public Set<String> tags(String deviceId) {
        return engine.tags(deviceId);
    }

    @Override
    public Set<String> add(String deviceId, Collection<String> tags) {
        return engine.add(deviceId, tags);
    }

    @Override
    public Set<String> remove(String deviceId, Collection<String> tags) {
        return engine.remove(deviceId, tags);
    }

    @Override
    public List<String> devicesWith(String tag) {
        return engine.devicesWith(tag);
    }
}
