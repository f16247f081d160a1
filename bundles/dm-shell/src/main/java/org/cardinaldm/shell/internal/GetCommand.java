package org.cardinaldm.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.TreeSerialization;

/**
 * {@code dm:get [-p] <uri>}: DM Get as the local administrator. The first line is the value alone (a
 * leaf's value, or an interior node's child names joined with {@code /}, as DM Get returns them);
 * with {@code -p} a table of the node's properties follows. A {@code ?prop=} or {@code ?list=} query is
 * answered by {@link Queries}.
 */
@Service
@Command(scope = "dm", name = "get", description = "Print the value of a DM tree node (and its properties with -p)")
public class GetCommand implements Action {
    @Reference(optional = true)
    DmTree tree;

    @Reference(optional = true)
    TreeSerialization serialization;

    @Reference(optional = true)
    TndsDocuments documents;

    @Option(name = "--as", description = "Act as this DM server (its ServerID), subject to the ACLs, instead of the local administrator")
    String as;

    @Option(name = "-p", aliases = "--props", description = "Also print the node's properties (ACL, Format, Name, Size, Title, TStamp, Type, VerNo)")
    boolean props;

    @Argument(index = 0, name = "uri", description = "Node URI, e.g. ./DevInfo/Man, or a query: ./DevInfo/Man?prop=ACL, './DMAcc?list=Struct' (StructData, TNDS, TNDS+ACL+Value...)", required = true)
    @Completion(NodeUriCompleter.class)
    String uri;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        TreeAccess access = Principals.access(tree, as);
        // printed only when everything was read, so a refusal is the only line of a refused command
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream b = new PrintStream(buffer, false, StandardCharsets.UTF_8)) {
            if (Queries.isQuery(uri)) {
                Queries.print(access, serialization, documents, uri, props, b);
            } else {
                NodeUri node = NodeUri.parse(uri);
                NodeValue value = access.get(node);
                b.println(value.displayString());
                if (props) {
                    propertyTable(access, node).print(b, StandardCharsets.US_ASCII, true);
                }
            }
        } catch (DmException e) {
            throw Refusals.of(e);
        } catch (RuntimeException e) {
            throw Refusals.bug("dm:get", e);
        }
        o.print(buffer.toString(StandardCharsets.UTF_8));
        o.flush();
        return null;
    }

    private static ShellTable propertyTable(TreeAccess access, NodeUri node) throws DmException {
        ShellTable table = new ShellTable();
        table.column("Property");
        table.column("Value");
        for (Property p : Property.values()) {
            String value;
            try {
                value = access.getProperty(node, p);
            } catch (DmException e) {
                if (e.status() == StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED) {
                    continue; // a property this node does not have, such as Size of an interior node
                }
                if (e.status() == StatusCode.NOT_FOUND) {
                    throw e; // the node went away between Get and the properties
                }
                value = "(" + e.status() + ")";
            }
            table.addRow().addContent(p.token(), value);
        }
        return table;
    }
}
