package org.cardinaldm.pkg.trust.standalone;

import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.internal.CmsManifestVerifier;

/** Makes a {@link ManifestVerifier} without OSGi; inside OSGi use the service, which also logs one DEBUG line per verification. */
public final class StandaloneVerifier {
    private StandaloneVerifier() {
    }

    /** @return a new verifier, stateless and thread-safe */
    public static ManifestVerifier create() {
        return new CmsManifestVerifier();
    }
}
