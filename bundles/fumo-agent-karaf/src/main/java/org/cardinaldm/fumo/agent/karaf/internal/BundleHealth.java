package org.cardinaldm.fumo.agent.karaf.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The health of a feature's bundles, from the framework and from SCR:
 * <ul>
 * <li>each bundle is installed at its location and ACTIVE (a fragment: RESOLVED);</li>
 * <li>each enabled DS component of those bundles has no configuration in state UNSATISFIED_REFERENCE or
 * FAILED_ACTIVATION. A component waiting for a required configuration that nobody gave
 * (UNSATISFIED_CONFIGURATION, or no configuration at all) is not counted as a failure: the firmware cannot
 * supply configuration an operator has not written.</li>
 * </ul>
 */
final class BundleHealth implements HealthProbe {
    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    BundleHealth(BundleContext context, ServiceComponentRuntime scr) {
        this.context = Objects.requireNonNull(context, "context");
        this.scr = Objects.requireNonNull(scr, "scr");
    }

    @Override
    public List<String> problems(List<String> locations) {
        List<String> problems = new ArrayList<>();
        for (String location : locations) {
            Bundle b = context.getBundle(location);
            if (b == null) {
                problems.add(KarArchive.printable(location) + " is not installed");
                continue;
            }
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            int wanted = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != wanted) {
                problems.add(b.getSymbolicName() + " is " + state(b.getState()));
                continue;
            }
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                if (!scr.isComponentEnabled(d)) {
                    continue;
                }
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                        problems.add("component " + d.name + " of " + b.getSymbolicName()
                                + " lacks a mandatory service");
                    } else if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        problems.add("component " + d.name + " of " + b.getSymbolicName() + " failed to activate");
                    }
                }
            }
        }
        return problems;
    }

    private static String state(int s) {
        switch (s) {
        case Bundle.INSTALLED:
            return "INSTALLED (not resolved)";
        case Bundle.RESOLVED:
            return "RESOLVED (not started)";
        case Bundle.STARTING:
            return "STARTING";
        case Bundle.STOPPING:
            return "STOPPING";
        case Bundle.ACTIVE:
            return "ACTIVE";
        default:
            return "UNINSTALLED";
        }
    }
}
