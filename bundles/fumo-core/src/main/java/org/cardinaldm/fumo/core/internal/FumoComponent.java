package org.cardinaldm.fumo.core.internal;

import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.spi.host.DeviceClass;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.cardinaldm.api.spi.mo.AsyncResults;
import org.cardinaldm.api.spi.mo.ManagementObject;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.fumo.api.FumoAlerts;
import org.cardinaldm.fumo.api.FumoHistoryEntry;
import org.cardinaldm.fumo.api.FumoService;
import org.cardinaldm.fumo.api.FumoStatus;
import org.cardinaldm.fumo.api.spi.FumoAuthorizer;
import org.cardinaldm.fumo.api.spi.UpdateAgent;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DS component of FUMO: publishes the FUMO 1.0 MO at {@code dm.mo.root} (default {@code ./FUMO}, one
 * instance per {@link UpdateAgent}, named by its {@value UpdateAgent#COMPONENT}), its DDF, and the
 * {@link FumoService}. It wires configuration and services into {@link FumoEngine}; the work is there and in
 * {@link UpdateRun}. The DM client's result queue and the tree are looked up when used, never bound at
 * activation: the tree mounts this plugin while it starts and the queue's provider needs the tree (the cycle
 * mo-scomo met).
 */
@Component(service = {ManagementObjectPlugin.class, MoDescription.class, FumoService.class},
        configurationPid = FumoComponent.PID, reference = {
            @Reference(name = "results", service = AsyncResults.class, cardinality = ReferenceCardinality.OPTIONAL,
                    policy = ReferencePolicy.DYNAMIC),
            @Reference(name = "tree", service = DmTree.class, cardinality = ReferenceCardinality.OPTIONAL,
                    policy = ReferencePolicy.DYNAMIC)})
@ManagementObject(root = "./FUMO", id = FumoAlerts.MO_ID)
@Designate(ocd = FumoComponent.Config.class)
public final class FumoComponent implements ManagementObjectPlugin, MoDescription, FumoService {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.fumo.core";

    /** FUMO's configuration. */
    @ObjectClassDefinition(name = "Cardinal FUMO", description = "Firmware update (FUMO 1.0): where the MO is, "
            + "how packages are downloaded, when the user is asked")
    public @interface Config {
        /** @return the MO root (also the service property the tree mounts it at) */
        @AttributeDefinition(name = "Root", description = "Where the FUMO instances appear, e.g. ./FUMO")
        String dm_mo_root() default "./FUMO";

        /** @return the largest package */
        @AttributeDefinition(name = "Largest package (bytes)", min = "1")
        long download_max_bytes() default 256L * 1024 * 1024;

        /** @return the connect time-out */
        @AttributeDefinition(name = "Connect time-out (seconds)", min = "1")
        int download_connect_timeout_seconds() default 20;

        /** @return the read time-out */
        @AttributeDefinition(name = "Read time-out (seconds)", min = "1",
                description = "Longest silence of the download server; after it the result is 407")
        int download_read_timeout_seconds() default 60;

        /** @return resumptions per download */
        @AttributeDefinition(name = "Resumptions", min = "0",
                description = "How often one download resumes after a cut before it fails with 503")
        int download_retries() default 3;

        /** @return the device class */
        @AttributeDefinition(name = "Device class", required = false,
                description = "<Man>/<Mod> matched against the manifest; empty = ./DevInfo/Man + '/' + ./DevInfo/Mod")
        String device_class() default "";

        /** @return whether the user is always asked */
        @AttributeDefinition(name = "Always ask the user",
                description = "Ask the user before every update (else only when the server sets Ext/UserConsent)")
        boolean consent_required() default false;

        /** @return the consent time-out */
        @AttributeDefinition(name = "Consent time-out (seconds)", min = "1")
        int consent_timeout_seconds() default 300;

        /** @return the download user */
        @AttributeDefinition(name = "Download user", required = false,
                description = "HTTP Basic user for download servers that ask for one")
        String download_username() default "";

        /** @return its password (key .download.password) */
        @AttributeDefinition(name = "Download password", type = AttributeType.PASSWORD, required = false)
        String _download_password() default "";

        /** @return whether credentials may go over http */
        @AttributeDefinition(name = "Credentials over http", description = "Send the download credentials over "
                + "plain http too (off: https only)")
        boolean download_auth_over_http() default false;

        /** @return the trust store */
        @AttributeDefinition(name = "Trust store", required = false,
                description = "Trust store for https downloads; empty = the JVM's")
        String truststore_path() default "";

        /** @return its type */
        @AttributeDefinition(name = "Trust store type", required = false)
        String truststore_type() default "PKCS12";

        /** @return its password (key .truststore.password) */
        @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
        String _truststore_password() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(FumoComponent.class);

    private final ComponentContext component;
    private final Settings settings;
    private final ExecutorService worker;
    private final ExecutorService ui;
    private final FumoEngine engine;
    private final FumoTree tree;
    private final Consent consent;
    private final List<Ranked<UserInteraction>> uis = new CopyOnWriteArrayList<>();
    private volatile FumoAuthorizer authorizer;
    private volatile ManifestVerifier verifier;

    private record Ranked<T>(T service, int ranking) {
    }

    /**
     * @param context the bundle context (its data area keeps FUMO's records)
     * @param component the component context (the looked-up references)
     * @param config the configuration
     */
    @Activate
    public FumoComponent(BundleContext context, ComponentContext component, Config config) {
        this.component = component;
        this.settings = settings(config);
        this.worker = Executors.newSingleThreadExecutor(threads("dm-fumo-"));
        this.ui = Executors.newCachedThreadPool(threads("dm-fumo-ui-"));
        this.consent = new Consent(this::currentUi, ui);
        File f = context.getDataFile("fumo");
        Path data = f != null ? f.toPath() : Path.of(System.getProperty("java.io.tmpdir"), "cardinal-fumo");
        this.engine = new FumoEngine(data, () -> settings, new Env(), worker, Clock.systemUTC());
        this.tree = new FumoTree(engine);
        LOG.info("FUMO ready at {} ({})", settings.root(), settings);
    }

    static Settings settings(Config c) {
        String root = c.dm_mo_root() == null || c.dm_mo_root().isBlank() ? "./FUMO" : c.dm_mo_root().strip();
        if (!NodeUri.isValid(root) || NodeUri.of(root).isRoot()) {
            LOG.warn("FUMO: dm.mo.root '{}' is not a node URI; using ./FUMO", root);
            root = "./FUMO";
        }
        return new Settings(root, Math.max(1, c.download_max_bytes()),
                Duration.ofSeconds(Math.max(1, c.download_connect_timeout_seconds())),
                Duration.ofSeconds(Math.max(1, c.download_read_timeout_seconds())), Math.max(0, c.download_retries()),
                c.device_class() == null ? "" : c.device_class().strip(), c.consent_required(),
                Duration.ofSeconds(Math.max(1, c.consent_timeout_seconds())), nz(c.download_username()),
                nz(c._download_password()), c.download_auth_over_http(), nz(c.truststore_path()),
                c.truststore_type() == null || c.truststore_type().isBlank() ? "PKCS12" : c.truststore_type(),
                nz(c._truststore_password()));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops the worker; an operation under way stops and resumes (or is rolled back) at the next start. */
    @Deactivate
    void deactivate() {
        worker.shutdownNow();
        ui.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------ references

    /** @param agent an update agent @param props its properties ({@value UpdateAgent#COMPONENT}) */
    @Reference(name = "agents", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeAgent")
    void addAgent(UpdateAgent agent, Map<String, Object> props) {
        engine.addAgent(text(props.get(UpdateAgent.COMPONENT)), agent);
    }

    void removeAgent(UpdateAgent agent, Map<String, Object> props) {
        engine.removeAgent(text(props.get(UpdateAgent.COMPONENT)), agent);
    }

    /** @param a the authority */
    @Reference(name = "authorizer", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetAuthorizer")
    void setAuthorizer(FumoAuthorizer a) {
        this.authorizer = a;
        engine.authorizerAvailable();
    }

    void unsetAuthorizer(FumoAuthorizer a) {
        if (authorizer == a) {
            authorizer = null;
        }
    }

    /** @param v pkg-trust's verifier */
    @Reference(name = "verifier", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetVerifier")
    void setVerifier(ManifestVerifier v) {
        this.verifier = v;
    }

    void unsetVerifier(ManifestVerifier v) {
        if (verifier == v) {
            verifier = null;
        }
    }

    /** @param u a user-interaction service @param props its properties ({@code service.ranking}) */
    @Reference(name = "ui", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeUi")
    void addUi(UserInteraction u, Map<String, Object> props) {
        Object r = props.get(Constants.SERVICE_RANKING);
        uis.add(new Ranked<>(u, r instanceof Integer i ? i : 0));
    }

    void removeUi(UserInteraction u) {
        uis.removeIf(r -> r.service() == u);
    }

    private UserInteraction currentUi() {
        Ranked<UserInteraction> best = null;
        for (Ranked<UserInteraction> r : uis) {
            if (best == null || r.ranking() > best.ranking()) {
                best = r;
            }
        }
        return best == null ? null : best.service();
    }

    private static String text(Object o) {
        return o instanceof String s ? s : o instanceof String[] a && a.length == 1 ? a[0] : null;
    }

    private <T> T locate(String name, Class<T> type) {
        try {
            return type.cast(component.locateService(name));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The services, looked up on each use. */
    private final class Env implements Environment {
        @Override
        public FumoAuthorizer authorizer() {
            return authorizer;
        }

        @Override
        public ManifestVerifier verifier() {
            return verifier;
        }

        @Override
        public AsyncResults results() {
            return locate("results", AsyncResults.class);
        }

        @Override
        public String deviceClass() {
            if (!settings.deviceClass().isEmpty()) {
                return settings.deviceClass();
            }
            DmTree t = locate("tree", DmTree.class);
            if (t == null) {
                return null;
            }
            String found = DeviceClass.of(t).orElse(null);
            if (found == null) {
                LOG.debug("FUMO: DevInfo Man/Mod cannot be read or is empty");
            }
            return found;
        }

        @Override
        public Consent consent() {
            return consent;
        }
    }

    // ------------------------------------------------------------------------------------------ the MO

    @Override
    public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
        return tree.describe(uri);
    }

    @Override
    public List<String> children(NodeUri uri, MoContext context) throws DmException {
        return tree.children(uri);
    }

    @Override
    public NodeValue get(NodeUri uri, MoContext context) throws DmException {
        return tree.get(uri);
    }

    @Override
    public void replace(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        tree.replace(uri, value);
    }

    @Override
    public StatusCode exec(NodeUri uri, NodeValue data, String correlator, MoContext context) throws DmException {
        engine.deliverAll();
        return tree.exec(uri, correlator, context == null ? null : context.principal());
    }

    @Override
    public NodeDescription root() {
        return FumoTree.description(NodeUri.of(settings.root()).name());
    }

    // ------------------------------------------------------------------------------------------ FumoService

    @Override
    public List<FumoStatus> instances() {
        return engine.instances();
    }

    @Override
    public List<FumoHistoryEntry> history(int max) {
        return engine.history(max);
    }

    @Override
    public void requestUpdate(String instance, String serverId, boolean byUser) {
        engine.requestUpdate(instance, serverId, byUser);
    }

    @Override
    public String toString() {
        return "FumoComponent[" + settings.root() + "]";
    }
}
