package org.cardinaldm.mo.scomo.internal;

import static org.cardinaldm.mo.scomo.internal.TreeView.DATA;
import static org.cardinaldm.mo.scomo.internal.TreeView.DELIVERED;
import static org.cardinaldm.mo.scomo.internal.TreeView.DELIVERED_LEAVES;
import static org.cardinaldm.mo.scomo.internal.TreeView.EXT;
import static org.cardinaldm.mo.scomo.internal.TreeView.MANIFEST;
import static org.cardinaldm.mo.scomo.internal.TreeView.rel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inline (direct) delivery: a server adds {@code ./SCOMO/Inventory/Delivered/<X>}, its leaves (PkgID, Name,
 * Description, PkgType, InstallParams, EnvType), the package as {@code Data} (binary; a large object in the DM
 * session) and its signed manifest as {@code Ext/Manifest}, then executes Install or InstallInactive, which
 * verify the stored package like a downloaded one. Bounds: {@code download.max.bytes} for Data (413), 64 KiB for
 * the manifest (413), {@code max.entries} entries (420). An installed entry (State 20) and a busy one (417) do not
 * change; Delete removes an entry and its files.
 */
final class DeliveredWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveredWriter.class);
    private static final List<String> WRITABLE = DELIVERED_LEAVES.stream().filter(l -> !l.equals("Version"))
            .toList();

    private final EntryStore delivered;
    private final TreeView view;
    private final OperationRunner runner;
    private final IntSupplier maxEntries;
    private final LongSupplier maxBytes;

    /**
     * @param delivered the Delivered entries
     * @param view the tree, to tell an existing node from no node
     * @param runner the operations, to refuse writes to an entry being installed or removed
     * @param maxEntries the configured most Delivered entries
     * @param maxBytes the largest package
     */
    DeliveredWriter(EntryStore delivered, TreeView view, OperationRunner runner, IntSupplier maxEntries,
            LongSupplier maxBytes) {
        this.delivered = delivered;
        this.view = view;
        this.runner = runner;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** @return whether {@code uri} is at or below {@code ./SCOMO/Inventory/Delivered/<X>} */
    static boolean handles(NodeUri uri) {
        return uri.startsWith(DELIVERED) && uri.segments().size() > DELIVERED.segments().size();
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#add */
    void add(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        List<String> r = rel(uri);
        String x = r.get(2);
        if (r.size() == 3) {
            if (!EntryStore.validName(x)) {
                throw new DmException(StatusCode.BAD_REQUEST, "A Delivered node name has 1 to 64 of A-Z a-z 0-9 . _ ~ -");
            }
            synchronized (delivered) {
                if (delivered.contains(x)) {
                    throw new DmException(StatusCode.ALREADY_EXISTS, uri + " exists");
                }
                if (delivered.size() >= Math.max(1, maxEntries.getAsInt())) {
                    throw new DmException(StatusCode.DEVICE_FULL, "At most " + maxEntries.getAsInt()
                            + " delivered packages; remove one first");
                }
                delivered.put(x, Map.of("State", String.valueOf(ScomoCodes.DV_STATE_DELIVERED),
                        "Status", String.valueOf(ScomoCodes.IDLE)));
            }
            LOG.debug("SCOMO: {} added {}", context.principal(), uri);
            return;
        }
        if (view.exists(uri)) {
            throw new DmException(StatusCode.ALREADY_EXISTS, uri + " exists");
        }
        write(uri, r, value);
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#replace */
    void replace(NodeUri uri, NodeValue value) throws DmException {
        List<String> r = rel(uri);
        if (!view.exists(uri)) {
            throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
        }
        write(uri, r, value);
    }

    private void write(NodeUri uri, List<String> r, NodeValue value) throws DmException {
        String x = r.get(2);
        List<String> rest = r.subList(3, r.size());
        boolean data = rest.equals(List.of(DATA));
        boolean manifest = rest.equals(List.of(EXT, MANIFEST));
        boolean leaf = rest.size() == 1 && WRITABLE.contains(rest.get(0));
        if (!data && !manifest && !leaf) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Below " + DELIVERED.child(x) + " a server writes only "
                    + WRITABLE + ", " + DATA + " and " + EXT + "/" + MANIFEST);
        }
        Map<String, String> e = delivered.get(x);
        if (e == null) {
            throw new DmException(StatusCode.NOT_FOUND, "No delivered package " + DELIVERED.child(x));
        }
        if (!String.valueOf(ScomoCodes.DV_STATE_DELIVERED).equals(e.get("State"))) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The package " + x + " is installed; it no longer "
                    + "changes");
        }
        if (leaf) {
            String v = DownloadWriter.checkedText(rest.get(0), value);
            runner.requireIdle("delivered/" + x, DELIVERED.child(x));
            delivered.set(x, rest.get(0), v);
            return;
        }
        if (value.isInterior()) {
            throw new DmException(StatusCode.BAD_REQUEST, uri + " is a leaf");
        }
        byte[] bytes = value.isNull() ? new byte[0] : value.data();
        long max = data ? maxBytes.getAsLong() : ManifestVerifier.MAX_MANIFEST_BYTES;
        if (bytes.length > max) {
            throw new DmException(StatusCode.REQUEST_ENTITY_TOO_LARGE, (data ? "Data" : "The manifest") + " has "
                    + bytes.length + " bytes, more than the " + max + " allowed");
        }
        runner.requireIdle("delivered/" + x, DELIVERED.child(x));
        Path target = data ? delivered.payload(x) : delivered.manifest(x);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new DmException(StatusCode.COMMAND_FAILED, "Cannot store " + uri + " (" + ex.getClass().getSimpleName()
                    + ")");
        }
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#delete */
    void delete(NodeUri uri, MoContext context) throws DmException {
        List<String> r = rel(uri);
        if (r.size() == 3 && delivered.contains(r.get(2))) {
            runner.requireIdle("delivered/" + r.get(2), uri);
            delivered.remove(r.get(2));
            LOG.debug("SCOMO: {} deleted {}", context.principal(), uri);
            return;
        }
        throw new DmException(!view.exists(uri) ? StatusCode.NOT_FOUND : StatusCode.COMMAND_NOT_ALLOWED,
                "Delete below ./SCOMO/Inventory/Delivered is allowed only on <X>");
    }
}
