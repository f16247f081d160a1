package org.cardinaldm.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.TreeAccess;

/**
 * {@code dm:set <uri> <value> [--format F] [--type T] [--as server]}: DM Replace of a leaf's value.
 * The value keeps the leaf's Format and Type unless the options change them (a permanent leaf
 * refuses that with 405). Prints {@code Replaced <uri>}.
 */
@Service
@Command(scope = "dm", name = "set", description = "Replace the value of a DM tree leaf")
public class SetCommand extends TreeCommand {
    @Argument(index = 0, name = "uri", description = "An existing leaf, e.g. ./Vendor/Conf/Port", required = true)
    @Completion(NodeUriCompleter.class)
    String uri;

    @Argument(index = 1, name = "value", description = "The new value (hexadecimal for a bin leaf)", required = true)
    String value;

    @Option(name = "-f", aliases = "--format", description = "Change the Format (default: the leaf's own)")
    String format;

    @Option(name = "-t", aliases = "--type", description = "Change the MIME type (default: the leaf's own)")
    String type;

    @Override
    String run(TreeAccess access) throws Exception {
        NodeUri node = attempt(() -> {
            NodeUri n = NodeUri.parse(uri);
            NodeValue v = leafValue(access, n);
            access.replace(n, v);
            return n;
        });
        return "Replaced " + node;
    }

    private NodeValue leafValue(TreeAccess access, NodeUri node) throws DmException, CommandException {
        Format f;
        String t;
        if (format != null && type != null) {
            f = Values.format(format);
            t = type;
        } else {
            // the leaf's own Format and Type; a leaf this principal may not see is refused here (404, 425)
            NodeInfo info = access.describe(node);
            f = format != null ? Values.format(format) : info.isInterior() ? Format.CHR : info.format();
            t = type != null ? type : format != null ? Values.defaultType(f) : info.type();
        }
        return Values.parse(f, t, value);
    }
}
