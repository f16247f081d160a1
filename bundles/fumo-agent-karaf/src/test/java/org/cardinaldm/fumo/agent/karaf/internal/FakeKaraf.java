package org.cardinaldm.fumo.agent.karaf.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Version;

/**
 * A simulated Karaf: registered repositories (read with the agent's own reader), installed features (one version
 * per name, as after Upgrade), and hooks that fail or "crash" at a chosen call. A crash is an {@link Error}: the
 * agent does not catch it, as a JVM that dies runs no cleanup; the state file and this Karaf stay as they were.
 */
final class FakeKaraf implements FeatureRuntime {
    /** The JVM died here. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash(String where) {
            super("crash in " + where);
        }
    }

    final Map<URI, List<FeaturesXml.Feature>> repositories = new LinkedHashMap<>();
    final Map<String, String> installed = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    String crashIn = "";
    String failIn = "";
    boolean crashAfterSwitch;

    private void hook(String call) throws Exception {
        calls.add(call);
        if (call.startsWith(crashIn) && !crashIn.isEmpty()) {
            crashIn = "";
            throw new Crash(call);
        }
        if (call.startsWith(failIn) && !failIn.isEmpty()) {
            throw new IllegalStateException("Karaf refused: " + call);
        }
    }

    @Override
    public Optional<String> installedVersion(String name) {
        return Optional.ofNullable(installed.get(name));
    }

    @Override
    public boolean isInstalled(String name, String version) throws Exception {
        hook("isInstalled " + name);
        return installed.containsKey(name) && KarafFeatureRuntime.matches(version, installed.get(name));
    }

    private Optional<Map.Entry<URI, FeaturesXml.Feature>> find(String name, String version) {
        for (var r : repositories.entrySet()) {
            for (FeaturesXml.Feature f : r.getValue()) {
                if (f.name().equals(name)
                        && Version.parseVersion(f.version()).equals(Version.parseVersion(version))) {
                    return Optional.of(Map.entry(r.getKey(), f));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean isAvailable(String name, String version) {
        return find(name, version).isPresent();
    }

    @Override
    public Optional<URI> repositoryOf(String name, String version) {
        return find(name, version).map(Map.Entry::getKey);
    }

    @Override
    public void addRepository(URI uri) throws Exception {
        hook("addRepository " + uri);
        repositories.put(uri, FeaturesXml.read(Path.of(uri)).orElseThrow());
    }

    @Override
    public boolean removeRepositoryIfUnused(URI uri) throws Exception {
        hook("removeRepository " + uri);
        List<FeaturesXml.Feature> fs = repositories.getOrDefault(uri, List.of());
        for (FeaturesXml.Feature f : fs) {
            if (f.version().equals(installed.get(f.name()))) {
                return false;
            }
        }
        repositories.remove(uri);
        return true;
    }

    @Override
    public void switchTo(String name, String version) throws Exception {
        hook("switchTo " + name + " " + version);
        if (!isAvailable(name, version)) {
            throw new IllegalStateException("No matching features for " + name + "/" + version);
        }
        installed.put(name, find(name, version).orElseThrow().getValue().version());
        if (crashAfterSwitch) {
            crashAfterSwitch = false;
            throw new Crash("after switchTo");
        }
    }

    @Override
    public void uninstall(String name, String version) throws Exception {
        hook("uninstall " + name + " " + version);
        installed.remove(name);
    }

    @Override
    public List<String> bundleLocations(String name, String version) {
        return find(name, version).map(e -> e.getValue().bundles()).orElse(List.of());
    }
}
