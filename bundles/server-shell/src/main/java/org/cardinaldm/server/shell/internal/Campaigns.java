package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;
import java.util.Locale;

import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignProgress;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;

/** What the {@code dms:fumo-*} commands share: the missing-service message, error mapping and tables. */
final class Campaigns {
    private Campaigns() {
    }

    static <T> T require(T service) throws CommandException {
        if (service == null) {
            throw new CommandException("Firmware campaigns are not installed (install the fumo-server bundle "
                    + "and a campaign store, e.g. dm-server-jdbc).");
        }
        return service;
    }

    /** Runs an action, turning an operator error into one line. */
    static <T> T run(java.util.function.Supplier<T> action) throws CommandException {
        try {
            return action.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandException(e.getMessage());
        }
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v);
    }

    static void printCampaign(Campaign c, CampaignProgress p, PrintStream o) {
        o.println("Campaign " + c.id() + " '" + c.spec().name() + "': " + c.state().name().toLowerCase(Locale.ROOT)
                + (c.reason() == null ? "" : " (" + c.reason() + ")"));
        o.println("Package:   " + c.pkg().fileName() + " = " + c.pkg().name() + " " + c.pkg().version()
                + (c.pkg().securityCounter() == null ? "" : ", security counter " + c.pkg().securityCounter()));
        o.println("URL:       " + c.pkg().url());
        o.println("Devices:   " + c.spec().filter() + " -> " + c.deviceCount() + " devices, FUMO ./FUMO/"
                + c.spec().fumoInstance() + (c.spec().consent() ? ", asks the user" : ""));
        o.println("Waves:     " + c.waveSizes() + ", next wave at " + c.spec().successThreshold()
                + "% succeeded, pause above " + c.spec().errorThreshold() + "% failed, current wave "
                + (c.currentWave() + 1));
        o.println("Window:    " + (c.spec().window() == null ? "any time" : c.spec().window()));
        ShellTable t = new ShellTable();
        t.column("Wave");
        t.column("Devices");
        for (DeviceUpdateState s : DeviceUpdateState.values()) {
            t.column(s.label());
        }
        t.column("Succeeded");
        t.column("Failed");
        for (CampaignProgress.Counts w : p.waves()) {
            row(t, String.valueOf(w.wave() + 1), w);
        }
        row(t, "total", p.total());
        t.print(o);
    }

    private static void row(ShellTable t, String name, CampaignProgress.Counts w) {
        org.apache.karaf.shell.support.table.Row r = t.addRow();
        r.addContent(name, w.devices());
        for (DeviceUpdateState s : DeviceUpdateState.values()) {
            r.addContent(w.count(s));
        }
        r.addContent(pct(w.succeededPercent()), pct(w.failedPercent()));
    }
}
