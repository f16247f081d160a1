package org.cardinaldm.mo.scomo.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.cardinaldm.mo.scomo.internal.BundleInstaller.InstallException;
import org.cardinaldm.mo.scomo.internal.KarInspector.BundleRef;
import org.cardinaldm.mo.scomo.internal.KarInspector.Dependency;
import org.cardinaldm.mo.scomo.internal.KarInspector.FeatureDef;
import org.cardinaldm.mo.scomo.internal.KarInspector.KarContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs and removes the features of verified KARs. A KAR accepted by {@link KarInspector} is not handed to
 * Karaf as it is: the bundles its features use are copied out of the verified archive into SCOMO's data area
 * ({@code kar/<repository>/repository/…}), and SCOMO writes a features repository of its own,
 * {@code kar/<repository>/features.xml}, with the same features, versions, bundles (as {@code file:} URLs of
 * those copies) and dependencies, and nothing else. Karaf therefore installs exactly the signed bytes: no Maven
 * resolution (where {@code system/} or a remote repository could supply other bytes for the same coordinates),
 * no {@code resource/} copied into the Karaf base, no configuration.
 *
 * <p>Each installed feature is a Deployed component {@code <feature>~feature}, kept in an {@link EntryStore}
 * (Name, Version, Description, Id, Kar, Repo, PkgID, Status). Removing the last feature of a KAR removes its
 * repository and files.
 */
final class KarInstaller {
    /** Suffix of the Deployed node names of features ({@code ~} never appears in a bundle's node name). */
    static final String SUFFIX = "~feature";

    private static final Logger LOG = LoggerFactory.getLogger(KarInstaller.class);

    private final Path root;
    private final EntryStore features;
    private final Supplier<FeatureDeployer> deployer;

    /** One feature installed: its Deployed node name and Karaf id. */
    record Installed(String nodeName, String featureId) {
    }

    /**
     * @param root where KARs are unpacked ({@code <data>/kar})
     * @param features the Deployed feature entries
     * @param deployer Karaf's features service, or null while there is none
     */
    KarInstaller(Path root, EntryStore features, Supplier<FeatureDeployer> deployer) {
        this.root = root;
        this.features = features;
        this.deployer = deployer;
    }

    /** @return the Deployed node name of a feature */
    static String nodeName(String featureName) {
        return featureName + SUFFIX;
    }

    /** @return whether Karaf's features service is there (else KARs answer 1413) */
    boolean available() {
        return deployer.get() != null;
    }

    /**
     * @param kar the verified archive
     * @param signedName the name of the signed manifest, which must be the features repository's name
     * @param start whether to start the features (Install, DownloadInstall) or not (…Inactive)
     * @param pkgId the PkgID, kept for the Deployed entries
     * @param only the features to install (InstallParams {@code features=}), or empty for all of the KAR's
     * @param limits the inspection bounds
     * @return the features installed, the primary one first (the one named like the repository, else the first)
     * @throws InstallException 1413 without Karaf, 1407 for a KAR that must not be installed, 1405 when a
     *         dependency is missing, a feature or KAR of that name is there already, or Karaf refuses
     */
    List<Installed> install(Path kar, String signedName, boolean start, String pkgId, List<String> only,
            KarInspector.Limits limits) throws InstallException {
        FeatureDeployer d = deployer.get();
        if (d == null) {
            throw new InstallException(ScomoCodes.UNSUPPORTED_TYPE, "KAR packages need Karaf's features service, "
                    + "which this framework does not have; only OSGi bundles are installed here");
        }
        KarContent content = KarInspector.inspect(kar, limits);
        if (!content.repositoryName().equals(signedName)) {
            throw new InstallException(ScomoCodes.VALIDATION_FAILED, "the signed manifest names '" + signedName
                    + "' but the KAR's features repository is '" + content.repositoryName() + "'");
        }
        List<FeatureDef> chosen = choose(content, only);
        checkInstallable(d, content, chosen);
        Path dir = root.resolve(content.repositoryName());
        URI repo;
        try {
            deleteTree(dir);
            repo = unpack(kar, content, dir);
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(dir);
            throw new InstallException(ScomoCodes.INSTALL_FAILED, "the KAR cannot be unpacked ("
                    + e.getClass().getSimpleName() + ")");
        }
        Set<String> ids = new LinkedHashSet<>();
        chosen.forEach(f -> ids.add(f.id()));
        try {
            d.addRepository(repo);
            d.install(ids, start);
        } catch (Exception e) {
            rollBack(d, ids, repo, dir);
            throw new InstallException(ScomoCodes.INSTALL_FAILED, "Karaf refused the features: " + shortly(e));
        }
        List<Installed> out = new ArrayList<>();
        for (FeatureDef f : chosen) {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("Name", f.name());
            e.put("Version", f.version());
            if (!f.description().isEmpty()) {
                e.put("Description", f.description());
            }
            e.put("Id", f.id());
            e.put("Kar", content.repositoryName());
            e.put("Repo", repo.toString());
            e.put("PkgID", pkgId);
            e.put("Status", String.valueOf(ScomoCodes.IDLE));
            String node = nodeName(f.name());
            features.put(node, e);
            Installed i = new Installed(node, f.id());
            if (f.name().equals(content.repositoryName())) {
                out.add(0, i);
            } else {
                out.add(i);
            }
        }
        return out;
    }

