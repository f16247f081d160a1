package org.cardinaldm.tree.internal;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.AclCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's configuration, checked once: what the local administrator may do, the root ACL used
 * while the root has none of its own, the URI limits used when {@code ./DevDetail/URI} does not
 * give them, and whether {@code ./Inbox} exists.
 */
record Settings(Set<AclCommand> localAdminRights, Acl rootAcl, UriLimits fallbackLimits, boolean inboxEnabled) {

    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);

    /** The root ACL DM 1.2 recommends. */
    static final String DEFAULT_ROOT_ACL = "Add=*&Get=*";

    Settings {
        localAdminRights = localAdminRights.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(localAdminRights));
        if (rootAcl.isEmpty()) {
            throw new IllegalArgumentException("The root ACL must have a value");
        }
    }

    /**
     * @param config the component configuration
     * @return the checked settings; invalid values fall back to the defaults with a warning
     */
    static Settings from(DmTreeImpl.Config config) {
        EnumSet<AclCommand> rights = EnumSet.noneOf(AclCommand.class);
        for (String token : config.local_admin_rights()) {
            String t = token.trim();
            if (t.equals("*")) {
                rights.addAll(EnumSet.allOf(AclCommand.class));
                continue;
            }
            AclCommand match = null;
            for (AclCommand c : AclCommand.values()) {
                if (c.token().toLowerCase(Locale.ROOT).equals(t.toLowerCase(Locale.ROOT))) {
                    match = c;
                }
            }
            if (match == null) {
                if (!t.isEmpty()) {
                    LOG.warn("Ignoring unknown command '{}' in local.admin.rights (use Add, Delete, Exec, Get, Replace or *)", t);
                }
            } else {
                rights.add(match);
            }
        }
        Acl root;
        try {
            root = Acl.of(config.root_acl());
        } catch (IllegalArgumentException e) {
            LOG.warn("root.acl is not a valid ACL ({}); using {}", e.getMessage(), DEFAULT_ROOT_ACL);
            root = Acl.of(DEFAULT_ROOT_ACL);
        }
        if (root.isEmpty()) {
            LOG.warn("root.acl is empty, but the root must have an ACL; using {}", DEFAULT_ROOT_ACL);
            root = Acl.of(DEFAULT_ROOT_ACL);
        }
        UriLimits limits = new UriLimits(Math.max(0, config.uri_max_depth()), Math.max(0, config.uri_max_tot_len()),
                Math.max(0, config.uri_max_seg_len()));
        return new Settings(rights, root, limits, config.inbox_enabled());
    }
}
