package org.cardinaldm.api.spi.host;

import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TreeAccess;

/**
 * This device's class as signed package manifests name it ({@code docs/signed-packages.md}): {@code <Man>/<Mod>}
 * of {@code ./DevInfo}, read as the system. SCOMO and FUMO match it against a manifest's device classes.
 */
public final class DeviceClass {
    private DeviceClass() {
    }

    /**
     * @param tree the device's DM tree
     * @return {@code <Man>/<Mod>} with both values stripped, or empty when either is empty or cannot be read
     */
    public static Optional<String> of(DmTree tree) {
        try {
            TreeAccess system = tree.as(Principal.system());
            String man = system.get(NodeUri.of("./DevInfo/Man")).asString().strip();
            String mod = system.get(NodeUri.of("./DevInfo/Mod")).asString().strip();
            return man.isEmpty() || mod.isEmpty() ? Optional.empty() : Optional.of(man + "/" + mod);
        } catch (DmException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
