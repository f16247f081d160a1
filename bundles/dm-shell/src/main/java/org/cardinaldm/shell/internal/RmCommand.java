package org.cardinaldm.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.TreeAccess;

/**
 * {@code dm:rm <uri> [--as server]}: DM Delete of a node and everything below it. Prints
 * {@code Deleted <uri>}.
 */
@Service
@Command(scope = "dm", name = "rm", description = "Delete a DM tree node and its subtree")
public class RmCommand implements Action {
    @Reference(optional = true)
    DmTree tree;

    @Argument(index = 0, name = "uri", description = "The node to delete", required = true)
    @Completion(NodeUriCompleter.class)
    String uri;

    @Option(name = "--as", description = "Act as this DM server (its ServerID), subject to the ACLs, instead of the local administrator")
    String as;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        TreeAccess access = Principals.access(tree, as);
        try {
            NodeUri node = NodeUri.parse(uri);
            access.delete(node);
            o.println("Deleted " + node);
        } catch (DmException e) {
            throw Refusals.of(e);
        } catch (RuntimeException e) {
            throw Refusals.bug("dm:rm", e);
        }
        o.flush();
        return null;
    }
}