    private static List<FeatureDef> choose(KarContent content, List<String> only) throws InstallException {
        if (only.isEmpty()) {
            return content.features();
        }
        List<FeatureDef> out = new ArrayList<>();
        for (String name : only) {
            FeatureDef f = content.features().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
            if (f == null) {
                throw new InstallException(ScomoCodes.INSTALL_FAILED, "InstallParams names a feature the KAR "
                        + "does not define");
            }
            if (!out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    private void checkInstallable(FeatureDeployer d, KarContent content, List<FeatureDef> chosen)
            throws InstallException {
        for (Dependency dep : content.externalDependencies()) {
            if (!d.isInstalled(dep.name(), dep.version())) {
                throw new InstallException(ScomoCodes.INSTALL_FAILED, "a feature of the KAR needs the feature "
                        + dep.name() + ", which is not installed on the gateway (SCOMO installs nothing from "
                        + "outside the KAR)");
            }
        }
        for (String node : features.names()) {
            if (content.repositoryName().equals(features.get(node).get("Kar"))) {
                throw new InstallException(ScomoCodes.INSTALL_FAILED, "the KAR " + content.repositoryName()
                        + " is installed already; remove its features first");
            }
        }
        for (FeatureDef f : content.features()) {
            if (chosen.contains(f) && features.contains(nodeName(f.name()))) {
                throw new InstallException(ScomoCodes.INSTALL_FAILED, "a feature named " + f.name()
                        + " was installed through SCOMO from another KAR");
            }
            if (d.isInstalled(f.name(), "")) {
                throw new InstallException(ScomoCodes.INSTALL_FAILED, "a platform feature named " + f.name()
                        + " is installed; SCOMO does not replace what it did not install");
            }
        }
    }

    /** Copies the used entries out of the archive and writes SCOMO's features repository; returns its URI. */
    private static URI unpack(Path kar, KarContent content, Path dir) throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        Files.createDirectories(base);
        Map<String, URI> files = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(kar.toFile())) {
            for (String entry : content.entries()) {
                Path target = base.resolve(entry).normalize();
                if (!target.startsWith(base)) {
                    throw new IOException("entry outside the KAR folder"); // KarInspector refused it already
                }
                ZipEntry z = zip.getEntry(entry);
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(z)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                files.put(entry, target.toUri());
            }
        }
        Path xml = base.resolve("features.xml");
        Path tmp = base.resolve("features.xml.tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(repositoryXml(content, files).getBytes(StandardCharsets.UTF_8));
        }
        Files.move(tmp, xml, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return xml.toUri();
    }

    /** SCOMO's features repository: the KAR's features with their bundles as file: URLs of the verified copies. */
    static String repositoryXml(KarContent content, Map<String, URI> files) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<features xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\" name=\"")
                .append(escape(content.repositoryName())).append("\">\n");
        for (FeatureDef f : content.features()) {
            sb.append("  <feature name=\"").append(escape(f.name())).append("\" version=\"")
                    .append(escape(f.version())).append('"');
            if (!f.description().isEmpty()) {
                sb.append(" description=\"").append(escape(f.description())).append('"');
            }
            sb.append(">\n");
            for (Dependency d : f.dependencies()) {
                sb.append("    <feature");
                if (!d.version().isEmpty()) {
                    sb.append(" version=\"").append(escape(d.version())).append('"');
                }
                sb.append('>').append(escape(d.name())).append("</feature>\n");
            }
            for (BundleRef b : f.bundles()) {
                sb.append("    <bundle");
                if (b.startLevel() > 0) {
                    sb.append(" start-level=\"").append(b.startLevel()).append('"');
                }
                if (!b.start()) {
                    sb.append(" start=\"false\"");
                }
                if (b.dependency()) {
                    sb.append(" dependency=\"true\"");
                }
                sb.append('>').append(escape(files.get(b.entry()).toString())).append("</bundle>\n");
            }
            sb.append("  </feature>\n");
        }
        return sb.append("</features>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * Uninstalls a feature SCOMO installed; the last one of its KAR also takes the repository and files away.
     *
     * @param node the Deployed node name
     * @throws Exception when Karaf refuses (the entry stays)
     */
    void remove(String node) throws Exception {
        Map<String, String> e = features.get(node);
        FeatureDeployer d = deployer.get();
        if (e == null) {
            return;
        }
        if (d == null) {
            throw new IllegalStateException("Karaf's features service is gone");
        }
        d.uninstall(Set.of(e.get("Id")));
        features.remove(node);
        String kar = e.get("Kar");
        boolean last = features.names().stream().noneMatch(n -> kar.equals(features.get(n).get("Kar")));
        if (last) {
            try {
                d.removeRepository(URI.create(e.get("Repo")));
            } finally {
                deleteQuietly(root.resolve(kar));
            }
        }
    }

    /**
     * @param node the Deployed node name of a feature SCOMO installed
     * @param started Activate or Deactivate
     * @throws Exception when Karaf refuses
     */
    void setStarted(String node, boolean started) throws Exception {
        Map<String, String> e = features.get(node);
        FeatureDeployer d = deployer.get();
        if (e == null || d == null) {
            throw new IllegalStateException(e == null ? "the feature was removed" : "Karaf's features service is gone");
        }
        d.setStarted(e.get("Id"), started);
    }

    /** @return whether the feature of this Deployed node is started (false without Karaf) */
    boolean started(String featureId) {
        FeatureDeployer d = deployer.get();
        return d != null && d.state(featureId) == FeatureDeployer.State.STARTED;
    }

    private void rollBack(FeatureDeployer d, Set<String> ids, URI repo, Path dir) {
        try {
            d.uninstall(ids);
        } catch (Exception ex) {
            LOG.debug("SCOMO: nothing to uninstall after a refused KAR ({})", ex.toString());
        }
        try {
            d.removeRepository(repo);
        } catch (Exception ex) {
            LOG.debug("SCOMO: the repository of a refused KAR could not be removed ({})", ex.toString());
        }
        deleteQuietly(dir);
    }

    private static String shortly(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("[\\r\\n\\t]+", " ");
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("SCOMO: could not delete {} ({})", dir, e.toString());
        }
    }
}
