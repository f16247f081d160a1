package org.cardinaldm.shell.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.SubtreeNode;
import org.cardinaldm.api.TargetUri;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.TreeSerialization;

/**
 * The query forms of {@code dm:get}: {@code <uri>?prop=<Name>} prints the property's value alone;
 * {@code <uri>?list=Struct|StructData} prints a table of the subtree (URI, Format, Type, and the
 * values for StructData); {@code <uri>?list=TNDS…} prints the TNDS XML document when the TNDS
 * document service runs, else the same table with the properties asked for.
 */
final class Queries {
    private Queries() {
    }

    /** @param uri what the operator typed @return true when it carries a {@code ?} query */
    static boolean isQuery(String uri) {
        return uri.indexOf('?') >= 0;
    }

    /**
     * @param access the tree view
     * @param serialization the optional subtree service
     * @param documents the optional TNDS document service
     * @param text the target as typed, with its query
     * @param props whether {@code -p} was given (refused with a query)
     * @param out where the answer goes
     */
    static void print(TreeAccess access, TreeSerialization serialization, TndsDocuments documents, String text,
            boolean props, PrintStream out) throws DmException, CommandException {
        if (props) {
            throw Refusals.of(StatusCode.BAD_REQUEST, "-p does not combine with ?prop= or ?list=");
        }
        TargetUri target = TargetUri.parse(text);
        NodeUri node = target.node();
        if (target.property().isPresent()) {
            out.println(access.getProperty(node, target.property().get()));
            return;
        }
        ListForm form = ListForm.parse(target.list().orElseThrow());
        if (form.kind() == ListForm.Kind.TNDS && documents != null) {
            out.print(new String(documents.export(access, node, form, TndsDocuments.XML), StandardCharsets.UTF_8));
            out.println();
            return;
        }
        if (serialization == null) {
            throw Refusals.of(StatusCode.SERVICE_UNAVAILABLE, "The DM tree offers no ?list= service (is cardinal-core up to date?)");
        }
        SubtreeNode top = serialization.list(access, node, form);
        ShellTable table = new ShellTable();
        table.column("URI");
        for (Property p : form.properties()) {
            table.column(p.token());
        }
        if (form.values()) {
            table.column("Value");
        }
        addRows(table, top, node, form);
        table.print(out, StandardCharsets.US_ASCII, true);
    }

    private static void addRows(ShellTable table, SubtreeNode n, NodeUri uri, ListForm form) {
        org.apache.karaf.shell.support.table.Row row = table.addRow();
        row.addContent(uri.toString());
        for (Property p : form.properties()) {
            row.addContent(n.property(p).orElse(""));
        }
        if (form.values()) {
            row.addContent(n.value().map(v -> v.displayString()).orElse(""));
        }
        for (SubtreeNode c : n.children()) {
            addRows(table, c, uri.child(c.name()), form);
        }
    }
}
