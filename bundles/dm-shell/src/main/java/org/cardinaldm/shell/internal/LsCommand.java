package org.cardinaldm.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;

/**
 * {@code dm:ls [-r depth] [uri]}: the DM tree below a node as a tree view, as the local
 * administrator. Interior nodes end with {@code /}; a subtree that cannot be listed shows its status
 * instead of its children.
 * <pre>
 * .
 * |-- DevDetail/
 * `-- DevInfo/
 * </pre>
 */
@Service
@Command(scope = "dm", name = "ls", description = "Show the DM tree below a node")
public class LsCommand implements Action {
    /** The deepest view dm:ls draws; DM trees are far shallower than this. */
    static final int MAX_DEPTH = 64;

    @Reference(optional = true)
    DmTree tree;

    @Option(name = "--as", description = "Act as this DM server (its ServerID), subject to the ACLs, instead of the local administrator")
    String as;

    @Option(name = "-r", aliases = "--depth", description = "How many levels below the node to show (default 1, at most 64)")
    int depth = 1;

    @Argument(index = 0, name = "uri", description = "Node URI (default: the root '.')", required = false)
    @Completion(NodeUriCompleter.class)
    String uri = ".";

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        if (depth < 0 || depth > MAX_DEPTH) {
            throw Refusals.of(StatusCode.BAD_REQUEST, "Depth must be between 0 and " + MAX_DEPTH + ", not " + depth);
        }
        TreeAccess access = Principals.access(tree, as);
        StringBuilder view = new StringBuilder();
        try {
            NodeUri node = NodeUri.parse(uri);
            NodeInfo info = access.describe(node);
            view.append(node).append(info.isInterior() && !node.isRoot() ? "/" : "").append(System.lineSeparator());
            if (info.isInterior() && depth > 0) {
                // the top node's children are part of the answer: a refusal there refuses the command
                drawChildren(access, node, access.children(node), "", depth, view);
            }
        } catch (DmException e) {
            throw Refusals.of(e);
        } catch (RuntimeException e) {
            throw Refusals.bug("dm:ls", e);
        }
        o.print(view);
        o.flush();
        return null;
    }

    private static void drawChildren(TreeAccess access, NodeUri parent, List<String> names, String indent,
            int levels, StringBuilder view) {
        for (int i = 0; i < names.size(); i++) {
            boolean last = i == names.size() - 1;
            NodeUri child = parent.child(names.get(i));
            view.append(indent).append(last ? "`-- " : "|-- ").append(child.name());
            List<String> grandChildren = null;
            try {
                if (access.describe(child).isInterior()) {
                    view.append('/');
                    if (levels > 1) {
                        grandChildren = access.children(child);
                    }
                }
            } catch (DmException e) {
                view.append("  (").append(e.status()).append(')');
            }
            view.append(System.lineSeparator());
            if (grandChildren != null) {
                drawChildren(access, child, grandChildren, indent + (last ? "    " : "|   "), levels - 1, view);
            }
        }
    }
}
