package org.cardinaldm.fumo.agent.karaf.internal;

import java.util.List;

/** Looks at a set of bundles once; {@link BundleHealth} is the real one. */
@FunctionalInterface
interface HealthProbe {
    /**
     * @param locations the bundle locations of the feature under check
     * @return what is wrong, one short line each (symbolic names, states, component names; never configuration
     *         values); empty when every bundle and component is fine
     */
    List<String> problems(List<String> locations);
}
