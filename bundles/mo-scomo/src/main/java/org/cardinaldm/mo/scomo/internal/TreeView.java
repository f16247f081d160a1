package org.cardinaldm.mo.scomo.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongToIntFunction;
import java.util.function.Supplier;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;

/**
 * The read side of {@code ./SCOMO}: resolves a URI to an interior node or a leaf of the Download, Delivered
 * and Deployed entries, and answers describe, children and Get. It also names the nodes (URIs, leaves and
 * operations) the write and Exec paths route on.
 */
final class TreeView {
    static final NodeUri ROOT_URI = NodeUri.of(ScomoPlugin.ROOT);
    static final NodeUri DOWNLOAD = ROOT_URI.child("Download");
    private static final NodeUri INVENTORY = ROOT_URI.child("Inventory");
    static final NodeUri DEPLOYED = INVENTORY.child("Deployed");
    private static final Acl ROOT_ACL = Acl.of("Get=*");
    private static final Acl DOWNLOAD_ACL = Acl.of("Add=*&Delete=*&Exec=*&Get=*&Replace=*");
    private static final Acl INVENTORY_ACL = Acl.of("Exec=*&Get=*");
    /** A server delivers packages inline: it adds {@code Delivered/<X>} and its leaves, Data and Ext/Manifest. */
    private static final Acl DELIVERED_ACL = Acl.of("Add=*&Delete=*&Exec=*&Get=*&Replace=*");
    static final NodeUri DELIVERED = INVENTORY.child("Delivered");
    static final String OPERATIONS = "Operations";
    static final List<String> DOWNLOAD_LEAVES = List.of("PkgID", "Name", "PkgURL", "Version", "Description", "PkgType",
            "InstallParams", "EnvType");
    static final List<String> DOWNLOAD_OPS = List.of("Download", "DownloadInstall", "DownloadInstallInactive");
    static final List<String> DELIVERED_LEAVES = List.of("PkgID", "Name", "Version", "Description", "PkgType",
            "InstallParams", "EnvType");
    /** The inline package of a delivered entry (bin, Add/Replace, never read back). */
    static final String DATA = "Data";
    /** Cardinal's extension node of a delivered entry; its one child is the signed manifest. */
    static final String EXT = "Ext";
    static final String MANIFEST = "Manifest";
    static final List<String> DELIVERED_OPS = List.of("Install", "InstallInactive", "Remove");
    static final List<String> DEPLOYED_OPS = List.of("Activate", "Deactivate", "Remove");

    private final EntryStore downloads;
    private final EntryStore delivered;
    private final Supplier<Inventory> inventory;
    private final LongToIntFunction deployedStatus;
    private final EntryStore features;
    private final java.util.function.Predicate<String> featureStarted;

    /**
     * @param downloads the Download entries
     * @param delivered the Delivered entries
     * @param inventory the current inventory of deployed components
     * @param deployedStatus the Status of a deployed component by bundle id
     * @param features the features SCOMO installed from KARs (Deployed {@code <name>~feature})
     * @param featureStarted whether a feature (by Karaf id) is started
     */
    TreeView(EntryStore downloads, EntryStore delivered, Supplier<Inventory> inventory,
            LongToIntFunction deployedStatus, EntryStore features, java.util.function.Predicate<String> featureStarted) {
        this.downloads = downloads;
        this.delivered = delivered;
        this.inventory = inventory;
        this.deployedStatus = deployedStatus;
        this.features = features;
        this.featureStarted = featureStarted;
    }

    /** A resolved node: interior (children) or leaf (value), its ACL and whether it is permanent. */
    private record Resolved(List<String> children, NodeValue value, Acl acl, boolean permanent, long writeOnlySize) {
        Resolved(List<String> children, NodeValue value, Acl acl, boolean permanent) {
            this(children, value, acl, permanent, -1);
        }

        static Resolved interior(List<String> children) {
            return new Resolved(children, null, Acl.empty(), false);
        }

        static Resolved leaf(NodeValue value) {
            return new Resolved(null, value, Acl.empty(), false);
        }
    }

    /** @return the segments of {@code uri} below {@code ./SCOMO} */
    static List<String> rel(NodeUri uri) {
        List<String> all = uri.segments();
        return all.subList(ROOT_URI.segments().size(), all.size());
    }

