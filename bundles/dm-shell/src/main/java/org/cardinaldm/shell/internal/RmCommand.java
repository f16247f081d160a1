package org.cardinaldm.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.TreeAccess;

/**
 * {@code dm:rm <uri> [--as server]}: DM Delete of a node and everything below it. Prints
 * {@code Deleted <uri>}.
 */
@Service
@Command(scope = "dm", name = "rm", description = "Delete a DM tree node and its subtree")
public class RmCommand extends TreeCommand {
    @Argument(index = 0, name = "uri", description = "The node to delete", required = true)
    @Completion(NodeUriCompleter.class)
    String uri;

    @Override
    String run(TreeAccess access) throws Exception {
        NodeUri node = attempt(() -> {
            NodeUri n = NodeUri.parse(uri);
            access.delete(n);
            return n;
        });
        return "Deleted " + node;
    }
}
