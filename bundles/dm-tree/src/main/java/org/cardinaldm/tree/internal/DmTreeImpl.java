package org.cardinaldm.tree.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.SubtreeNode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.TreeSerialization;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.store.TreeStore;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
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
 * The DM tree service: the DM 1.2 tree engine ({@link TreeEngine}) over the one {@link TreeStore},
 * with the MO plugins and MO descriptions of the service registry mounted by their
 * {@code dm.mo.root} property (whiteboard; dynamic and greedy, so that installing or removing a
 * plugin bundle adds or removes its subtree at once).
 *
 * <p>A second plugin (or description) for a root that is taken is ignored with a warning and takes
 * over when the first one goes away. Configuration PID {@code org.cardinaldm.tree}; changes apply in
 * place.
 *
 * <p>The same component is the {@link TreeSerialization} service of this tree: whole subtrees
 * ({@code ?list=}, TNDS Add and Replace) through the views it hands out.
 */
@Component(service = {DmTree.class, TreeSerialization.class}, configurationPid = DmTreeImpl.PID)
@Designate(ocd = DmTreeImpl.Config.class)
public final class DmTreeImpl implements DmTree, TreeSerialization {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.tree";

    private static final Logger LOG = LoggerFactory.getLogger(DmTreeImpl.class);

    /** The engine's configuration. */
    @ObjectClassDefinition(name = "Cardinal DM tree",
            description = "Rules of the device's DM tree that DM 1.2 leaves to the device")
    public @interface Config {
        /** @return the local administrator's rights */
        @AttributeDefinition(name = "Local administrator rights",
                description = "Commands the local administrator (Karaf shell, local REST) may run anywhere in the "
                        + "tree, whatever the ACLs say: any of Add, Delete, Exec, Get, Replace, or * for all. "
                        + "Write-only nodes (MO access types) stay unreadable.")
        String[] local_admin_rights() default {"Add", "Delete", "Exec", "Get", "Replace"};

        /** @return the root ACL */
        @AttributeDefinition(name = "Root ACL",
                description = "ACL of the root node while it has none of its own (DM 1.2 grammar); it must have a value")
        String root_acl() default Settings.DEFAULT_ROOT_ACL;

        /** @return the fallback MaxDepth */
        @AttributeDefinition(name = "URI MaxDepth", min = "0", max = "65535",
                description = "Most segments in a URI when ./DevDetail/URI/MaxDepth is absent; 0 = unlimited")
        int uri_max_depth() default 16;

        /** @return the fallback MaxTotLen */
        @AttributeDefinition(name = "URI MaxTotLen", min = "0", max = "65535",
                description = "Most characters in a URI when ./DevDetail/URI/MaxTotLen is absent; 0 = unlimited")
        int uri_max_tot_len() default 1024;

        /** @return the fallback MaxSegLen */
        @AttributeDefinition(name = "URI MaxSegLen", min = "0", max = "65535",
                description = "Most characters in a URI segment when ./DevDetail/URI/MaxSegLen is absent; 0 = unlimited")
        int uri_max_seg_len() default 128;

        /** @return whether ./Inbox exists */
        @AttributeDefinition(name = "Inbox", description = "Offer ./Inbox (Add only; placement by MO identifier)")
        boolean inbox_enabled() default true;
    }

    private final Mounts mounts = new Mounts();
    private final Map<ManagementObjectPlugin, NodeUri> pluginRoots = new ConcurrentHashMap<>();
    private final Map<MoDescription, NodeUri> descriptionRoots = new ConcurrentHashMap<>();
    private final TreeEngine engine;
    private final Serializer serializer;

    /**
     * @param store the tree store
     * @param config the configuration
     */
    @Activate
    public DmTreeImpl(@Reference TreeStore store, Config config) {
        this(store, config, Clock.systemUTC());
    }

    DmTreeImpl(TreeStore store, Config config, Clock clock) {
        Settings settings = Settings.from(Objects.requireNonNull(config, "config"));
        this.engine = new TreeEngine(store, mounts, settings, clock);
        this.serializer = new Serializer(engine);
        LOG.info("DM tree started: root ACL {}, local administrator rights {}", settings.rootAcl(),
                settings.localAdminRights());
    }

