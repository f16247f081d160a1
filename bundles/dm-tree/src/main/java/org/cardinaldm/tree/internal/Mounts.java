package org.cardinaldm.tree.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.cardinaldm.api.NodeUri;

/**
 * Which MO plugin owns which subtree and which MO description constrains which subtree. Lookups
 * read concurrent maps without locking; binding and unbinding take a private lock only to keep the
 * stand-by lists (services for a root that is already taken) consistent. No plugin is ever called
 * here.
 */
final class Mounts {
    private final Map<NodeUri, PluginEntry> plugins = new ConcurrentHashMap<>();
    private final Map<NodeUri, DescriptionEntry> descriptions = new ConcurrentHashMap<>();
    private final List<PluginEntry> standbyPlugins = new ArrayList<>();
    private final List<DescriptionEntry> standbyDescriptions = new ArrayList<>();
    private final Object lock = new Object();

    /**
     * @param entry a plugin to mount
     * @return true when mounted, false when another plugin owns that root (the entry waits)
     */
    boolean mount(PluginEntry entry) {
        synchronized (lock) {
            if (plugins.putIfAbsent(entry.root(), entry) == null) {
                return true;
            }
            standbyPlugins.add(entry);
            return false;
        }
    }

    /**
     * @param root the root the plugin was mounted at
     * @param plugin the plugin service object
     * @return the entry that took over the root, if a waiting plugin did
     */
    Optional<PluginEntry> unmount(NodeUri root, Object plugin) {
        synchronized (lock) {
            PluginEntry active = plugins.get(root);
            if (active != null && active.plugin() == plugin) {
                plugins.remove(root);
                for (Iterator<PluginEntry> it = standbyPlugins.iterator(); it.hasNext();) {
                    PluginEntry waiting = it.next();
                    if (waiting.root().equals(root)) {
                        it.remove();
                        plugins.put(root, waiting);
                        return Optional.of(waiting);
                    }
                }
                return Optional.empty();
            }
            standbyPlugins.removeIf(e -> e.root().equals(root) && e.plugin() == plugin);
            return Optional.empty();
        }
    }

    /**
     * @param entry a description to apply
     * @return true when applied, false when another description covers that root (the entry waits)
     */
    boolean describe(DescriptionEntry entry) {
        synchronized (lock) {
            if (descriptions.putIfAbsent(entry.root(), entry) == null) {
                return true;
            }
            standbyDescriptions.add(entry);
            return false;
        }
    }

    /**
     * @param root the root the description applied to
     * @param service the description service object
     * @return the entry that took over, if a waiting description did
     */
    Optional<DescriptionEntry> undescribe(NodeUri root, Object service) {
        synchronized (lock) {
            DescriptionEntry active = descriptions.get(root);
            if (active != null && active.service() == service) {
                descriptions.remove(root);
                for (Iterator<DescriptionEntry> it = standbyDescriptions.iterator(); it.hasNext();) {
                    DescriptionEntry waiting = it.next();
                    if (waiting.root().equals(root)) {
                        it.remove();
                        descriptions.put(root, waiting);
                        return Optional.of(waiting);
                    }
                }
                return Optional.empty();
            }
            standbyDescriptions.removeIf(e -> e.root().equals(root) && e.service() == service);
            return Optional.empty();
        }
    }

    /**
     * @param uri a node
     * @return the plugin whose root is the longest prefix of the node, or null
     */
    PluginEntry owner(NodeUri uri) {
        if (plugins.isEmpty()) {
            return null;
        }
        for (NodeUri u = uri; !u.isRoot(); u = u.parent()) {
            PluginEntry e = plugins.get(u);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /**
     * @param uri a node
     * @return the description whose root is the longest prefix of the node, or null
     */
    DescriptionEntry descriptionOwner(NodeUri uri) {
        if (descriptions.isEmpty()) {
            return null;
        }
        for (NodeUri u = uri; !u.isRoot(); u = u.parent()) {
            DescriptionEntry e = descriptions.get(u);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /** @param root a node @return the plugin mounted exactly there, or null */
    PluginEntry pluginAt(NodeUri root) {
        return plugins.get(root);
    }

    /**
     * Nodes that exist because something is mounted below them, or because a permanent MO root is
     * described there: parents of plugin roots, and permanent description roots with their parents.
     *
     * @param uri a node
     * @return true when it is such a node
     */
    boolean isVirtual(NodeUri uri) {
        for (NodeUri root : plugins.keySet()) {
            if (root.depth() > uri.depth() && root.startsWith(uri)) {
                return true;
            }
        }
        for (DescriptionEntry d : descriptions.values()) {
            if (d.description().isPermanent() && d.root().startsWith(uri)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param uri a node
     * @return true when a plugin root or a described root lies strictly below it
     */
    boolean hasMountBelow(NodeUri uri) {
        for (NodeUri root : plugins.keySet()) {
            if (root.depth() > uri.depth() && root.startsWith(uri)) {
                return true;
            }
        }
        for (NodeUri root : descriptions.keySet()) {
            if (root.depth() > uri.depth() && root.startsWith(uri)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param uri a node
     * @return names of its children that exist because of a mount (plugin roots, permanent described
     *     roots, or their ancestors), sorted
     */
    SortedSet<String> virtualChildren(NodeUri uri) {
        SortedSet<String> names = new TreeSet<>();
        for (NodeUri root : plugins.keySet()) {
            if (root.depth() > uri.depth() && root.startsWith(uri)) {
                names.add(root.segments().get(uri.depth()));
            }
        }
        for (DescriptionEntry d : descriptions.values()) {
            NodeUri root = d.root();
            if (d.description().isPermanent() && root.depth() > uri.depth() && root.startsWith(uri)) {
                names.add(root.segments().get(uri.depth()));
            }
        }
        return names;
    }

    /**
     * @param moId an MO identifier
     * @return a description registered with it, if any
     */
    Optional<DescriptionEntry> descriptionById(String moId) {
        return descriptions.values().stream().filter(d -> d.moId().equals(moId)).findFirst();
    }

    /**
     * @param moId an MO identifier
     * @return a plugin registered with it, if any
     */
    Optional<PluginEntry> pluginById(String moId) {
        return plugins.values().stream().filter(p -> p.moId().equals(moId)).findFirst();
    }

    /** @return the number of mounted plugins */
    int pluginCount() {
        return plugins.size();
    }
}
