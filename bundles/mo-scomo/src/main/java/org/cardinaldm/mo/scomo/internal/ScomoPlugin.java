package org.cardinaldm.mo.scomo.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.PatternSyntaxException;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.api.spi.mo.AsyncResults;
import org.cardinaldm.api.spi.mo.ManagementObject;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.pkg.trust.api.ApplicationSigners;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.Refusal;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
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
 * SCOMO 1.0 at {@code ./SCOMO}: the gateway's installed applications (OSGi bundles) and their management by a
 * DM server: download descriptors, delivered packages, deployed components, each with its operations.
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
 */
@Component(service = ManagementObjectPlugin.class, configurationPid = ScomoPlugin.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
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
    private static final NodeUri ROOT_URI = NodeUri.of(ROOT);
    private static final NodeUri DOWNLOAD = ROOT_URI.child("Download");
    private static final NodeUri INVENTORY = ROOT_URI.child("Inventory");
    private static final NodeUri DELIVERED = INVENTORY.child("Delivered");
    private static final NodeUri DEPLOYED = INVENTORY.child("Deployed");
    private static final Acl ROOT_ACL = Acl.of("Get=*");
    private static final Acl DOWNLOAD_ACL = Acl.of("Add=*&Delete=*&Exec=*&Get=*&Replace=*");
    private static final Acl INVENTORY_ACL = Acl.of("Exec=*&Get=*");
    private static final String OPERATIONS = "Operations";
    private static final List<String> DOWNLOAD_LEAVES = List.of("PkgID", "Name", "PkgURL", "Version", "Description");
    private static final List<String> DOWNLOAD_OPS = List.of("Download", "DownloadInstall", "DownloadInstallInactive");
    private static final List<String> DELIVERED_LEAVES = List.of("PkgID", "Name", "Version", "Description");
    private static final List<String> DELIVERED_OPS = List.of("Install", "InstallInactive", "Remove");
    private static final List<String> DEPLOYED_OPS = List.of("Activate", "Deactivate", "Remove");
    private static final int MAX_VALUE = 256;
    private static final int MAX_DESCRIPTION = 1024;
    private static final int QUEUE = 16;

    private final BundleContext context;
    private final SynchronousBundleListener listener = this::bundleChanged;
    private final AtomicLong generation = new AtomicLong();
    private final EntryStore downloads;
    private final EntryStore delivered;
    private final Path tmpDir;
    private final BundleInstaller installer;
    private final ThreadPoolExecutor worker;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final Map<Long, Integer> deployedStatus = new ConcurrentHashMap<>();
    private volatile Inventory.Filter filter;
    private volatile Config config;
    private volatile Snapshot cache;
    private volatile AsyncResults results;
    private volatile ManifestVerifier verifier;
    private volatile ApplicationSigners signers;
    private volatile DmTree tree;

    private record Snapshot(long generation, Inventory.Filter filter, Inventory inventory) {
    }

    /**
     * @param context the bundle context whose framework's bundles are listed and managed
     * @param config the configuration (defaults when there is none)
     */
    @Activate
    public ScomoPlugin(BundleContext context, Config config) {
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
        this.tmpDir = data.resolve("tmp");
        this.installer = new BundleInstaller(context);
        AtomicInteger threads = new AtomicInteger();
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "dm-scomo-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        context.addBundleListener(listener);
        LOG.info("SCOMO ready at {}: {} download(s), {} delivered package(s); inventory {}", ROOT,
                downloads.size(), delivered.size(), filter);
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
        worker.shutdownNow();
        try {
            context.removeBundleListener(listener);
        } catch (IllegalStateException e) {
            LOG.debug("Bundle context already invalid when removing the listener");
        }
    }

    /** @param r the DM client's result queue */
    @Reference(name = "results", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetResults")
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

    /** @param t the DM tree, to read ./DevInfo/Man and ./DevInfo/Mod */
    @Reference(name = "tree", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetTree")
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
            deployedStatus.remove(event.getBundle().getBundleId());
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

    // ---------------------------------------------------------------- the tree

    /** A resolved node: interior (children) or leaf (value), its ACL and whether it is permanent. */
    private record Resolved(List<String> children, NodeValue value, Acl acl, boolean permanent) {
        static Resolved interior(List<String> children) {
            return new Resolved(children, null, Acl.empty(), false);
        }

        static Resolved leaf(NodeValue value) {
            return new Resolved(null, value, Acl.empty(), false);
        }
    }

    private static List<String> rel(NodeUri uri) {
        List<String> all = uri.segments();
        return all.subList(ROOT_URI.segments().size(), all.size());
    }

    private Resolved resolve(NodeUri uri) {
        if (!uri.startsWith(ROOT_URI)) {
            return null;
        }
        List<String> r = rel(uri);
        if (r.isEmpty()) {
            return new Resolved(List.of("Download", "Inventory"), null, ROOT_ACL, true);
        }
        switch (r.get(0)) {
            case "Download":
                if (r.size() == 1) {
                    return new Resolved(downloads.names(), null, DOWNLOAD_ACL, true);
                }
                return entry(downloads.get(r.get(1)), r.subList(2, r.size()), DOWNLOAD_LEAVES, DOWNLOAD_OPS);
            case "Inventory":
                if (r.size() == 1) {
                    return new Resolved(List.of("Delivered", "Deployed"), null, INVENTORY_ACL, true);
                }
                if (r.get(1).equals("Delivered")) {
                    if (r.size() == 2) {
                        return new Resolved(delivered.names(), null, Acl.empty(), true);
                    }
                    return entry(delivered.get(r.get(2)), r.subList(3, r.size()), DELIVERED_LEAVES, DELIVERED_OPS);
                }
                if (r.get(1).equals("Deployed")) {
                    if (r.size() == 2) {
                        return new Resolved(inventory().names(), null, Acl.empty(), true);
                    }
                    BundleFacts app = inventory().get(r.get(2));
                    return app == null ? null : deployed(app, r.subList(3, r.size()));
                }
                return null;
            default:
                return null;
        }
    }

    /** Download or Delivered entry: its leaves (those set, State, Status), Operations and the operations. */
    private static Resolved entry(Map<String, String> e, List<String> rest, List<String> leaves, List<String> ops) {
        if (e == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String l : leaves) {
            if (e.containsKey(l)) {
                names.add(l);
            }
        }
        if (e.containsKey("State")) {
            names.add("State");
        }
        names.add("Status");
        names.add(OPERATIONS);
        if (rest.isEmpty()) {
            return Resolved.interior(names);
        }
        return operationsOrLeaf(rest, names, ops, leaf -> leaf.equals("State") || leaf.equals("Status")
                ? NodeValue.ofInt(Long.parseLong(e.get(leaf))) : NodeValue.ofString(e.get(leaf)));
    }

    private Resolved deployed(BundleFacts app, List<String> rest) {
        List<String> names = new ArrayList<>(List.of("ID", "Name", "Version"));
        if (app.description() != null && !app.description().isBlank()) {
            names.add("Description");
        }
        names.addAll(List.of("State", "Status", OPERATIONS));
        if (rest.isEmpty()) {
            return Resolved.interior(names);
        }
        return operationsOrLeaf(rest, names, DEPLOYED_OPS, leaf -> {
            switch (leaf) {
                case "ID":
                    return NodeValue.ofString(app.id());
                case "Name":
                    return NodeValue.ofString(app.displayName());
                case "Version":
                    return NodeValue.ofString(app.version());
                case "Description":
                    return NodeValue.ofString(app.description().strip());
                case "State":
                    return NodeValue.ofInt(app.active() ? STATE_ACTIVE : STATE_INACTIVE);
                default:
                    return NodeValue.ofInt(deployedStatus.getOrDefault(app.bundleId(), ScomoCodes.IDLE));
            }
        });
    }

    private static Resolved operationsOrLeaf(List<String> rest, List<String> names, List<String> ops,
            java.util.function.Function<String, NodeValue> value) {
        String first = rest.get(0);
        if (!names.contains(first)) {
            return null;
        }
        if (first.equals(OPERATIONS)) {
            if (rest.size() == 1) {
                return new Resolved(ops, null, Acl.empty(), true);
            }
            return rest.size() == 2 && ops.contains(rest.get(1))
                    ? new Resolved(List.of(), null, Acl.empty(), true) : null;
        }
        return rest.size() == 1 ? Resolved.leaf(value.apply(first)) : null;
    }

    @Override
    public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
        Resolved r = resolve(uri);
        if (r == null) {
            return Optional.empty();
        }
        if (r.children != null) {
            NodeInfo.Builder b = NodeInfo.interior(uri).permanent(r.permanent);
            if (uri.equals(ROOT_URI)) {
                b.type(MO_ID);
            }
            if (!r.acl.isEmpty()) {
                b.acl(r.acl);
            }
            return Optional.of(b.build());
        }
        return Optional.of(NodeInfo.leaf(uri, r.value.format()).type(r.value.type()).size(r.value.size()).build());
    }

    @Override
    public List<String> children(NodeUri uri, MoContext context) throws DmException {
        Resolved r = resolve(uri);
        if (r == null) {
            throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
        }
        if (r.children == null) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is a leaf and has no children");
        }
        return r.children;
    }

    @Override
    public NodeValue get(NodeUri uri, MoContext context) throws DmException {
        Resolved r = resolve(uri);
        if (r == null) {
            throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
        }
        return r.children != null ? NodeValue.ofChildren(r.children) : r.value;
    }

    // ---------------------------------------------------------------- writes (Download entries only)

    @Override
    public void add(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        List<String> r = rel(uri);
        if (r.size() == 2 && r.get(0).equals("Download")) {
            String x = r.get(1);
            if (!EntryStore.validName(x)) {
                throw new DmException(StatusCode.BAD_REQUEST, "A Download node name has 1 to 64 of A-Z a-z 0-9 . _ ~ -");
            }
            synchronized (downloads) {
                if (downloads.contains(x)) {
                    throw new DmException(StatusCode.ALREADY_EXISTS, uri + " exists");
                }
                if (downloads.size() >= Math.max(1, config.max_entries())) {
                    throw new DmException(StatusCode.DEVICE_FULL, "At most " + config.max_entries()
                            + " Download entries; delete one first");
                }
                downloads.put(x, Map.of("Status", String.valueOf(ScomoCodes.IDLE)));
            }
            LOG.debug("SCOMO: {} added {}", context.principal(), uri);
            return;
        }
        if (r.size() == 3 && r.get(0).equals("Download") && DOWNLOAD_LEAVES.contains(r.get(2))) {
            Map<String, String> e = requireDownload(r.get(1), uri);
            if (e.containsKey(r.get(2))) {
                throw new DmException(StatusCode.ALREADY_EXISTS, uri + " exists");
            }
            setLeaf(r.get(1), r.get(2), value);
            return;
        }
        if (resolve(uri) != null) {
            throw new DmException(StatusCode.ALREADY_EXISTS, uri + " exists");
        }
        throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Add is allowed only for ./SCOMO/Download/<X> and "
                + "its leaves " + DOWNLOAD_LEAVES);
    }

    @Override
    public void replace(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        List<String> r = rel(uri);
        if (r.size() == 3 && r.get(0).equals("Download") && DOWNLOAD_LEAVES.contains(r.get(2))) {
            requireDownload(r.get(1), uri);
            setLeaf(r.get(1), r.get(2), value);
            return;
        }
        throw new DmException(resolve(uri) == null ? StatusCode.NOT_FOUND : StatusCode.COMMAND_NOT_ALLOWED,
                "Replace is allowed only on the leaves " + DOWNLOAD_LEAVES + " of ./SCOMO/Download/<X>");
    }

    @Override
    public void delete(NodeUri uri, MoContext context) throws DmException {
        List<String> r = rel(uri);
        if (r.size() == 2 && r.get(0).equals("Download")) {
            requireDownload(r.get(1), uri);
            requireIdle("download/" + r.get(1), uri);
            downloads.remove(r.get(1));
            LOG.debug("SCOMO: {} deleted {}", context.principal(), uri);
            return;
        }
        if (r.size() == 3 && r.get(0).equals("Download") && List.of("Version", "Description").contains(r.get(2))) {
            if (!requireDownload(r.get(1), uri).containsKey(r.get(2))) {
                throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
            }
            requireIdle("download/" + r.get(1), uri);
            downloads.set(r.get(1), r.get(2), null);
            return;
        }
        throw new DmException(resolve(uri) == null ? StatusCode.NOT_FOUND : StatusCode.COMMAND_NOT_ALLOWED,
                "Delete is allowed only on ./SCOMO/Download/<X> (and its Version, Description); use the Remove "
                        + "operation for delivered and deployed components");
    }

    private Map<String, String> requireDownload(String x, NodeUri uri) throws DmException {
        Map<String, String> e = downloads.get(x);
        if (e == null) {
            throw new DmException(StatusCode.NOT_FOUND, "No Download entry " + uri);
        }
        return e;
    }

    private void requireIdle(String key, NodeUri uri) throws DmException {
        if (busy.contains(key)) {
            throw new DmException(StatusCode.RETRY_LATER, "An operation on " + uri + " is under way");
        }
    }

    private void setLeaf(String x, String leaf, NodeValue value) throws DmException {
        if (value.isInterior()) {
            throw new DmException(StatusCode.BAD_REQUEST, leaf + " is a leaf");
        }
        String v = value.isNull() ? "" : value.asString();
        if (leaf.equals("PkgURL")) {
            String why = Downloader.checkUrl(v);
            if (why != null) {
                throw new DmException(v.length() > Downloader.MAX_URL ? StatusCode.REQUEST_ENTITY_TOO_LARGE
                        : StatusCode.BAD_REQUEST, why);
            }
        } else {
            int max = leaf.equals("Description") ? MAX_DESCRIPTION : MAX_VALUE;
            if (v.length() > max) {
                throw new DmException(StatusCode.REQUEST_ENTITY_TOO_LARGE, leaf + " is longer than " + max
                        + " characters");
            }
            if (v.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
                throw new DmException(StatusCode.BAD_REQUEST, leaf + " has control characters");
            }
        }
        requireIdle("download/" + x, DOWNLOAD.child(x));
        downloads.set(x, leaf, v);
    }

    // ---------------------------------------------------------------- Exec

    @Override
    public StatusCode exec(NodeUri uri, NodeValue data, String correlator, MoContext context) throws DmException {
        List<String> r = rel(uri);
        Principal who = context.principal();
        if (r.size() == 4 && r.get(0).equals("Download") && r.get(2).equals(OPERATIONS)
                && DOWNLOAD_OPS.contains(r.get(3))) {
            String x = r.get(1);
            Map<String, String> e = requireDownload(x, uri);
            String url = e.get("PkgURL");
            if (url == null || url.isEmpty()) {
                throw new DmException(StatusCode.INCOMPLETE_COMMAND, DOWNLOAD.child(x) + " has no PkgURL");
            }
            String op = r.get(3);
            return run("download/" + x, uri, who, correlator,
                    () -> downloads.set(x, "Status", String.valueOf(ScomoCodes.DL_PROGRESSING)),
                    () -> download(x, op));
        }
        if (r.size() == 5 && r.get(0).equals("Inventory") && r.get(1).equals("Delivered")
                && r.get(3).equals(OPERATIONS)
                && DELIVERED_OPS.contains(r.get(4))) {
            String x = r.get(2);
            Map<String, String> e = delivered.get(x);
            if (e == null) {
                throw new DmException(StatusCode.NOT_FOUND, "No delivered package " + x);
            }
            String op = r.get(4);
            if (op.equals("Remove")) {
                return run("delivered/" + x, uri, who, correlator,
                        () -> delivered.set(x, "Status", String.valueOf(ScomoCodes.DV_REMOVE_PROGRESSING)),
                        () -> {
                            delivered.remove(x);
                            return Outcome.success(null, e.get("PkgID"));
                        });
            }
            if (!String.valueOf(ScomoCodes.DV_STATE_DELIVERED).equals(e.get("State"))) {
                throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The package " + x + " is already installed");
            }
            return run("delivered/" + x, uri, who, correlator,
                    () -> delivered.set(x, "Status", String.valueOf(ScomoCodes.DV_INSTALL_PROGRESSING)),
                    () -> installDelivered(x, op.equals("Install")));
        }
        if (r.size() == 5 && r.get(0).equals("Inventory") && r.get(1).equals("Deployed")
                && r.get(3).equals(OPERATIONS)
                && DEPLOYED_OPS.contains(r.get(4))) {
            BundleFacts app = inventory().get(r.get(2));
            Bundle b = app == null ? null : this.context.getBundle(app.bundleId());
            if (b == null) {
                throw new DmException(StatusCode.NOT_FOUND, "No deployed component " + r.get(2));
            }
            checkProtection(b, who, uri);
            String target = DEPLOYED.child(r.get(2)).toString();
            String op = r.get(4);
            int progressing = op.equals("Activate") ? ScomoCodes.DP_ACTIVATE_PROGRESSING
                    : op.equals("Deactivate") ? ScomoCodes.DP_DEACTIVATE_PROGRESSING : ScomoCodes.DP_REMOVE_PROGRESSING;
            return run("deployed/" + b.getBundleId(), uri, who, correlator,
                    () -> deployedStatus.put(b.getBundleId(), progressing),
                    () -> deployedOperation(b, op, target, app.id()));
        }
        throw new DmException(resolve(uri) == null ? StatusCode.NOT_FOUND : StatusCode.COMMAND_NOT_ALLOWED,
                uri + " is not a SCOMO operation");
    }

    /**
     * The platform rule: a DM server acts only on components SCOMO installed; nobody acts through SCOMO on the
     * system bundle or on SCOMO's own bundle.
     */
    private void checkProtection(Bundle b, Principal who, NodeUri uri) throws DmException {
        if (b.getBundleId() == 0 || b.getBundleId() == context.getBundle().getBundleId()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The framework and SCOMO itself are not managed "
                    + "through SCOMO");
        }
        if (who.kind() == Principal.Kind.SERVER && !BundleInstaller.installedByScomo(b)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri.parent().parent() + " is a platform component "
                    + "(not installed through SCOMO): a DM server cannot change it");
        }
    }

    /**
     * Starts an operation: on the worker for a server (202, result reported later), in the caller's thread for
     * the local administrator and the system (200 or an error).
     */
    private StatusCode run(String key, NodeUri uri, Principal who, String correlator, Runnable begin,
            Callable<Outcome> work) throws DmException {
        if (!busy.add(key)) {
            throw new DmException(StatusCode.RETRY_LATER, "An operation on " + uri.parent().parent() + " is under way");
        }
        LOG.debug("SCOMO: {} executes {}", who, uri);
        if (who.kind() != Principal.Kind.SERVER) {
            Outcome o;
            try {
                begin.run();
                o = safely(work);
            } finally {
                busy.remove(key);
            }
            log(uri, o);
            if (!o.succeeded()) {
                throw new DmException(StatusCode.COMMAND_FAILED, "SCOMO result " + o.code() + ": " + o.detail());
            }
            return StatusCode.OK;
        }
        try {
            begin.run();
            worker.execute(() -> {
                Outcome o;
                try {
                    o = safely(work);
                } finally {
                    busy.remove(key); // free before the report: the server may act on it at once
                }
                log(uri, o);
                report(who, uri, correlator, o);
            });
        } catch (RejectedExecutionException e) {
            busy.remove(key);
            throw new DmException(StatusCode.RETRY_LATER, "Too many SCOMO operations queued; retry later");
        } catch (RuntimeException e) {
            busy.remove(key);
            throw e;
        }
        return StatusCode.ACCEPTED;
    }

    private static Outcome safely(Callable<Outcome> work) {
        try {
            return work.call();
        } catch (Exception e) {
            LOG.warn("SCOMO operation failed unexpectedly", e);
            return Outcome.failure(ScomoCodes.UNDEFINED, null, "unexpected " + e.getClass().getSimpleName());
        }
    }

    private static void log(NodeUri uri, Outcome o) {
        if (o.succeeded()) {
            LOG.info("SCOMO {}: {} {}", uri, o.code(), o.identifier());
        } else {
            LOG.info("SCOMO {}: {} ({})", uri, o.code(), o.detail());
        }
    }

    private void report(Principal who, NodeUri uri, String correlator, Outcome o) {
        AsyncResults r = results;
        if (r == null) {
            LOG.info("SCOMO: no DM client to report {} of {}; the result is in the Status node only", o.code(), uri);
            return;
        }
        try {
            r.report(AsyncResult.builder(who.id(), ScomoCodes.ALERT_TYPE).format("xml")
                    .mark(o.succeeded() ? "informational" : "critical").source(uri.toString()).target(o.target())
                    .correlator(correlator).data(o.data()).build());
        } catch (RuntimeException e) {
            LOG.warn("SCOMO: the result {} of {} could not be queued for {} ({})", o.code(), uri, who, e.toString());
        }
    }

    // ---------------------------------------------------------------- the work

    private Outcome download(String x, String op) throws IOException {
        Map<String, String> e = downloads.get(x);
        if (e == null) {
            return Outcome.failure(ScomoCodes.UNDEFINED, null, "the Download entry was deleted");
        }
        String pkgId = e.getOrDefault("PkgID", x);
        Files.createDirectories(tmpDir);
        Path tmp = Files.createTempFile(tmpDir, x, ".pkg");
        try {
            Fetched f = fetchVerified(e.get("PkgURL"), tmp, pkgId);
            if (f.failure != null) {
                downloads.set(x, "Status", String.valueOf(ScomoCodes.DL_FAILED));
                return f.failure;
            }
            if (op.equals("Download")) {
                if (!delivered.contains(x) && delivered.size() >= Math.max(1, config.max_entries())) {
                    downloads.set(x, "Status", String.valueOf(ScomoCodes.DL_FAILED));
                    return Outcome.failure(ScomoCodes.DOWNLOAD_OUT_OF_MEMORY, pkgId,
                            "at most " + config.max_entries() + " delivered packages");
                }
                Files.move(tmp, delivered.payload(x), StandardCopyOption.REPLACE_EXISTING);
                Files.write(delivered.manifest(x), f.manifestBytes);
                Map<String, String> d = new LinkedHashMap<>();
                d.put("PkgID", pkgId);
                d.put("Name", e.getOrDefault("Name", f.manifest.manifest().name()));
                d.put("Version", f.manifest.manifest().version().text());
                if (e.containsKey("Description")) {
                    d.put("Description", e.get("Description"));
                }
                d.put("State", String.valueOf(ScomoCodes.DV_STATE_DELIVERED));
                d.put("Status", String.valueOf(ScomoCodes.IDLE));
                delivered.put(x, d);
                // the package moved to Inventory/Delivered/<X>: the descriptor is done (a server may add it again)
                downloads.remove(x);
                return Outcome.success(null, pkgId);
            }
            downloads.set(x, "Status", String.valueOf(ScomoCodes.DL_INSTALL_PROGRESSING));
            Outcome o = install(tmp, f.manifest, op.equals("DownloadInstall"), pkgId);
            if (o.succeeded()) {
                downloads.remove(x); // the component is in Deployed; the same <X> can be added again (an upgrade)
            } else {
                downloads.set(x, "Status", String.valueOf(ScomoCodes.DL_INSTALL_FAILED_WITHOUT_DATA));
            }
            return o;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Outcome installDelivered(String x, boolean start) throws IOException {
        Map<String, String> e = delivered.get(x);
        if (e == null) {
            return Outcome.failure(ScomoCodes.UNDEFINED, null, "the delivered package was removed");
        }
        String pkgId = e.getOrDefault("PkgID", x);
        ManifestVerifier v = verifier;
        String deviceClass = deviceClass();
        Outcome refused = null;
        SignedManifest sm = null;
        if (v == null || deviceClass == null || !Files.exists(delivered.manifest(x))) {
            refused = Outcome.failure(ScomoCodes.VALIDATION_FAILED, pkgId, v == null ? "no manifest verifier"
                    : deviceClass == null ? "the device class is unknown" : "no manifest");
        } else {
            // the package on disk is checked again: it may have changed since it was delivered
            Verification ver = v.verify(Files.readAllBytes(delivered.manifest(x)), delivered.payload(x),
                    trusted(), PackageKind.APPLICATION, deviceClass);
            if (!ver.accepted()) {
                refused = Outcome.failure(code(ver), pkgId, ver.refusal().orElseThrow() + ": " + ver.detail());
            } else {
                sm = ver.manifest().orElseThrow();
            }
        }
        if (refused != null) {
            delivered.set(x, "Status", String.valueOf(ScomoCodes.DV_INSTALL_FAILED_WITH_DATA));
            return refused;
        }
        Outcome o = install(delivered.payload(x), sm, start, pkgId);
        if (o.succeeded()) {
            Files.deleteIfExists(delivered.payload(x));
            delivered.set(x, "State", String.valueOf(ScomoCodes.DV_STATE_INSTALLED));
            delivered.set(x, "Status", String.valueOf(ScomoCodes.IDLE));
        } else {
            delivered.set(x, "Status", String.valueOf(ScomoCodes.DV_INSTALL_FAILED_WITH_DATA));
        }
        return o;
    }

    private Outcome install(Path payload, SignedManifest sm, boolean start, String pkgId) {
        try {
            Bundle b = installer.install(payload, sm.manifest().name(), start);
            String name = inventory().nameOf(b.getBundleId());
            deployedStatus.put(b.getBundleId(), ScomoCodes.IDLE);
            return Outcome.success(name == null ? null : DEPLOYED.child(name).toString(), b.getSymbolicName());
        } catch (BundleInstaller.InstallException e) {
            return Outcome.failure(e.code(), pkgId, e.getMessage());
        }
    }

    private Outcome deployedOperation(Bundle b, String op, String target, String id) {
        long bid = b.getBundleId();
        try {
            switch (op) {
                case "Activate":
                    b.start();
                    break;
                case "Deactivate":
                    b.stop();
                    break;
                default:
                    b.uninstall();
                    deployedStatus.remove(bid);
                    return new Outcome(ScomoCodes.SUCCESS, target, id, "removed");
            }
            deployedStatus.put(bid, ScomoCodes.IDLE);
            return new Outcome(ScomoCodes.SUCCESS, target, id, "done");
        } catch (BundleException | IllegalStateException e) {
            int code = op.equals("Activate") ? ScomoCodes.ACTIVATE_FAILED
                    : op.equals("Deactivate") ? ScomoCodes.DEACTIVATE_FAILED : ScomoCodes.REMOVE_FAILED;
            int status = op.equals("Activate") ? ScomoCodes.DP_ACTIVATE_FAILED
                    : op.equals("Deactivate") ? ScomoCodes.DP_DEACTIVATE_FAILED : ScomoCodes.DP_REMOVE_FAILED;
            deployedStatus.put(bid, status);
            return new Outcome(code, target, id, e.getMessage());
        }
    }

    /** A fetched and verified package, or why not. */
    private static final class Fetched {
        final SignedManifest manifest;
        final byte[] manifestBytes;
        final Outcome failure;

        Fetched(SignedManifest manifest, byte[] manifestBytes, Outcome failure) {
            this.manifest = manifest;
            this.manifestBytes = manifestBytes;
            this.failure = failure;
        }

        static Fetched failed(int code, String pkgId, String detail) {
            return new Fetched(null, null, Outcome.failure(code, pkgId, detail));
        }
    }

    /** Manifest first (verified), then the payload (streamed to file, bounded, verified against it). */
    private Fetched fetchVerified(String url, Path file, String pkgId) {
        ManifestVerifier v = verifier;
        if (v == null) {
            return Fetched.failed(ScomoCodes.VALIDATION_FAILED, pkgId, "no manifest verifier (pkg-trust is missing)");
        }
        String deviceClass = deviceClass();
        if (deviceClass == null) {
            return Fetched.failed(ScomoCodes.VALIDATION_FAILED, pkgId, "the device class is unknown (DevInfo Man/Mod)");
        }
        Config c = config;
        Downloader d;
        try {
            d = new Downloader(new Downloader.Settings(Duration.ofSeconds(Math.max(1, c.download_connect_timeout_seconds())),
                    Duration.ofSeconds(Math.max(1, c.download_timeout_seconds())), c.truststore_path(),
                    c.truststore_type(), c._truststore_password()));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return Fetched.failed(ScomoCodes.DOWNLOAD_FAILED, pkgId, "the trust store cannot be used ("
                    + e.getClass().getSimpleName() + ")");
        }
        byte[] manifest;
        try {
            manifest = d.fetch(Downloader.manifestUrl(url), ManifestVerifier.MAX_MANIFEST_BYTES);
        } catch (Downloader.DownloadException e) {
            if (!e.notFound()) {
                return Fetched.failed(ScomoCodes.DOWNLOAD_FAILED, pkgId, "manifest: " + e.getMessage());
            }
            manifest = new byte[0]; // no sidecar manifest: unsigned
        }
        Verification vm = v.verifyManifest(manifest, trusted(), PackageKind.APPLICATION, deviceClass);
        if (!vm.accepted()) {
            return Fetched.failed(code(vm), pkgId, vm.refusal().orElseThrow() + ": " + vm.detail());
        }
        SignedManifest sm = vm.manifest().orElseThrow();
        long max = config.download_max_bytes();
        if (sm.manifest().payloadLength() > max) {
            return Fetched.failed(ScomoCodes.DOWNLOAD_FAILED, pkgId, "the package has " + sm.manifest().payloadLength()
                    + " bytes, more than the " + max + " allowed");
        }
        try {
            d.fetchTo(url, file, max);
        } catch (Downloader.DownloadException e) {
            return Fetched.failed(ScomoCodes.DOWNLOAD_FAILED, pkgId, e.getMessage());
        }
        Verification vp;
        try (InputStream in = Files.newInputStream(file)) {
            vp = v.verifyPayload(sm, in);
        } catch (IOException e) {
            return Fetched.failed(ScomoCodes.INSTALL_FAILED, pkgId, "the downloaded file cannot be read");
        }
        if (!vp.accepted()) {
            return Fetched.failed(code(vp), pkgId, vp.refusal().orElseThrow() + ": " + vp.detail());
        }
        return new Fetched(sm, manifest, null);
    }

    private TrustedSigners trusted() {
        ApplicationSigners s = signers;
        return s == null ? TrustedSigners.none() : s.signers();
    }

    /** docs/signed-packages.md §4.2: every refusal is 1407, but a payload the device cannot read is 1405. */
    private static int code(Verification v) {
        return v.refusal().orElse(Refusal.MALFORMED) == Refusal.PAYLOAD_UNREADABLE ? ScomoCodes.INSTALL_FAILED
                : ScomoCodes.VALIDATION_FAILED;
    }

    /** @return the configured device class, else {@code <./DevInfo/Man>/<./DevInfo/Mod>} read as the system, else null */
    String deviceClass() {
        String configured = config.device_class();
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        DmTree t = tree;
        if (t == null) {
            return null;
        }
        try {
            TreeAccess system = t.as(Principal.system());
            String man = system.get(NodeUri.of("./DevInfo/Man")).asString().strip();
            String mod = system.get(NodeUri.of("./DevInfo/Mod")).asString().strip();
            return man.isEmpty() || mod.isEmpty() ? null : man + "/" + mod;
        } catch (DmException | RuntimeException e) {
            LOG.debug("SCOMO: cannot read DevInfo Man/Mod ({})", e.toString());
            return null;
        }
    }

    @Override
    public String toString() {
        return "ScomoPlugin[" + ROOT + "]";
    }
}
