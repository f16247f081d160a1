package org.cardinaldm.server.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.server.packages.api.PublishedPackage;

/** {@code dms:fumo-packages}: the firmware packages published to devices. */
@Service
@Command(scope = "dms", name = "fumo-packages", description = "List the published firmware packages")
public class FumoPackagesCommand implements Action {
    @Reference(optional = true)
    PackageCatalog catalog;

    @Option(name = "-a", aliases = "--all", description = "Also list application packages")
    boolean all;

    PrintStream out;

    @Override
    public Object execute() throws Exception {
        if (catalog == null) {
            throw new CommandException("The package catalogue is not running (install the server-packages bundle).");
        }
        ShellTable t = new ShellTable();
        for (String c : new String[] {"File", "Kind", "Name", "Version", "Counter", "Bytes", "SHA-256", "Published"}) {
            t.column(c);
        }
        for (PublishedPackage p : catalog.list()) {
            if (all || p.kind() == PackageKind.FIRMWARE) {
                t.addRow().addContent(p.fileName(), p.kind(), p.name(), p.version(),
                        p.securityCounter().isPresent() ? p.securityCounter().getAsLong() : "-", p.length(),
                        p.sha256Hex().substring(0, Math.min(16, p.sha256Hex().length())) + "...",
                        Services.time(p.published()));
            }
        }
        t.print(out != null ? out : System.out);
        return null;
    }
}
