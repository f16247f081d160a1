package org.cardinaldm.mo.scomo.internal;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.PatternSyntaxException;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.AsyncResults;
import org.cardinaldm.api.spi.mo.ManagementObject;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.pkg.trust.api.ApplicationSigners;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
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
 * SCOMO 1.0 at {@code ./SCOMO}: the gateway's installed applications (OSGi bundles, and Karaf features SCOMO
 * installed from KARs) and their management by a DM server: download descriptors, delivered packages (downloaded
 * or delivered inline), deployed components, each with its operations.
 * <pre>
 * ./SCOMO                              node  Type urn:oma:mo:oma-scomo:1.0, ACL Get=*, permanent
 *   Download                           node  ACL Add=*&amp;Delete=*&amp;Exec=*&amp;Get=*&amp;Replace=*, permanent
 *     &lt;X&gt;                              node  added by a server; PkgID, Name, PkgURL, Version?, Description?, Status
 *       Operations/{Download, DownloadInstall, DownloadInstallInactive}   node, Exec
 *   Inventory                          node  ACL Exec=*&amp;Get=*, permanent
 *     Delivered/&lt;X&gt;                    PkgID, Name, Version, Description?, State, Status
 *       Operations/{Install, InstallInactive, Remove}
 *     Deployed/&lt;X&gt;                     ID, Name, Version, Description?, State, Status (one per listed bundle)
 *       Operations/{Activate, Deactivate, Remove}
 * </pre>
 * Every package is verified (signed manifest, {@code docs/signed-packages.md}) before anything is installed.
 * An Exec from a DM server answers 202 and runs on one worker thread; its outcome goes to {@link AsyncResults}
 * as a Generic Alert of type {@value ScomoCodes#ALERT_TYPE}. An Exec of the local administrator runs to its
 * end and answers 200 or an error. A server manages only the components SCOMO installed (see
 * {@link BundleInstaller}); the platform's own bundles are listed but refused (405). The README of the module
 * has the whole contract (node table, States, result codes, configuration) and its sources.
 * <p>
 * This class is the DS component: configuration, services, the inventory of bundles. It hands the tree to
 * {@link TreeView} (reads), {@link DownloadWriter} (Add, Replace, Delete) and {@link ExecDispatcher} (Exec),
 * which starts operations through {@link OperationRunner}; {@link PackageOperations} does their work and
 * {@link PackageTrust} verifies the packages.
 */
// The DM client's result queue and the tree are looked up when an operation needs them, never bound at
// activation: the tree mounts this plugin while it starts, and the queue's provider needs the tree, so binding
// either here closes a cycle at startup (SCR: "ServiceFactory.getService() resulted in a cycle").
@Component(service = ManagementObjectPlugin.class, configurationPid = ScomoPlugin.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, reference = {
            @Reference(name = "results", service = AsyncResults.class, cardinality = ReferenceCardinality.OPTIONAL,
                    policy = ReferencePolicy.DYNAMIC),
            @Reference(name = "tree", service = DmTree.class, cardinality = ReferenceCardinality.OPTIONAL,
                    policy = ReferencePolicy.DYNAMIC)})
@ManagementObject(root = ScomoPlugin.ROOT, id = ScomoPlugin.MO_ID)
@Designate(ocd = ScomoPlugin.Config.class)
public final class ScomoPlugin implements ManagementObjectPlugin {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.mo.scomo";
    /** The subtree root. */
    public static final String ROOT = "./SCOMO";
    /** The MO identifier of SCOMO 1.0. */
    public static final String MO_ID = "urn:oma:mo:oma-scomo:1.0";
    /** SCOMO Deployed State of a component that is not running. */
    public static final int STATE_INACTIVE = 10;
    /** SCOMO Deployed State of a running component. */
    public static final int STATE_ACTIVE = 20;

    /** Which bundles the inventory lists, and how packages are fetched. */
    @ObjectClassDefinition(name = "Cardinal SCOMO MO",
            description = "./SCOMO: which OSGi bundles are listed, and how application packages are downloaded")
    public @interface Config {
        /** @return the include pattern */
        @AttributeDefinition(name = "Include", required = false,
                description = "Regular expression a Bundle-SymbolicName must match entirely to be listed; empty = all")
        String include() default "";

        /** @return the exclude pattern */
        @AttributeDefinition(name = "Exclude", required = false,
                description = "Regular expression of Bundle-SymbolicNames never listed; empty = none")
        String exclude() default "";

        /** @return the largest package accepted */
        @AttributeDefinition(name = "Largest package (bytes)", required = false)
        long download_max_bytes() default 64L * 1024 * 1024;

        /** @return the connect time-out */
        @AttributeDefinition(name = "Connect time-out (seconds)", required = false)
        int download_connect_timeout_seconds() default 20;

        /** @return the time-out of one request */
        @AttributeDefinition(name = "Request time-out (seconds)", required = false)
        int download_timeout_seconds() default 600;

        /** @return the most Download and the most Delivered entries */
        @AttributeDefinition(name = "Most entries", required = false,
                description = "Most entries under Download, and most under Inventory/Delivered")
        int max_entries() default 32;

        /** @return the device class, or empty for DevInfo Man/Mod */
        @AttributeDefinition(name = "Device class", required = false,
                description = "<Man>/<Mod> matched against a package's signed device classes; empty = ./DevInfo/Man + '/' + ./DevInfo/Mod")
        String device_class() default "";

        /** @return the trust store for https downloads */
        @AttributeDefinition(name = "Trust store", required = false,
                description = "Trust store for https downloads (set the device HTTP client's truststore.* values here); empty = the JVM's")
        String truststore_path() default "";

        /** @return its type */
        @AttributeDefinition(name = "Trust store type", required = false)
        String truststore_type() default "PKCS12";

        /** @return its password (key .truststore.password) */
        @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
        String _truststore_password() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(ScomoPlugin.class);

    private final BundleContext context;
    private final SynchronousBundleListener listener = this::bundleChanged;
    private final AtomicLong generation = new AtomicLong();
    private final EntryStore downloads;
    private final EntryStore delivered;
    private final OperationRunner runner;
    private final PackageOperations operations;
    private final TreeView view;
    private final DownloadWriter writer;
    private final DeliveredWriter deliveredWriter;
    private final EntryStore features;
    private volatile FeatureDeployer featureDeployer;
    private final ExecDispatcher dispatcher;
    private volatile Inventory.Filter filter;
    private volatile Config config;
    private volatile Snapshot cache;
    private volatile AsyncResults results;
    private volatile ManifestVerifier verifier;
    private volatile ApplicationSigners signers;
    private volatile DmTree tree;
    /** Where the looked-up references come from; null outside OSGi. */
    private final ComponentContext component;

    private record Snapshot(long generation, Inventory.Filter filter, Inventory inventory) {
    }

    /**
     * @param context the bundle context whose framework's bundles are listed and managed
     * @param config the configuration (defaults when there is none)
     */
    @Activate
    public ScomoPlugin(BundleContext context, ComponentContext component, Config config) {
        this(context, config, component);
    }

    /**
     * For tests and plain Java: the result queue and the tree come only from {@link #setResults} and
     * {@link #setTree}.
     *
     * @param context the bundle context whose framework's bundles are listed and managed
     * @param config the configuration (defaults when there is none)
     */
    public ScomoPlugin(BundleContext context, Config config) {
        this(context, config, null);
    }

    private ScomoPlugin(BundleContext context, Config config, ComponentContext component) {
        this.component = component;
        this.context = Objects.requireNonNull(context, "context");
        this.config = config;
        this.filter = filter(config);
        Path data = dataDir(context);
        this.downloads = new EntryStore(data.resolve("download"),
                Map.of(ScomoCodes.DL_PROGRESSING, ScomoCodes.DL_FAILED,
                        ScomoCodes.DL_INSTALL_PROGRESSING, ScomoCodes.DL_INSTALL_FAILED_WITHOUT_DATA));
        this.delivered = new EntryStore(data.resolve("delivered"),
                Map.of(ScomoCodes.DV_INSTALL_PROGRESSING, ScomoCodes.DV_INSTALL_FAILED_WITH_DATA,
                        ScomoCodes.DV_REMOVE_PROGRESSING, ScomoCodes.DV_REMOVE_FAILED));
        EntryStore deployedStatus = new EntryStore(data.resolve("deployed"),
                Map.of(ScomoCodes.DP_ACTIVATE_PROGRESSING, ScomoCodes.DP_ACTIVATE_FAILED,
                        ScomoCodes.DP_DEACTIVATE_PROGRESSING, ScomoCodes.DP_DEACTIVATE_FAILED,
                        ScomoCodes.DP_REMOVE_PROGRESSING, ScomoCodes.DP_REMOVE_FAILED));
        pruneVanishedBundles(context, deployedStatus);
        this.features = new EntryStore(data.resolve("features"),
                Map.of(ScomoCodes.DP_ACTIVATE_PROGRESSING, ScomoCodes.DP_ACTIVATE_FAILED,
                        ScomoCodes.DP_DEACTIVATE_PROGRESSING, ScomoCodes.DP_DEACTIVATE_FAILED,
                        ScomoCodes.DP_REMOVE_PROGRESSING, ScomoCodes.DP_REMOVE_FAILED));
        KarInstaller kars = new KarInstaller(data.resolve("kar"), features, () -> featureDeployer);
        this.runner = new OperationRunner(() -> results != null ? results : locate("results", AsyncResults.class));
        PackageTrust trust = new PackageTrust(() -> this.config, () -> verifier, () -> signers,
                () -> tree != null ? tree : locate("tree", DmTree.class));
        this.operations = new PackageOperations(downloads, delivered, data.resolve("tmp"), new BundleInstaller(context),
                trust, () -> this.config.max_entries(), this::inventory, deployedStatus, kars,
                () -> this.config.download_max_bytes());
        this.view = new TreeView(downloads, delivered, this::inventory, operations::deployedStatus, features,
                kars::started);
        this.writer = new DownloadWriter(downloads, view, runner, () -> this.config.max_entries());
        this.deliveredWriter = new DeliveredWriter(delivered, view, runner, () -> this.config.max_entries(),
                () -> this.config.download_max_bytes());
        this.dispatcher = new ExecDispatcher(context, downloads, delivered, this::inventory, view, runner, operations,
                features);
        context.addBundleListener(listener);
        LOG.info("SCOMO ready at {}: {} download(s), {} delivered package(s), {} feature(s) from KARs; inventory {}",
                ROOT, downloads.size(), delivered.size(), features.size(), filter);
    }

    /** Drops the kept Status of bundles uninstalled while SCOMO was not running. */
    private static void pruneVanishedBundles(BundleContext context, EntryStore deployedStatus) {
        for (String key : deployedStatus.names()) {
            if (key.startsWith("bundle-")) {
                try {
                    if (context.getBundle(Long.parseLong(key.substring("bundle-".length()))) == null) {
                        deployedStatus.remove(key);
                    }
                } catch (NumberFormatException e) {
                    deployedStatus.remove(key);
                }
            }
        }
    }

    private static Path dataDir(BundleContext context) {
        File f = context.getDataFile("scomo");
        Path p = f != null ? f.toPath() : Path.of(System.getProperty("java.io.tmpdir"), "cardinal-scomo");
        if (f == null) {
            LOG.warn("SCOMO: the framework gives no data area; keeping entries in {}", p);
        }
        return p;
    }

    /** @param config the changed configuration, applied without re-registering the service */
    @Modified
    void modified(Config config) {
        this.config = config;
        filter = filter(config);
        LOG.info("SCOMO reconfigured: inventory {}", filter);
    }

    /** Stops following bundle events and stops the worker (an operation under way is interrupted). */
    @Deactivate
    void deactivate() {
        runner.shutdown();
        try {
            context.removeBundleListener(listener);
        } catch (IllegalStateException e) {
            LOG.debug("Bundle context already invalid when removing the listener");
        }
    }

    private <T> T locate(String reference, Class<T> type) {
        return component == null ? null : type.cast(component.locateService(reference));
    }

    /** @param r a result queue that takes precedence over the looked-up one (tests) */
    void setResults(AsyncResults r) {
        this.results = r;
    }

    void unsetResults(AsyncResults r) {
        if (results == r) {
            results = null;
        }
    }

    /** @param v the manifest verifier */
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

    /** @param s the trusted application signers */
    @Reference(name = "signers", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetSigners")
    void setSigners(ApplicationSigners s) {
        this.signers = s;
    }

    void unsetSigners(ApplicationSigners s) {
        if (signers == s) {
            signers = null;
        }
    }

    /** @param d Karaf's features service (through {@link KarafFeatureDeployer}); without it KARs answer 1413 */
    @Reference(name = "features", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetFeatures")
    void setFeatures(FeatureDeployer d) {
        this.featureDeployer = d;
    }

    void unsetFeatures(FeatureDeployer d) {
        if (featureDeployer == d) {
            featureDeployer = null;
        }
    }

    /** @param t a DM tree that takes precedence over the looked-up one (tests), to read ./DevInfo/Man and Mod */
    void setTree(DmTree t) {
        this.tree = t;
    }

    void unsetTree(DmTree t) {
        if (tree == t) {
            tree = null;
        }
    }

    private static Inventory.Filter filter(Config config) {
        try {
            return Inventory.Filter.of(config.include(), config.exclude());
        } catch (PatternSyntaxException e) {
            LOG.warn("SCOMO inventory: include/exclude is not a regular expression ({}); listing nothing",
                    e.getDescription());
            return Inventory.Filter.NONE;
        }
    }

    private void bundleChanged(BundleEvent event) {
        generation.incrementAndGet();
        if (event.getType() == BundleEvent.UNINSTALLED) {
            operations.forget(event.getBundle().getBundleId());
        }
        LOG.debug("Bundle {} event {}: SCOMO inventory is stale", event.getBundle().getBundleId(), event.getType());
    }

    /** @return the current inventory, taken again after any bundle event or configuration change */
    Inventory inventory() {
        long g = generation.get();
        Inventory.Filter f = filter;
        Snapshot s = cache;
        if (s != null && s.generation == g && s.filter == f) {
            return s.inventory;
        }
        Inventory inventory = Inventory.of(facts(), f);
        cache = new Snapshot(g, f, inventory);
        return inventory;
    }

    private List<BundleFacts> facts() {
        List<BundleFacts> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() == 0 || b.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            Dictionary<String, String> headers = b.getHeaders();
            out.add(new BundleFacts(b.getBundleId(), b.getSymbolicName(), headers.get(Constants.BUNDLE_NAME),
                    b.getVersion().toString(), headers.get(Constants.BUNDLE_DESCRIPTION),
                    b.getState() == Bundle.ACTIVE));
        }
        return out;
    }

    // ---------------------------------------------------------------- the tree (TreeView), writes (DownloadWriter)

    @Override
    public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
        return view.describe(uri);
    }

    @Override
    public List<String> children(NodeUri uri, MoContext context) throws DmException {
        return view.children(uri);
    }

    @Override
    public NodeValue get(NodeUri uri, MoContext context) throws DmException {
        return view.get(uri);
    }

    @Override
    public void add(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        if (DeliveredWriter.handles(uri)) {
            deliveredWriter.add(uri, value, context);
        } else {
            writer.add(uri, value, context);
        }
    }

    @Override
    public void replace(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        if (DeliveredWriter.handles(uri)) {
            deliveredWriter.replace(uri, value);
        } else {
            writer.replace(uri, value);
        }
    }

    @Override
    public void delete(NodeUri uri, MoContext context) throws DmException {
        if (DeliveredWriter.handles(uri)) {
            deliveredWriter.delete(uri, context);
        } else {
            writer.delete(uri, context);
        }
    }

    // ---------------------------------------------------------------- Exec (ExecDispatcher, OperationRunner)

    @Override
    public StatusCode exec(NodeUri uri, NodeValue data, String correlator, MoContext context) throws DmException {
        return dispatcher.exec(uri, correlator, context.principal());
    }

    @Override
    public String toString() {
        return "ScomoPlugin[" + ROOT + "]";
    }
}
