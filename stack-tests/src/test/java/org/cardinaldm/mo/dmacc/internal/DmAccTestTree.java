package org.cardinaldm.mo.dmacc.internal;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.mo.dmacc.api.DmAccounts;
import org.cardinaldm.testing.tree.InMemoryTreeStore;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.osgi.util.converter.Converters;

/**
 * The real tree engine over {@link InMemoryTreeStore}, with this bundle's description bound the way DS
 * would bind it (the engine's bind helper is package-private, so reflection stands in for SCR).
 */
final class DmAccTestTree {
    final InMemoryTreeStore store = new InMemoryTreeStore();
    final DmTreeImpl tree;
    final DmAccDescription description = new DmAccDescription();

    DmAccTestTree(String rootAcl) throws ReflectiveOperationException {
        Map<String, Object> config = new HashMap<>();
        config.put("root.acl", rootAcl);
        tree = new DmTreeImpl(store, Converters.standardConverter().convert(config).to(DmTreeImpl.Config.class));
        Method add = DmTreeImpl.class.getDeclaredMethod("addDescription", MoDescription.class, Map.class, String.class);
        add.setAccessible(true);
        add.invoke(tree, description, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, DmAccounts.ROOT,
                ManagementObjectPlugin.ID_PROPERTY, DmAccounts.MO_ID), "org.cardinaldm.mo.dmacc");
    }

    DmTree tree() {
        return tree;
    }
}
