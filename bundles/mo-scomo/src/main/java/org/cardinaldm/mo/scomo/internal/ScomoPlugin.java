package org.cardinaldm.mo.scomo.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.PatternSyntaxException;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.ManagementObject;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.mo.MoContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's installed applications as a read-only SCOMO inventory at {@code ./SCOMO}. Each
 * application is an OSGi bundle of the running framework:
 * <pre>
 * ./SCOMO                       node  Type urn:oma:mo:oma-scomo:1.0, ACL Get=*, permanent
 *   Inventory                   node  permanent
 *     Deployed                  node  permanent
 *       &lt;X&gt;                     node  one per listed bundle (name: see {@link Inventory})
 *         ID                    chr   Bundle-SymbolicName (bundle:&lt;id&gt; when it has none)
 *         Name                  chr   Bundle-Name, else the ID
 *         Version               chr   Bundle-Version, e.g. 1.2.0
 *         Description           chr   Bundle-Description (only when the bundle has one)
 *         State                 int   20 when the bundle is ACTIVE, else 10
 * </pre>
 * Every leaf has Type {@code text/plain}.
 *
 * <p>Sources: the node names and the State values (10 inactive, 20 active) follow the SCOMO 1.0
 * inventory (OMA-TS-SCOMO-V1_0, {@code <X>/Inventory/Deployed/<X>}); the project's protocol digest
 * ({@code spec/OMA-DM-digest.md}) has no SCOMO section, so they are taken from that specification's
 * names as the DM server's help desk already reads them ({@code HelpDeskReports}), and the MO
 * identifier {@value #MO_ID} is not in the digest's registry table (§5.1): both are unverified
 * against the OMA text. Node-name rules are the DM 1.2 ones (digest §5.6); 405 for commands a node
 * does not allow is digest §1.11.
 *
 * <p><b>Read-only.</b> Add, Replace, Delete and Exec are refused with 405 (Command not allowed):
 * installing, starting, stopping and removing applications (SCOMO Download / Operations, with the
 * user's agreement) belong to a later release. The root's ACL is {@code Get=*}.
 *
 * <p><b>Live.</b> A {@link SynchronousBundleListener} marks the inventory stale on every bundle
 * event (installed, resolved, started, stopped, updated, uninstalled …); the next read takes a new
 * picture from the {@link BundleContext}. The service stays registered throughout, so the tree
 * engine never unmounts {@code ./SCOMO}. The system bundle (id 0, the framework itself) is never
 * listed: DevDetail describes the platform.
 *
 * <p><b>Configuration</b> PID {@value #PID}: {@code include} and {@code exclude} are regular
 * expressions matched against the whole ID (symbolic name). By default everything is listed, because
 * a help desk cannot diagnose what it cannot see; an OEM lists only its applications with, for
 * example, {@code include = com\.acme\..*}. An invalid expression is reported with a WARN and the
 * inventory then lists nothing (fail closed: never more than the operator asked for). Changes apply
 * in place.
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

    /** Which bundles the inventory lists. */
    @ObjectClassDefinition(name = "Cardinal SCOMO inventory MO",
            description = "Which OSGi bundles ./SCOMO/Inventory/Deployed lists as installed applications")
    public @interface Config {
        /** @return the include pattern */
        @AttributeDefinition(name = "Include", required = false,
                description = "Regular expression a Bundle-SymbolicName must match entirely to be listed; empty = all")
        String include() default "";

        /** @return the exclude pattern */
        @AttributeDefinition(name = "Exclude", required = false,
                description = "Regular expression of Bundle-SymbolicNames never listed; empty = none")
        String exclude() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(ScomoPlugin.class);
    private static final NodeUri ROOT_URI = NodeUri.of(ROOT);
    private static final NodeUri INVENTORY = ROOT_URI.child("Inventory");
    private static final NodeUri DEPLOYED = INVENTORY.child("Deployed");
    private static final List<String> LEAVES = List.of("ID", "Name", "Version", "Description", "State");

    private final BundleContext context;
    private final SynchronousBundleListener listener = this::bundleChanged;
    private final AtomicLong generation = new AtomicLong();
    private volatile Inventory.Filter filter;
    private volatile Snapshot cache;

    private record Snapshot(long generation, Inventory.Filter filter, Inventory inventory) {
    }

    /**
     * @param context the bundle context whose framework's bundles are listed
     * @param config the configuration (defaults when there is none)
     */
    @Activate
    public ScomoPlugin(BundleContext context, Config config) {
        this.context = Objects.requireNonNull(context, "context");
        this.filter = filter(config);
        context.addBundleListener(listener);
        LOG.info("SCOMO inventory ready at {}: {}", DEPLOYED, filter);
    }

    /** @param config the changed configuration, applied without re-registering the service */
    @Modified
    void modified(Config config) {
        filter = filter(config);
        LOG.info("SCOMO inventory reconfigured: {}", filter);
    }

    /** Stops following bundle events. */
    @Deactivate
    void deactivate() {
        try {
            context.removeBundleListener(listener);
        } catch (IllegalStateException e) {
            LOG.debug("Bundle context already invalid when removing the listener");
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

    /** A node below Deployed: the application and, for a leaf, the leaf name. */
    private record Target(BundleFacts app, String leaf) {
    }

    /** @return the application node or leaf at uri, null when uri is not below Deployed/<X>, or absent */
    private Optional<Target> target(NodeUri uri) {
        if (!uri.startsWith(DEPLOYED)) {
            return Optional.empty();
        }
        List<String> all = uri.segments();
        List<String> rest = all.subList(DEPLOYED.segments().size(), all.size());
        if (rest.isEmpty() || rest.size() > 2) {
            return Optional.empty();
        }
        BundleFacts app = inventory().get(rest.get(0));
        if (app == null) {
            return Optional.empty();
        }
        if (rest.size() == 1) {
            return Optional.of(new Target(app, null));
        }
        String leaf = rest.get(1);
        return leaves(app).contains(leaf) ? Optional.of(new Target(app, leaf)) : Optional.empty();
    }

    private static List<String> leaves(BundleFacts app) {
        return app.description() == null || app.description().isBlank()
                ? List.of("ID", "Name", "Version", "State") : LEAVES;
    }

    private static NodeValue value(BundleFacts app, String leaf) {
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
                throw new IllegalArgumentException(leaf);
        }
    }

    @Override
    public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
        if (uri.equals(ROOT_URI)) {
            return Optional.of(NodeInfo.interior(ROOT_URI).type(MO_ID).acl(Acl.of("Get=*")).permanent(true).build());
        }
        if (uri.equals(INVENTORY) || uri.equals(DEPLOYED)) {
            return Optional.of(NodeInfo.interior(uri).permanent(true).build());
        }
        return target(uri).map(t -> {
            if (t.leaf == null) {
                return NodeInfo.interior(uri).build();
            }
            NodeValue v = value(t.app, t.leaf);
            return NodeInfo.leaf(uri, v.format()).type(v.type()).size(v.size()).build();
        });
    }

    @Override
    public List<String> children(NodeUri uri, MoContext context) throws DmException {
        if (uri.equals(ROOT_URI)) {
            return List.of("Inventory");
        }
        if (uri.equals(INVENTORY)) {
            return List.of("Deployed");
        }
        if (uri.equals(DEPLOYED)) {
            return inventory().names();
        }
        Target t = target(uri).orElseThrow(() -> new DmException(StatusCode.NOT_FOUND, "No node " + uri));
        if (t.leaf != null) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is a leaf and has no children");
        }
        return leaves(t.app);
    }

    @Override
    public NodeValue get(NodeUri uri, MoContext context) throws DmException {
        Target t = uri.equals(ROOT_URI) || uri.equals(INVENTORY) || uri.equals(DEPLOYED) ? null
                : target(uri).orElseThrow(() -> new DmException(StatusCode.NOT_FOUND, "No node " + uri));
        if (t == null || t.leaf == null) {
            return NodeValue.ofChildren(children(uri, context));
        }
        return value(t.app, t.leaf);
    }

    @Override
    public void add(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        throw readOnly("Add", uri);
    }

    @Override
    public void replace(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        throw readOnly("Replace", uri);
    }

    @Override
    public void delete(NodeUri uri, MoContext context) throws DmException {
        throw readOnly("Delete", uri);
    }

    @Override
    public StatusCode exec(NodeUri uri, NodeValue data, String correlator, MoContext context) throws DmException {
        throw readOnly("Exec", uri);
    }

    private static DmException readOnly(String command, NodeUri uri) {
        return new DmException(StatusCode.COMMAND_NOT_ALLOWED,
                command + " on " + uri + " is not allowed: the SCOMO inventory is read-only in this release");
    }

    @Override
    public String toString() {
        return "ScomoPlugin[" + ROOT + "]";
    }
}
