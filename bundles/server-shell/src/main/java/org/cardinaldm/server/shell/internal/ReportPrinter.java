package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

import org.cardinaldm.server.api.HelpDeskReport;
import org.cardinaldm.server.api.HelpDeskReport.Entry;
import org.cardinaldm.server.api.HelpDeskReport.Group;
import org.cardinaldm.server.api.HelpDeskReport.Read;
import org.cardinaldm.server.api.HelpDeskReport.Section;

/**
 * Prints a {@link HelpDeskReport} for a help-desk agent: one block per section with aligned
 * {@code label  value} lines, the note of an empty section, then every read with its status.
 */
final class ReportPrinter {
    private ReportPrinter() {
    }

    /**
     * @param r the report
     * @param width the longest value shown (0: all)
     * @param o where to print
     */
    static void print(HelpDeskReport r, int width, PrintStream o) {
        String ids = r.jobIds().stream().map(String::valueOf).collect(Collectors.joining(", "));
        o.println("Help desk of " + r.deviceId() + " (job" + (r.jobIds().size() == 1 ? " " : "s ") + ids + ", "
                + (r.complete() ? "complete" : "not complete: some answers are missing") + ")");
        int labelWidth = 0;
        for (Section s : r.sections()) {
            for (Group g : s.groups()) {
                for (Entry e : g.entries()) {
                    labelWidth = Math.max(labelWidth, e.label().length() + (g.name() == null ? 0 : 2));
                }
            }
        }
        labelWidth = Math.min(labelWidth, 40);
        for (Section s : r.sections()) {
            o.println();
            o.println(s.kind().title());
            if (s.isEmpty()) {
                o.println("  " + (s.note() == null ? "(nothing)" : s.note()));
                continue;
            }
            for (Group g : s.groups()) {
                String indent = "  ";
                if (g.name() != null) {
                    o.println("  " + Services.shorten(g.name(), 76));
                    indent = "    ";
                }
                int w = labelWidth - (g.name() == null ? 0 : 2);
                for (Entry e : g.entries()) {
                    o.println(indent + pad(e.label(), w) + "  " + value(e.value(), width));
                }
            }
            if (s.note() != null) {
                o.println("  (" + s.note() + ")");
            }
        }
        o.println();
        o.println("Reads");
        List<Read> reads = r.reads();
        int statusWidth = reads.stream().mapToInt(x -> x.statusText().length()).max().orElse(6);
        for (Read x : reads) {
            o.println("  job " + x.jobId() + " #" + x.index() + "  " + pad(x.statusText(), statusWidth) + "  " + x.uri()
                    + (x.failed() ? "  <- " + (x.status() == 404 ? "not on this device" : "failed") : ""));
        }
        if (r.withheld() > 0) {
            o.println(r.withheld() + " secret-looking leaf value" + (r.withheld() == 1 ? "" : "s")
                    + " withheld (never shown).");
        }
    }

    private static String value(String v, int width) {
        if (v == null) {
            return "-";
        }
        return Services.shorten(v, width > 0 ? width : Integer.MAX_VALUE);
    }

    private static String pad(String s, int w) {
        if (s.length() >= w) {
            return s;
        }
        return s + " ".repeat(w - s.length());
    }
}
