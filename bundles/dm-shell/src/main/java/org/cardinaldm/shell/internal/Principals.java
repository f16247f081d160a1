package org.cardinaldm.shell.internal;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;

/**
 * On whose behalf a dm: command acts: the local administrator, or with {@code --as <server-id>} a
 * DM server, so that the ACLs a server is subject to can be tried from the shell.
 */
final class Principals {
    private Principals() {
    }

    /**
     * @param serverId the {@code --as} value, or null
     * @return the principal
     * @throws CommandException 400 when the server id is empty or not a valid ACL server id
     */
    static Principal of(String serverId) throws CommandException {
        if (serverId == null) {
            return Principal.localAdmin();
        }
        String id = serverId.trim();
        if (id.isEmpty() || id.equals("*") || id.chars().anyMatch(c -> c == '=' || c == '&' || c == '+' || c == '*'
                || Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw Refusals.of(StatusCode.BAD_REQUEST, "--as needs a server id as ACLs write it (no =, &, +, * or blanks)");
        }
        return Principal.server(id);
    }

    /**
     * @param tree the optional tree reference
     * @param serverId the {@code --as} value, or null
     * @return the view of the tree for that principal
     * @throws CommandException 503 without a tree, 400 for a bad server id
     */
    static TreeAccess access(DmTree tree, String serverId) throws CommandException {
        Principal p = of(serverId);
        return Refusals.require(tree).as(p);
    }
}
