package org.cardinaldm.fumo.agent.karaf.internal;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What the agent asks of Karaf's features service, narrowed to its needs so that the agent's logic is tested
 * against a simulated Karaf ({@link KarafFeatureRuntime} is the real one). Every method may throw what Karaf
 * throws; the agent turns it into a FUMO result.
 */
interface FeatureRuntime {
    /**
     * @param name a feature
     * @return the highest installed version of it
     * @throws Exception when Karaf cannot tell
     */
    Optional<String> installedVersion(String name) throws Exception;

    /**
     * @param name a feature
     * @param version a version, a range such as {@code [1,2)}, or empty for any
     * @return whether a matching feature is installed
     * @throws Exception when Karaf cannot tell
     */
    boolean isInstalled(String name, String version) throws Exception;

    /**
     * @param name a feature
     * @param version its exact version
     * @return whether a registered repository defines it
     * @throws Exception when Karaf cannot tell
     */
    boolean isAvailable(String name, String version) throws Exception;

    /**
     * @param name a feature
     * @param version its exact version
     * @return the repository that defines it
     * @throws Exception when Karaf cannot tell
     */
    Optional<URI> repositoryOf(String name, String version) throws Exception;

    /**
     * Registers a features repository without installing anything.
     *
     * @param uri its URI
     * @throws Exception when Karaf refuses it
     */
    void addRepository(URI uri) throws Exception;

    /**
     * Unregisters a repository unless one of its features is installed.
     *
     * @param uri its URI
     * @return whether it is gone (also when it was not registered)
     * @throws Exception when Karaf refuses
     */
    boolean removeRepositoryIfUnused(URI uri) throws Exception;

    /**
     * Installs a feature's version and, in the same deployment, uninstalls its other versions, without refreshing
     * any bundle.
     *
     * @param name the feature
     * @param version the version to run
     * @throws Exception when the deployment fails
     */
    void switchTo(String name, String version) throws Exception;

    /**
     * Uninstalls one version of a feature without refreshing any bundle.
     *
     * @param name the feature
     * @param version its version
     * @throws Exception when the deployment fails
     */
    void uninstall(String name, String version) throws Exception;

    /**
     * @param name a feature
     * @param version its exact version
     * @return its bundle locations (empty when it is unknown)
     * @throws Exception when Karaf cannot tell
     */
    List<String> bundleLocations(String name, String version) throws Exception;
}
