package org.cardinaldm.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.TreeAccess;

/**
 * {@code dm:add <uri> [value] [--format F] [--type T] [--as server]}: DM Add. Without a value (and
 * without {@code --format}) it adds an interior node, whose {@code --type} is its MO identifier;
 * with a value it adds a {@code chr} leaf unless {@code --format} says otherwise. Missing interior
 * parents are created as DM allows. Prints {@code Added <uri>}.
 */
@Service
@Command(scope = "dm", name = "add", description = "Add a node to the DM tree (no value: an interior node)")
public class AddCommand extends TreeCommand {
    @Argument(index = 0, name = "uri", description = "The new node, e.g. ./Vendor/Conf/Port", required = true)
    @Completion(NodeUriCompleter.class)
    String uri;

    @Argument(index = 1, name = "value", description = "A leaf's value (hexadecimal for --format bin)", required = false)
    String value;

    @Option(name = "-f", aliases = "--format", description = "Format: chr (default for a value), int, bool, bin, b64, float, date, time, xml, null, node (default without a value)")
    String format;

    @Option(name = "-t", aliases = "--type", description = "MIME type of a leaf (default text/plain, application/octet-stream for bin), or the MO identifier of an interior node")
    String type;

    @Override
    String run(TreeAccess access) throws Exception {
        Format f = format != null ? Values.format(format) : value == null ? Format.NODE : Format.CHR;
        NodeValue v = Values.parse(f, type != null ? type : Values.defaultType(f), value);
        NodeUri node = attempt(() -> {
            NodeUri n = NodeUri.parse(uri);
            access.add(n, v);
            return n;
        });
        return "Added " + node + (v.isInterior() ? "/" : " (" + v.format() + ")");
    }
}
