package org.cardinaldm.mo.scomo.internal;

import java.net.URI;
import java.util.Set;

/**
 * What SCOMO needs from Karaf's features service to install the features of a verified KAR: a seam, so that the
 * plugin has no Karaf type in it and works (KARs answering 1413) on a framework without Karaf. The one
 * implementation is {@link KarafFeatureDeployer}; every change it makes passes
 * {@code FeaturesService.Option.NoAutoRefreshBundles}, so no unrelated bundle is ever refreshed.
 */
public interface FeatureDeployer {
    /** The state of a feature, as Karaf reports it. */
    enum State {
        /** Not installed. */
        UNINSTALLED,
        /** Installed, its bundles not resolved. */
        INSTALLED,
        /** Installed and resolved, its bundles not started. */
        RESOLVED,
        /** Installed and started. */
        STARTED
    }

    /** @param repository a features repository (a file SCOMO wrote) to make known @throws Exception from Karaf */
    void addRepository(URI repository) throws Exception;

    /** @param repository a features repository to forget @throws Exception from Karaf */
    void removeRepository(URI repository) throws Exception;

    /**
     * @param name a feature name
     * @param version a version, a range, or empty for any
     * @return whether such a feature is installed
     */
    boolean isInstalled(String name, String version);

    /**
     * Installs features without refreshing other bundles.
     *
     * @param featureIds {@code name/version} ids
     * @param start whether to start their bundles
     * @throws Exception when Karaf refuses (nothing of it should remain installed)
     */
    void install(Set<String> featureIds, boolean start) throws Exception;

    /** @param featureIds features to uninstall, without refreshing other bundles @throws Exception from Karaf */
    void uninstall(Set<String> featureIds) throws Exception;

    /**
     * @param featureId a feature installed through SCOMO
     * @param started start it (Activate) or stop it to resolved (Deactivate)
     * @throws Exception when Karaf cannot
     */
    void setStarted(String featureId, boolean started) throws Exception;

    /** @param featureId a feature id @return its state */
    State state(String featureId);
}
