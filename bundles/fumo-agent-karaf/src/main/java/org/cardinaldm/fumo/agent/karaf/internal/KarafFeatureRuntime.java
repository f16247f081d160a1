package org.cardinaldm.fumo.agent.karaf.internal;

import java.net.URI;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.FeaturesService.Option;
import org.apache.karaf.features.Repository;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * {@link FeatureRuntime} on Karaf's {@link FeaturesService}. Every deployment runs with
 * {@link Option#NoAutoRefreshBundles}: installing or switching the firmware set never refreshes an unrelated
 * bundle. {@link #switchTo} adds {@link Option#Upgrade}, so Karaf installs the new version and uninstalls the
 * old one in one deployment (the old one's bundles never stay wired to the new ones, and the two versions never
 * run side by side); the old version's repository stays registered, so it can come back.
 */
final class KarafFeatureRuntime implements FeatureRuntime {
    private final FeaturesService features;

    KarafFeatureRuntime(FeaturesService features) {
        this.features = Objects.requireNonNull(features, "features");
    }

    @Override
    public Optional<String> installedVersion(String name) throws Exception {
        return Arrays.stream(features.listInstalledFeatures()).filter(f -> name.equals(f.getName()))
                .map(Feature::getVersion).max(Versions::compare);
    }

    @Override
    public boolean isInstalled(String name, String version) throws Exception {
        for (Feature f : features.listInstalledFeatures()) {
            if (name.equals(f.getName()) && matches(version, f.getVersion())) {
                return true;
            }
        }
        return false;
    }

    /** Karaf's reading: empty or 0.0.0 is any version, a bracketed text a range, anything else exactly it. */
    static boolean matches(String wanted, String actual) {
        String w = wanted == null ? "" : wanted.strip();
        if (w.isEmpty() || "0.0.0".equals(w)) {
            return true;
        }
        Optional<Version> v = Versions.parse(actual);
        if (v.isEmpty()) {
            return w.equals(actual);
        }
        if (w.startsWith("[") || w.startsWith("(")) {
            try {
                return new VersionRange(w).includes(v.get());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return Versions.same(w, actual);
    }

    @Override
    public boolean isAvailable(String name, String version) throws Exception {
        return features.getFeature(name, version) != null;
    }

    @Override
    public Optional<URI> repositoryOf(String name, String version) throws Exception {
        for (Repository r : features.listRepositories()) {
            for (Feature f : r.getFeatures()) {
                if (name.equals(f.getName()) && matches(version, f.getVersion())) {
                    return Optional.of(r.getURI());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void addRepository(URI uri) throws Exception {
        features.addRepository(uri, false);
    }

    @Override
    public boolean removeRepositoryIfUnused(URI uri) throws Exception {
        Repository r = features.getRepository(uri);
        if (r == null) {
            return true;
        }
        for (Feature f : r.getFeatures()) {
            if (features.isInstalled(f)) {
                return false;
            }
        }
        features.removeRepository(uri, false);
        return true;
    }

    @Override
    public void switchTo(String name, String version) throws Exception {
        features.installFeature(name, version, EnumSet.of(Option.NoAutoRefreshBundles, Option.Upgrade));
    }

    @Override
    public void uninstall(String name, String version) throws Exception {
        features.uninstallFeature(name, version, EnumSet.of(Option.NoAutoRefreshBundles));
    }

    @Override
    public List<String> bundleLocations(String name, String version) throws Exception {
        Feature f = features.getFeature(name, version);
        return f == null ? List.of() : f.getBundles().stream().map(BundleInfo::getLocation).toList();
    }
}
