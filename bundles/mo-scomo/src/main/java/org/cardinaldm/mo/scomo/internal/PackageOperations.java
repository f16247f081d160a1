package org.cardinaldm.mo.scomo.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.cardinaldm.mo.scomo.internal.PackageTrust.Fetched;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * The work of the SCOMO operations once they have started: Download / DownloadInstall(Inactive) of a
 * descriptor, Install(Inactive) of a delivered package, Activate / Deactivate / Remove of a deployed
 * component. It moves the entries between Download, Delivered and Deployed, sets their Status, and keeps
 * the Status of deployed components on disk (a restart during an operation turns "progressing" into the
 * matching failure).
 */
final class PackageOperations {
    private final EntryStore downloads;
    private final EntryStore delivered;
    private final Path tmpDir;
    private final BundleInstaller installer;
    private final PackageTrust trust;
    private final IntSupplier maxEntries;
    private final Supplier<Inventory> inventory;
    private final EntryStore deployedStatus;
    private final KarInstaller kars;
    private final java.util.function.LongSupplier maxBytes;

    /**
     * @param downloads the Download entries
     * @param delivered the Delivered entries
     * @param tmpDir where packages are downloaded to
     * @param installer installs packages as bundles
     * @param trust fetches and verifies packages
     * @param maxEntries the configured most Delivered entries
     * @param inventory the current inventory of deployed components
     * @param deployedStatus the persisted Status of deployed components (entries {@code bundle-<id>}, only while
     *        not idle)
     * @param kars installs the features of KAR packages
     * @param maxBytes the largest package (bounds the inspection of a KAR)
     */
    PackageOperations(EntryStore downloads, EntryStore delivered, Path tmpDir, BundleInstaller installer,
            PackageTrust trust, IntSupplier maxEntries, Supplier<Inventory> inventory, EntryStore deployedStatus,
            KarInstaller kars, java.util.function.LongSupplier maxBytes) {
        this.downloads = downloads;
        this.delivered = delivered;
        this.tmpDir = tmpDir;
        this.installer = installer;
        this.trust = trust;
        this.maxEntries = maxEntries;
        this.inventory = inventory;
        this.deployedStatus = deployedStatus;
        this.kars = kars;
        this.maxBytes = maxBytes;
    }

    /** @return the key of a bundle's Status in the deployed-status store */
    static String bundleKey(long bundleId) {
        return "bundle-" + bundleId;
    }

    /** @return the Status of the deployed component with bundle id {@code bundleId} (idle by default) */
    int deployedStatus(long bundleId) {
        return statusOf(bundleKey(bundleId));
    }

    /** @return the Status kept under {@code key} (idle when none) */
    int statusOf(String key) {
        Map<String, String> e = deployedStatus.get(key);
        try {
            return e == null ? ScomoCodes.IDLE : Integer.parseInt(e.getOrDefault("Status", "10"));
        } catch (NumberFormatException ex) {
            return ScomoCodes.IDLE;
        }
    }

    /** @param status the Status of the deployed component {@code bundleId} while an operation starts */
    void setDeployedStatus(long bundleId, int status) {
        setStatus(bundleKey(bundleId), status);
    }

    /** Keeps a deployed component's Status on disk; idle is kept as no entry. */
    void setStatus(String key, int status) {
        if (status == ScomoCodes.IDLE) {
            deployedStatus.remove(key);
        } else {
            deployedStatus.put(key, Map.of("Status", String.valueOf(status)));
        }
    }

    /** Forgets the Status of an uninstalled bundle. */
    void forget(long bundleId) {
        deployedStatus.remove(bundleKey(bundleId));
    }

