package org.cardinaldm.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;

/**
 * {@code dm:acl <uri> [acl] [--inherit] [--as server]}: shows or sets a node's ACL (Get or Replace
 * on {@code <uri>?prop=ACL}, with the DM rules: changing an interior node's ACL needs Replace on it
 * or its parent, a leaf's needs Replace on its parent).
 *
 * <p>Shown: the node's own ACL alone on the first line; a node without one inherits, and the line
 * is then {@code <acl> (inherited from <ancestor>)}, or {@code (inherited)} when the ancestor cannot
 * be read. {@code --inherit} removes the node's own ACL.
 */
@Service
@Command(scope = "dm", name = "acl", description = "Show or set the ACL of a DM tree node")
public class DmAclCommand extends TreeCommand {
    @Argument(index = 0, name = "uri", description = "The node", required = true)
    @Completion(NodeUriCompleter.class)
    String uri;

    @Argument(index = 1, name = "acl", description = "The new ACL in DM grammar, e.g. 'Get=*&Replace=srv1+srv2' (quote it)", required = false)
    String acl;

    @Option(name = "--inherit", description = "Remove the node's own ACL, so that it inherits its parent's")
    boolean inherit;

    @Override
    void check() throws CommandException {
        if (inherit && acl != null) {
            throw Refusals.of(StatusCode.BAD_REQUEST, "Give an ACL or --inherit, not both");
        }
    }

    @Override
    String run(TreeAccess access) throws Exception {
        return attempt(() -> {
            NodeUri node = NodeUri.parse(uri);
            if (acl != null || inherit) {
                String value = inherit ? "" : acl;
                access.setProperty(node, Property.ACL, value);
                return "ACL of " + node + (value.isEmpty() ? " removed: it inherits" : ": " + value);
            }
            return show(access, node);
        });
    }

    private static String show(TreeAccess access, NodeUri node) throws DmException {
        String own = access.getProperty(node, Property.ACL);
        if (!own.isEmpty()) {
            return own;
        }
        NodeUri u = node;
        try {
            while (!u.isRoot()) {
                u = u.parent();
                String inherited = access.getProperty(u, Property.ACL);
                if (!inherited.isEmpty()) {
                    return inherited + " (inherited from " + u + ")";
                }
            }
        } catch (DmException e) {
            // an ancestor this principal cannot read: say that it inherits, not from where
        }
        return "(inherited)";
    }
}
