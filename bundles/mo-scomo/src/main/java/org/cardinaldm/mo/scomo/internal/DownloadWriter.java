package org.cardinaldm.mo.scomo.internal;

import static org.cardinaldm.mo.scomo.internal.TreeView.DOWNLOAD;
import static org.cardinaldm.mo.scomo.internal.TreeView.DOWNLOAD_LEAVES;
import static org.cardinaldm.mo.scomo.internal.TreeView.rel;

import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.MoContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of {@code ./SCOMO}: Add, Replace and Delete of Download descriptors and their leaves, with
 * the checks on node names, values (URL, length, control characters) and the number of entries. Every other
 * write is refused (404 for no node, 405 otherwise).
 */
final class DownloadWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DownloadWriter.class);
    private static final int MAX_VALUE = 256;
    private static final int MAX_DESCRIPTION = 1024;

    private final EntryStore downloads;
    private final TreeView view;
    private final OperationRunner runner;
    private final IntSupplier maxEntries;

    /**
     * @param downloads the Download entries
     * @param view the tree, to tell an existing node from no node
     * @param runner the operations, to refuse writes to a descriptor being downloaded
     * @param maxEntries the configured most Download entries
     */
    DownloadWriter(EntryStore downloads, TreeView view, OperationRunner runner, IntSupplier maxEntries) {
        this.downloads = downloads;
        this.view = view;
        this.runner = runner;
        this.maxEntries = maxEntries;
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#add */
    void add(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        List<String> r = rel(uri);
        if (r.size() == 2 && r.get(0).equals("Download")) {
            String x = r.get(1);
            if (!EntryStore.validName(x)) {
                throw new DmException(StatusCode.BAD_REQUEST, "A Download node name has 1 to 64 of A-Z a-z 0-9 . _ ~ -");
            }
            synchronized (downloads) {
                if (downloads.contains(x)) {
                    throw new DmException(StatusCode.ALREADY_EXISTS, uri + " exists");
                }
                if (downloads.size() >= Math.max(1, maxEntries.getAsInt())) {
                    throw new DmException(StatusCode.DEVICE_FULL, "At most " + maxEntries.getAsInt()
                            + " Download entries; delete one first");
                }
                downloads.put(x, Map.of("Status", String.valueOf(ScomoCodes.IDLE)));
            }
            LOG.debug("SCOMO: {} added {}", context.principal(), uri);
            return;
        }
        if (r.size() == 3 && r.get(0).equals("Download") && DOWNLOAD_LEAVES.contains(r.get(2))) {
            Map<String, String> e = requireDownload(downloads, r.get(1), uri);
            if (e.containsKey(r.get(2))) {
                throw new DmException(StatusCode.ALREADY_EXISTS, uri + " exists");
            }
            setLeaf(r.get(1), r.get(2), value);
            return;
        }
        if (view.exists(uri)) {
            throw new DmException(StatusCode.ALREADY_EXISTS, uri + " exists");
        }
        throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Add is allowed only for ./SCOMO/Download/<X> and "
                + "its leaves " + DOWNLOAD_LEAVES);
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#replace */
    void replace(NodeUri uri, NodeValue value) throws DmException {
        List<String> r = rel(uri);
        if (r.size() == 3 && r.get(0).equals("Download") && DOWNLOAD_LEAVES.contains(r.get(2))) {
            requireDownload(downloads, r.get(1), uri);
            setLeaf(r.get(1), r.get(2), value);
            return;
        }
        throw new DmException(!view.exists(uri) ? StatusCode.NOT_FOUND : StatusCode.COMMAND_NOT_ALLOWED,
                "Replace is allowed only on the leaves " + DOWNLOAD_LEAVES + " of ./SCOMO/Download/<X>");
    }

    /** @see org.cardinaldm.api.spi.mo.ManagementObjectPlugin#delete */
    void delete(NodeUri uri, MoContext context) throws DmException {
        List<String> r = rel(uri);
        if (r.size() == 2 && r.get(0).equals("Download")) {
            requireDownload(downloads, r.get(1), uri);
            runner.requireIdle("download/" + r.get(1), uri);
            downloads.remove(r.get(1));
            LOG.debug("SCOMO: {} deleted {}", context.principal(), uri);
            return;
        }
        if (r.size() == 3 && r.get(0).equals("Download")
                && List.of("Version", "Description", "PkgType", "InstallParams", "EnvType").contains(r.get(2))) {
            if (!requireDownload(downloads, r.get(1), uri).containsKey(r.get(2))) {
                throw new DmException(StatusCode.NOT_FOUND, "No node " + uri);
            }
            runner.requireIdle("download/" + r.get(1), uri);
            downloads.set(r.get(1), r.get(2), null);
            return;
        }
        throw new DmException(!view.exists(uri) ? StatusCode.NOT_FOUND : StatusCode.COMMAND_NOT_ALLOWED,
                "Delete is allowed only on ./SCOMO/Download/<X> (and its optional leaves) and "
                        + "./SCOMO/Inventory/Delivered/<X>; use the Remove operation for deployed components");
    }

    /** @return the Download entry {@code x} @throws DmException 404 when there is none */
    static Map<String, String> requireDownload(EntryStore downloads, String x, NodeUri uri) throws DmException {
        Map<String, String> e = downloads.get(x);
        if (e == null) {
            throw new DmException(StatusCode.NOT_FOUND, "No Download entry " + uri);
        }
        return e;
    }

    private void setLeaf(String x, String leaf, NodeValue value) throws DmException {
        String v = checkedText(leaf, value);
        runner.requireIdle("download/" + x, DOWNLOAD.child(x));
        downloads.set(x, leaf, v);
    }

    /**
     * The checks on a text leaf of a Download or Delivered entry.
     *
     * @return the value as text
     * @throws DmException 400 for an interior value, a bad PkgURL or control characters, 413 when too long
     */
    static String checkedText(String leaf, NodeValue value) throws DmException {
        if (value.isInterior()) {
            throw new DmException(StatusCode.BAD_REQUEST, leaf + " is a leaf");
        }
        String v = value.isNull() ? "" : value.asString();
        if (leaf.equals("PkgURL")) {
            String why = Downloader.checkUrl(v);
            if (why != null) {
                throw new DmException(v.length() > Downloader.MAX_URL ? StatusCode.REQUEST_ENTITY_TOO_LARGE
                        : StatusCode.BAD_REQUEST, why);
            }
            return v;
        }
        int max = leaf.equals("Description") || leaf.equals("InstallParams") ? MAX_DESCRIPTION : MAX_VALUE;
        if (v.length() > max) {
            throw new DmException(StatusCode.REQUEST_ENTITY_TOO_LARGE, leaf + " is longer than " + max
                    + " characters");
        }
        if (v.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw new DmException(StatusCode.BAD_REQUEST, leaf + " has control characters");
        }
        return v;
    }
}