    @Modified
    void modified(Config config) {
        Settings settings = Settings.from(config);
        engine.configure(settings);
        LOG.info("DM tree reconfigured: root ACL {}, local administrator rights {}", settings.rootAcl(),
                settings.localAdminRights());
    }

    @Override
    public TreeAccess as(Principal principal) {
        return new TreeAccessImpl(engine, Objects.requireNonNull(principal, "principal"));
    }

    // ------------------------------------------------------------------------------------------
    // Whole subtrees

    @Override
    public SubtreeNode list(TreeAccess access, NodeUri uri, ListForm form) throws DmException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(form, "form");
        return own(access).run("Get ?list=" + form, uri, false, op -> serializer.list(op, uri, form));
    }

    @Override
    public void add(TreeAccess access, NodeUri target, List<SubtreeNode> nodes) throws DmException {
        Objects.requireNonNull(target, "target");
        List<SubtreeNode> copy = List.copyOf(nodes);
        own(access).runAllOrNothing("Add (TNDS, " + copy.size() + " top nodes)", target, op -> {
            serializer.add(op, target, copy);
            return null;
        });
    }

    @Override
    public void replace(TreeAccess access, NodeUri target, List<SubtreeNode> nodes) throws DmException {
        Objects.requireNonNull(target, "target");
        List<SubtreeNode> copy = List.copyOf(nodes);
        own(access).runAllOrNothing("Replace (TNDS, " + copy.size() + " top nodes)", target, op -> {
            serializer.replace(op, target, copy);
            return null;
        });
    }

    private TreeAccessImpl own(TreeAccess access) {
        Objects.requireNonNull(access, "access");
        if (access instanceof TreeAccessImpl && ((TreeAccessImpl) access).engine == engine) {
            return (TreeAccessImpl) access;
        }
        throw new IllegalArgumentException("The view does not come from this DM tree: " + access);
    }

    // ------------------------------------------------------------------------------------------
    // MO plugins (whiteboard)

    @Reference(name = "plugins", service = ManagementObjectPlugin.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + ManagementObjectPlugin.ROOT_PROPERTY + "=*)")
    void bindPlugin(ManagementObjectPlugin plugin, ServiceReference<ManagementObjectPlugin> ref) {
        mountPlugin(plugin, properties(ref), bundleName(ref));
    }

    void updatedPlugin(ManagementObjectPlugin plugin, ServiceReference<ManagementObjectPlugin> ref) {
        unmountPlugin(plugin, null);
        mountPlugin(plugin, properties(ref), bundleName(ref));
    }

    void unbindPlugin(ManagementObjectPlugin plugin, ServiceReference<ManagementObjectPlugin> ref) {
        unmountPlugin(plugin, properties(ref));
    }

    /**
     * Mounts a plugin (the bind method's work; tests call it directly).
     *
     * @param plugin the plugin
     * @param props its service properties
     * @param bundle the registering bundle's name, for warnings
     */
    void mountPlugin(ManagementObjectPlugin plugin, Map<String, ?> props, String bundle) {
        NodeUri root = rootOf(props, bundle);
        if (root == null) {
            return;
        }
        PluginEntry entry = new PluginEntry(root, plugin, idOf(props), bundle);
        pluginRoots.put(plugin, root);
        if (mounts.mount(entry)) {
            LOG.info("Mounted MO plugin {}", entry.label());
        } else {
            LOG.warn("Ignoring MO plugin of {} for {}: another plugin owns that root", bundle, root);
        }
        engine.invalidateLimits();
    }

    /**
     * Unmounts a plugin (the unbind method's work).
     *
     * @param plugin the plugin
     * @param props its service properties, or null
     */
    void unmountPlugin(ManagementObjectPlugin plugin, Map<String, ?> props) {
        NodeUri root = pluginRoots.remove(plugin);
        if (root == null) {
            return;
        }
        mounts.unmount(root, plugin).ifPresent(next -> LOG.info("MO plugin {} took over {}", next.bundle(), root));
        LOG.info("Unmounted the MO plugin at {}", root);
        engine.invalidateLimits();
    }

    // ------------------------------------------------------------------------------------------
    // MO descriptions (whiteboard)

    @Reference(name = "descriptions", service = MoDescription.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + ManagementObjectPlugin.ROOT_PROPERTY + "=*)")
    void bindDescription(MoDescription description, ServiceReference<MoDescription> ref) {
        addDescription(description, properties(ref), bundleName(ref));
    }

    void updatedDescription(MoDescription description, ServiceReference<MoDescription> ref) {
        removeDescription(description);
        addDescription(description, properties(ref), bundleName(ref));
    }

    void unbindDescription(MoDescription description, ServiceReference<MoDescription> ref) {
        removeDescription(description);
    }

    /**
     * Applies an MO description (the bind method's work; tests call it directly).
     *
     * @param description the description service
     * @param props its service properties
     * @param bundle the registering bundle's name
     */
    void addDescription(MoDescription description, Map<String, ?> props, String bundle) {
        NodeUri root = rootOf(props, bundle);
        if (root == null) {
            return;
        }
        NodeDescription node;
        try {
            node = description.root();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Ignoring the MO description of {} for {}: root() failed: {}", bundle, root, e.toString());
            return;
        }
        if (node == null) {
            LOG.warn("Ignoring the MO description of {} for {}: root() returned null", bundle, root);
            return;
        }
        if (!node.isInterior()) {
            LOG.warn("Ignoring the MO description of {} for {}: an MO root is an interior node", bundle, root);
            return;
        }
        DescriptionEntry entry = new DescriptionEntry(root, description, node, idOf(props), bundle);
        descriptionRoots.put(description, root);
        if (mounts.describe(entry)) {
            LOG.info("Applied {}", entry.label());
        } else {
            LOG.warn("Ignoring the MO description of {} for {}: another description covers that root", bundle, root);
        }
        engine.invalidateLimits();
    }

    /**
     * Removes an MO description (the unbind method's work).
     *
     * @param description the description service
     */
    void removeDescription(MoDescription description) {
        NodeUri root = descriptionRoots.remove(description);
        if (root != null) {
            mounts.undescribe(root, description).ifPresent(next -> LOG.info("Applied {}", next.label()));
            LOG.info("Removed the MO description of {}", root);
            engine.invalidateLimits();
        }
    }

    // ------------------------------------------------------------------------------------------

    private static NodeUri rootOf(Map<String, ?> props, String bundle) {
        Object value = props.get(ManagementObjectPlugin.ROOT_PROPERTY);
        String text = value instanceof String ? (String) value : value instanceof String[] && ((String[]) value).length == 1
                ? ((String[]) value)[0] : null;
        if (text == null || !NodeUri.isValid(text)) {
            LOG.warn("Ignoring an MO service of {}: {} is not a node URI", bundle, ManagementObjectPlugin.ROOT_PROPERTY);
            return null;
        }
        NodeUri root = NodeUri.of(text);
        if (root.isRoot() || UriResolver.isReserved(root) || root.startsWith(Inbox.INBOX)) {
            LOG.warn("Ignoring an MO service of {}: it cannot own {}", bundle, root);
            return null;
        }
        return root;
    }

    private static String idOf(Map<String, ?> props) {
        Object id = props.get(ManagementObjectPlugin.ID_PROPERTY);
        return id instanceof String ? (String) id : "";
    }

    private static Map<String, Object> properties(ServiceReference<?> ref) {
        Map<String, Object> map = new HashMap<>();
        for (String key : ref.getPropertyKeys()) {
            map.put(key, ref.getProperty(key));
        }
        return map;
    }

    private static String bundleName(ServiceReference<?> ref) {
        Bundle bundle = ref.getBundle();
        Object serviceId = ref.getProperty(Constants.SERVICE_ID);
        if (bundle == null) {
            return "an unregistered bundle (service.id " + serviceId + ")";
        }
        return bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]";
    }

    /** @return the subtree serialiser, for tests */
    Serializer serializer() {
        return serializer;
    }

    /** @return the engine, for tests */
    TreeEngine engine() {
        return engine;
    }
}
