package org.cardinaldm.tree.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.ddf.NodeDescription;

/**
 * The {@code ./Inbox} of DM 1.2 (digest 5.6), when enabled: where an object added to
 * {@code ./Inbox/<N>} is really placed (chosen by its MO identifier, given as its Type), and the
 * placements each principal made, so that later commands on {@code ./Inbox/<N>/...} reach them.
 */
final class Inbox {
    /** {@code ./Inbox}. */
    static final NodeUri INBOX = NodeUri.of("./Inbox");
    /** The Type of {@code ./Inbox}. */
    static final String INBOX_MO_ID = "urn:oma:mo:oma-dm-inbox:1.0";
    /** Most Inbox placements remembered. */
    static final int MAX_INBOX_ALIASES = 64;

    private record InboxKey(Principal principal, String name) {
    }

    private final Mounts mounts;
    private final Supplier<Settings> settings;
    private final Map<InboxKey, NodeUri> inboxAliases = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InboxKey, NodeUri> eldest) {
            return size() > MAX_INBOX_ALIASES;
        }
    };

    Inbox(Mounts mounts, Supplier<Settings> settings) {
        this.mounts = Objects.requireNonNull(mounts, "mounts");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** @return true when the Inbox is enabled and the URI is it or below it */
    boolean isInbox(NodeUri uri) {
        return settings.get().inboxEnabled() && uri.startsWith(INBOX);
    }

    void refuse(NodeUri uri, String command) throws DmException {
        if (isInbox(uri)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, command + " is not allowed on ./Inbox");
        }
    }

    /**
     * @param uri a URI as a command named it
     * @return where an earlier Add of this principal placed it when it lies below {@code ./Inbox/<N>},
     *     else the URI itself
     */
    NodeUri placed(Op op, NodeUri uri) {
        if (!isInbox(uri) || uri.depth() < 2) {
            return uri;
        }
        String name = uri.segments().get(1);
        NodeUri at;
        synchronized (inboxAliases) {
            at = inboxAliases.get(new InboxKey(op.principal(), name));
        }
        if (at == null) {
            return uri;
        }
        return uri.depth() == 2 ? at : at.resolve(uri.relativeTo(INBOX.child(name)));
    }

    /**
     * @param uri a URI below {@code ./Inbox/<N>} that an Add names (the caller checked Add on the Inbox)
     * @return where the node goes
     */
    NodeUri target(Op op, NodeUri uri, NodeValue value) throws DmException {
        String name = uri.segments().get(1);
        InboxKey key = new InboxKey(op.principal(), name);
        if (uri.depth() > 2) {
            NodeUri placed;
            synchronized (inboxAliases) {
                placed = inboxAliases.get(key);
            }
            if (placed == null) {
                throw new DmException(StatusCode.NOT_FOUND, "./Inbox/" + name + " was not added");
            }
            return placed.resolve(uri.relativeTo(INBOX.child(name)));
        }
        if (!value.isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Only the root of an MO can be added to ./Inbox");
        }
        String moId = value.type();
        if (moId.isEmpty()) {
            throw new DmException(StatusCode.UNSUPPORTED_MEDIA_TYPE,
                    "An object added to ./Inbox needs its MO identifier as its Type");
        }
        Optional<DescriptionEntry> d = mounts.descriptionById(moId);
        if (d.isPresent()) {
            boolean multiple = d.get().description().children().stream().anyMatch(NodeDescription::isPlaceholder);
            return multiple ? d.get().root().child(name) : d.get().root();
        }
        Optional<PluginEntry> plugin = mounts.pluginById(moId);
        if (plugin.isPresent()) {
            return plugin.get().root().child(name);
        }
        throw new DmException(StatusCode.UNSUPPORTED_MEDIA_TYPE, "This device has no MO " + moId + " for ./Inbox");
    }

    /** Remembers that {@code principal}'s Add of {@code ./Inbox/<name>} went to {@code placedAt}. */
    void remember(Principal principal, String name, NodeUri placedAt) {
        synchronized (inboxAliases) {
            inboxAliases.put(new InboxKey(principal, name), placedAt);
        }
    }
}
