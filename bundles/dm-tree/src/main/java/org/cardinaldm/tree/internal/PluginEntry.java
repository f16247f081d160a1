package org.cardinaldm.tree.internal;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;

/**
 * A mounted MO plugin: its subtree root, the service, its MO identifier and, for warnings, the
 * bundle that registered it.
 */
record PluginEntry(NodeUri root, ManagementObjectPlugin plugin, String moId, String bundle) {

    /** @return the name used in warnings, e.g. {@code org.cardinaldm.mo.devinfo (./DevInfo)} */
    String label() {
        return bundle + " (" + root + ")";
    }
}
