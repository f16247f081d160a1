package org.cardinaldm.mo.scomo.internal;

import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeatureState;
import org.apache.karaf.features.FeaturesService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link FeatureDeployer} on Karaf's {@link FeaturesService}. The component exists only where Karaf's features
 * service does (its reference is mandatory; the bundle imports {@code org.apache.karaf.features} optionally), so
 * on a plain OSGi framework SCOMO has no deployer and answers KAR packages with 1413. Every install, uninstall and
 * state change passes {@link FeaturesService.Option#NoAutoRefreshBundles}.
 */
@Component(service = FeatureDeployer.class, configurationPid = "org.cardinaldm.mo.scomo.features")
public final class KarafFeatureDeployer implements FeatureDeployer {
    private final FeaturesService features;

    /** @param features Karaf's features service */
    @Activate
    public KarafFeatureDeployer(@Reference FeaturesService features) {
        this.features = Objects.requireNonNull(features, "features");
    }

    private static EnumSet<FeaturesService.Option> options(boolean start) {
        EnumSet<FeaturesService.Option> o = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
        if (!start) {
            o.add(FeaturesService.Option.NoAutoStartBundles);
        }
        return o;
    }

    @Override
    public void addRepository(URI repository) throws Exception {
        features.addRepository(repository, false);
    }

    @Override
    public void removeRepository(URI repository) throws Exception {
        features.removeRepository(repository, false);
    }

    @Override
    public boolean isInstalled(String name, String version) {
        try {
            boolean anyVersion = version == null || version.isEmpty() || version.equals("0.0.0")
                    || version.startsWith("[") || version.startsWith("(");
            for (Feature f : features.listInstalledFeatures()) {
                if (f.getName().equals(name) && (anyVersion || f.getVersion().equals(version))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void install(Set<String> featureIds, boolean start) throws Exception {
        features.installFeatures(featureIds, options(start));
    }

    @Override
    public void uninstall(Set<String> featureIds) throws Exception {
        features.uninstallFeatures(featureIds, options(true));
    }

    @Override
    public void setStarted(String featureId, boolean started) throws Exception {
        features.updateFeaturesState(Map.of(FeaturesService.ROOT_REGION,
                Map.of(featureId, started ? FeatureState.Started : FeatureState.Resolved)), options(true));
    }

    @Override
    public State state(String featureId) {
        FeatureState s = features.getState(featureId);
        if (s == null) {
            return State.UNINSTALLED;
        }
        switch (s) {
            case Started:
                return State.STARTED;
            case Resolved:
                return State.RESOLVED;
            case Installed:
                return State.INSTALLED;
            default:
                return State.UNINSTALLED;
        }
    }
}