    /** @return whether {@code uri} names a node of the subtree */
    boolean exists(NodeUri uri) {
        return resolve(uri) != null;
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
                        return new Resolved(delivered.names(), null, DELIVERED_ACL, true);
                    }
                    return deliveredEntry(r.get(2), r.subList(3, r.size()));
                }
                if (r.get(1).equals("Deployed")) {
                    if (r.size() == 2) {
                        List<String> names = new ArrayList<>(inventory.get().names());
                        names.addAll(features.names());
                        return new Resolved(names, null, Acl.empty(), true);
                    }
                    Map<String, String> feature = features.get(r.get(2));
                    if (feature != null) {
                        return feature(feature, r.subList(3, r.size()));
                    }
                    BundleFacts app = inventory.get().get(r.get(2));
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

    /** A Delivered entry: its leaves, and Data and Ext/Manifest once the package and manifest are there. */
    private Resolved deliveredEntry(String x, List<String> rest) {
        Map<String, String> e = delivered.get(x);
        if (e == null) {
            return null;
        }
        long data = size(delivered.payload(x));
        long manifest = size(delivered.manifest(x));
        if (rest.size() == 1 && rest.get(0).equals(DATA) && data >= 0) {
            return new Resolved(null, null, Acl.empty(), false, data);
        }
        if (!rest.isEmpty() && rest.get(0).equals(EXT)) {
            if (rest.size() == 1) {
                return Resolved.interior(manifest >= 0 ? List.of(MANIFEST) : List.of());
            }
            return rest.size() == 2 && rest.get(1).equals(MANIFEST) && manifest >= 0
                    ? new Resolved(null, null, Acl.empty(), false, manifest) : null;
        }
        Resolved r = entry(e, rest, DELIVERED_LEAVES, DELIVERED_OPS);
        if (r != null && rest.isEmpty()) {
            List<String> names = new ArrayList<>(r.children);
            int at = names.indexOf("State");
            if (data >= 0) {
                names.add(at, DATA);
                at++;
            }
            names.add(at, EXT);
            return Resolved.interior(names);
        }
        return r;
    }

    private static long size(java.nio.file.Path p) {
        try {
            return java.nio.file.Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** A feature SCOMO installed from a KAR. */
    private Resolved feature(Map<String, String> f, List<String> rest) {
        return component(List.of("ID", "PkgIDRef", "Name", "Version"), f.containsKey("Description"), rest, leaf -> {
            switch (leaf) {
                case "ID":
                    return NodeValue.ofString(f.get("Id"));
                case "PkgIDRef":
                    return NodeValue.ofString(f.getOrDefault("PkgID", ""));
                case "State":
                    return NodeValue.ofInt(featureStarted.test(f.get("Id")) ? ScomoPlugin.STATE_ACTIVE
                            : ScomoPlugin.STATE_INACTIVE);
                case "Status":
                    return NodeValue.ofInt(Long.parseLong(f.getOrDefault("Status", "10")));
                default:
                    return NodeValue.ofString(f.get(leaf));
            }
        });
    }

    /** A Deployed component: its first leaves, Description when it has one, State, Status and Operations. */
    private static Resolved component(List<String> first, boolean description, List<String> rest,
            Function<String, NodeValue> value) {
        List<String> names = new ArrayList<>(first);
        if (description) {
            names.add("Description");
        }
        names.addAll(List.of("State", "Status", OPERATIONS));
        return rest.isEmpty() ? Resolved.interior(names) : operationsOrLeaf(rest, names, DEPLOYED_OPS, value);
    }

    private Resolved deployed(BundleFacts app, List<String> rest) {
        boolean description = app.description() != null && !app.description().isBlank();
        return component(List.of("ID", "Name", "Version"), description, rest, leaf -> {
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
                    return NodeValue.ofInt(app.active() ? ScomoPlugin.STATE_ACTIVE : ScomoPlugin.STATE_INACTIVE);
                default:
                    return NodeValue.ofInt(deployedStatus.applyAsInt(app.bundleId()));
            }
        });
    }

    private static Resolved operationsOrLeaf(List<String> rest, List<String> names, List<String> ops,
            Function<String, NodeValue> value) {
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

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#describe */
    Optional<NodeInfo> describe(NodeUri uri) {
        Resolved r = resolve(uri);
        if (r == null) {
            return Optional.empty();
        }
        if (r.writeOnlySize >= 0) {
            return Optional.of(NodeInfo.leaf(uri, org.cardinaldm.api.Format.BIN).type("application/octet-stream")
                    .size(r.writeOnlySize).build());
        }
        if (r.children != null) {
            NodeInfo.Builder b = NodeInfo.interior(uri).permanent(r.permanent);
            if (uri.equals(ROOT_URI)) {
                b.type(ScomoPlugin.MO_ID);
            }
            if (!r.acl.isEmpty()) {
                b.acl(r.acl);
            }
            return Optional.of(b.build());
        }
        return Optional.of(NodeInfo.leaf(uri, r.value.format()).type(r.value.type()).size(r.value.size()).build());
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#children */
    List<String> children(NodeUri uri) throws DmException {
        Resolved r = resolve(uri);
        if (r == null) {
            throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
        }
        if (r.children == null) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is a leaf and has no children");
        }
        return r.children;
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#get */
    NodeValue get(NodeUri uri) throws DmException {
        Resolved r = resolve(uri);
        if (r == null) {
            throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
        }
        if (r.writeOnlySize >= 0) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is written by a server (Add, Replace) and "
                    + "never read back");
        }
        return r.children != null ? NodeValue.ofChildren(r.children) : r.value;
    }
}
