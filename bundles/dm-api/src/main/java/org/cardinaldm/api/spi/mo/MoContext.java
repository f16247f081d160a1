package org.cardinaldm.api.spi.mo;

import org.cardinaldm.api.Principal;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the tree engine tells a plugin about the operation it is asked to perform. The engine has
 * already checked the ACL; plugins use the principal for decisions of their own (for example a
 * card that only accepts writes from an authenticated server).
 */
@ProviderType
public interface MoContext {
    /** @return on whose behalf the operation runs */
    Principal principal();
}