    Outcome download(String x, String op) throws IOException {
        Map<String, String> e = downloads.get(x);
        if (e == null) {
            return Outcome.failure(ScomoCodes.UNDEFINED, null, "the Download entry was deleted");
        }
        String pkgId = e.getOrDefault("PkgID", x);
        Files.createDirectories(tmpDir);
        Path tmp = Files.createTempFile(tmpDir, x, ".pkg");
        try {
            Fetched f = trust.fetchVerified(e.get("PkgURL"), tmp, pkgId);
            if (f.failure != null) {
                downloads.set(x, "Status", String.valueOf(ScomoCodes.DL_FAILED));
                return f.failure;
            }
            if (op.equals("Download")) {
                if (!delivered.contains(x) && delivered.size() >= Math.max(1, maxEntries.getAsInt())) {
                    downloads.set(x, "Status", String.valueOf(ScomoCodes.DL_FAILED));
                    return Outcome.failure(ScomoCodes.DOWNLOAD_OUT_OF_MEMORY, pkgId,
                            "at most " + maxEntries.getAsInt() + " delivered packages");
                }
                Files.move(tmp, delivered.payload(x), StandardCopyOption.REPLACE_EXISTING);
                Files.write(delivered.manifest(x), f.manifestBytes);
                Map<String, String> d = new LinkedHashMap<>();
                d.put("PkgID", pkgId);
                d.put("Name", e.getOrDefault("Name", f.manifest.manifest().name()));
                d.put("Version", f.manifest.manifest().version().text());
                if (e.containsKey("Description")) {
                    d.put("Description", e.get("Description"));
                }
                d.putAll(PackageType.carried(e));
                d.put("State", String.valueOf(ScomoCodes.DV_STATE_DELIVERED));
                d.put("Status", String.valueOf(ScomoCodes.IDLE));
                delivered.put(x, d);
                // the package moved to Inventory/Delivered/<X>: the descriptor is done (a server may add it again)
                downloads.remove(x);
                return Outcome.success(null, pkgId);
            }
            downloads.set(x, "Status", String.valueOf(ScomoCodes.DL_INSTALL_PROGRESSING));
            Outcome o = install(tmp, f.manifest, op.equals("DownloadInstall"), pkgId, e);
            if (o.succeeded()) {
                downloads.remove(x); // the component is in Deployed; the same <X> can be added again (an upgrade)
            } else {
                // a package that fails validation at install time (a KAR's content checks, a signed name that is not
                // the bundle's) is a validation failure like a bad signature (20), not a failed install (70)
                downloads.set(x, "Status", String.valueOf(o.code() == ScomoCodes.VALIDATION_FAILED
                        ? ScomoCodes.DL_FAILED : ScomoCodes.DL_INSTALL_FAILED_WITHOUT_DATA));
            }
            return o;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    Outcome installDelivered(String x, boolean start) throws IOException {
        Map<String, String> e = delivered.get(x);
        if (e == null) {
            return Outcome.failure(ScomoCodes.UNDEFINED, null, "the delivered package was removed");
        }
        String pkgId = e.getOrDefault("PkgID", x);
        // the package on disk is checked again: it may have changed since it was delivered
        Fetched checked = trust.verifyStored(delivered.manifest(x), delivered.payload(x), pkgId);
        if (checked.failure != null) {
            delivered.set(x, "Status", String.valueOf(ScomoCodes.DV_INSTALL_FAILED_WITH_DATA));
            return checked.failure;
        }
        Outcome o = install(delivered.payload(x), checked.manifest, start, pkgId, e);
        if (o.succeeded()) {
            Files.deleteIfExists(delivered.payload(x));
            delivered.set(x, "State", String.valueOf(ScomoCodes.DV_STATE_INSTALLED));
            delivered.set(x, "Status", String.valueOf(ScomoCodes.IDLE));
        } else {
            delivered.set(x, "Status", String.valueOf(ScomoCodes.DV_INSTALL_FAILED_WITH_DATA));
        }
        return o;
    }

    /** Installs a verified package: a bundle, or the features of a KAR (PkgType, else its content, decides). */
    private Outcome install(Path payload, SignedManifest sm, boolean start, String pkgId, Map<String, String> entry) {
        try {
            PackageType.checkEnvType(entry.get("EnvType"));
            if (PackageType.of(entry.get("PkgType"), payload) == PackageType.KAR) {
                List<KarInstaller.Installed> done = kars.install(payload, sm.manifest().name(), start, pkgId,
                        PackageType.features(entry.get("InstallParams")),
                        KarInspector.Limits.forPackages(maxBytes.getAsLong()));
                KarInstaller.Installed primary = done.get(0);
                return Outcome.success(TreeView.DEPLOYED.child(primary.nodeName()).toString(), primary.featureId());
            }
            Bundle b = installer.install(payload, sm.manifest().name(), start);
            String name = inventory.get().nameOf(b.getBundleId());
            setDeployedStatus(b.getBundleId(), ScomoCodes.IDLE);
            return Outcome.success(name == null ? null : TreeView.DEPLOYED.child(name).toString(), b.getSymbolicName());
        } catch (BundleInstaller.InstallException e) {
            return Outcome.failure(e.code(), pkgId, e.getMessage());
        }
    }

    /** Activate, Deactivate or Remove of a feature SCOMO installed from a KAR; its Status is in its entry. */
    Outcome featureOperation(String node, String op, String target, String id, EntryStore features) {
        try {
            switch (op) {
                case "Activate":
                    kars.setStarted(node, true);
                    break;
                case "Deactivate":
                    kars.setStarted(node, false);
                    break;
                default:
                    kars.remove(node);
                    return new Outcome(ScomoCodes.SUCCESS, target, id, "removed");
            }
            features.set(node, "Status", String.valueOf(ScomoCodes.IDLE));
            return new Outcome(ScomoCodes.SUCCESS, target, id, "done");
        } catch (Exception e) {
            features.set(node, "Status", String.valueOf(failedStatus(op)));
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(failedCode(op), target, id, m.length() > 200 ? m.substring(0, 200) : m);
        }
    }

    private static int failedCode(String op) {
        return op.equals("Activate") ? ScomoCodes.ACTIVATE_FAILED
                : op.equals("Deactivate") ? ScomoCodes.DEACTIVATE_FAILED : ScomoCodes.REMOVE_FAILED;
    }

    private static int failedStatus(String op) {
        return op.equals("Activate") ? ScomoCodes.DP_ACTIVATE_FAILED
                : op.equals("Deactivate") ? ScomoCodes.DP_DEACTIVATE_FAILED : ScomoCodes.DP_REMOVE_FAILED;
    }

    Outcome deployedOperation(Bundle b, String op, String target, String id) {
        long bid = b.getBundleId();
        try {
            switch (op) {
                case "Activate":
                    b.start();
                    break;
                case "Deactivate":
                    b.stop();
                    break;
                default:
                    b.uninstall();
                    forget(bid);
                    return new Outcome(ScomoCodes.SUCCESS, target, id, "removed");
            }
            setDeployedStatus(bid, ScomoCodes.IDLE);
            return new Outcome(ScomoCodes.SUCCESS, target, id, "done");
        } catch (BundleException | IllegalStateException e) {
            setDeployedStatus(bid, failedStatus(op));
            return new Outcome(failedCode(op), target, id, e.getMessage());
        }
    }
}
