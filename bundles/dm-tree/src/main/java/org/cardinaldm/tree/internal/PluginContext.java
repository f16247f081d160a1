package org.cardinaldm.tree.internal;

import org.cardinaldm.api.Principal;
import org.cardinaldm.api.spi.mo.MoContext;

/** The {@link MoContext} the engine hands to plugins and descriptions. */
record PluginContext(Principal principal) implements MoContext {
}
