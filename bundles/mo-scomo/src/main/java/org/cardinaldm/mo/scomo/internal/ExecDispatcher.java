package org.cardinaldm.mo.scomo.internal;

import static org.cardinaldm.mo.scomo.internal.TreeView.DELIVERED_OPS;
import static org.cardinaldm.mo.scomo.internal.TreeView.DEPLOYED;
import static org.cardinaldm.mo.scomo.internal.TreeView.DEPLOYED_OPS;
import static org.cardinaldm.mo.scomo.internal.TreeView.DOWNLOAD;
import static org.cardinaldm.mo.scomo.internal.TreeView.DOWNLOAD_OPS;
import static org.cardinaldm.mo.scomo.internal.TreeView.OPERATIONS;
import static org.cardinaldm.mo.scomo.internal.TreeView.rel;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Exec on {@code ./SCOMO}: maps the executed {@code …/Operations/<Op>} node to its entry and operation,
 * refuses what may not start (404 unknown entry, 405 not an operation, already installed or a protected
 * component, 412 no PkgURL) and hands the rest to the {@link OperationRunner}.
 */
final class ExecDispatcher {
    private final BundleContext context;
    private final EntryStore downloads;
    private final EntryStore delivered;
    private final Supplier<Inventory> inventory;
    private final TreeView view;
    private final OperationRunner runner;
    private final PackageOperations operations;
    private final EntryStore features;

    /**
     * @param context SCOMO's bundle context (its bundle is protected)
     * @param downloads the Download entries
     * @param delivered the Delivered entries
     * @param inventory the current inventory of deployed components
     * @param view the tree, to tell an existing node from no node
     * @param runner runs the operations
     * @param operations the work of the operations
     * @param features the features SCOMO installed from KARs
     */
    ExecDispatcher(BundleContext context, EntryStore downloads, EntryStore delivered, Supplier<Inventory> inventory,
            TreeView view, OperationRunner runner, PackageOperations operations, EntryStore features) {
        this.context = context;
        this.downloads = downloads;
        this.delivered = delivered;
        this.inventory = inventory;
        this.view = view;
        this.runner = runner;
        this.operations = operations;
        this.features = features;
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#exec */
    StatusCode exec(NodeUri uri, String correlator, Principal who) throws DmException {
        List<String> r = rel(uri);
        if (r.size() == 4 && r.get(0).equals("Download") && r.get(2).equals(OPERATIONS)
                && DOWNLOAD_OPS.contains(r.get(3))) {
            String x = r.get(1);
            Map<String, String> e = DownloadWriter.requireDownload(downloads, x, uri);
            String url = e.get("PkgURL");
            if (url == null || url.isEmpty()) {
                throw new DmException(StatusCode.INCOMPLETE_COMMAND, DOWNLOAD.child(x) + " has no PkgURL");
            }
            String op = r.get(3);
            return runner.run("download/" + x, uri, who, correlator,
                    () -> downloads.set(x, "Status", String.valueOf(ScomoCodes.DL_PROGRESSING)),
                    () -> operations.download(x, op));
        }
        if (r.size() == 5 && r.get(0).equals("Inventory") && r.get(1).equals("Delivered")
                && r.get(3).equals(OPERATIONS)
                && DELIVERED_OPS.contains(r.get(4))) {
            String x = r.get(2);
            Map<String, String> e = delivered.get(x);
            if (e == null) {
                throw new DmException(StatusCode.NOT_FOUND, "No delivered package " + x);
            }
            String op = r.get(4);
            if (op.equals("Remove")) {
                return runner.run("delivered/" + x, uri, who, correlator,
                        () -> delivered.set(x, "Status", String.valueOf(ScomoCodes.DV_REMOVE_PROGRESSING)),
                        () -> {
                            delivered.remove(x);
                            return Outcome.success(null, e.get("PkgID"));
                        });
            }
            if (!String.valueOf(ScomoCodes.DV_STATE_DELIVERED).equals(e.get("State"))) {
                throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The package " + x + " is already installed");
            }
            if (!java.nio.file.Files.exists(delivered.payload(x))) {
                throw new DmException(StatusCode.INCOMPLETE_COMMAND, "The package " + x + " has no Data yet");
            }
            return runner.run("delivered/" + x, uri, who, correlator,
                    () -> delivered.set(x, "Status", String.valueOf(ScomoCodes.DV_INSTALL_PROGRESSING)),
                    () -> operations.installDelivered(x, op.equals("Install")));
        }
        if (r.size() == 5 && r.get(0).equals("Inventory") && r.get(1).equals("Deployed")
                && r.get(3).equals(OPERATIONS)
                && DEPLOYED_OPS.contains(r.get(4))) {
            String node = r.get(2);
            Map<String, String> feature = features.get(node);
            if (feature != null) {
                String target = DEPLOYED.child(node).toString();
                String op = r.get(4);
                return runner.run("feature/" + node, uri, who, correlator,
                        () -> features.set(node, "Status", String.valueOf(progressing(op))),
                        () -> operations.featureOperation(node, op, target, feature.get("Id"), features));
            }
            BundleFacts app = inventory.get().get(r.get(2));
            Bundle b = app == null ? null : context.getBundle(app.bundleId());
            if (b == null) {
                throw new DmException(StatusCode.NOT_FOUND, "No deployed component " + r.get(2));
            }
            checkProtection(b, who, uri);
            String target = DEPLOYED.child(r.get(2)).toString();
            String op = r.get(4);
            return runner.run("deployed/" + b.getBundleId(), uri, who, correlator,
                    () -> operations.setDeployedStatus(b.getBundleId(), progressing(op)),
                    () -> operations.deployedOperation(b, op, target, app.id()));
        }
        throw new DmException(!view.exists(uri) ? StatusCode.NOT_FOUND : StatusCode.COMMAND_NOT_ALLOWED,
                uri + " is not a SCOMO operation");
    }

    private static int progressing(String op) {
        return op.equals("Activate") ? ScomoCodes.DP_ACTIVATE_PROGRESSING
                : op.equals("Deactivate") ? ScomoCodes.DP_DEACTIVATE_PROGRESSING : ScomoCodes.DP_REMOVE_PROGRESSING;
    }

    /**
     * The platform rule: a DM server acts only on components SCOMO installed; nobody acts through SCOMO on the
     * system bundle or on SCOMO's own bundle.
     */
    private void checkProtection(Bundle b, Principal who, NodeUri uri) throws DmException {
        if (b.getBundleId() == 0 || b.getBundleId() == context.getBundle().getBundleId()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The framework and SCOMO itself are not managed "
                    + "through SCOMO");
        }
        if (who.kind() == Principal.Kind.SERVER && !BundleInstaller.installedByScomo(b)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri.parent().parent() + " is a platform component "
                    + "(not installed through SCOMO): a DM server cannot change it");
        }
    }
}
