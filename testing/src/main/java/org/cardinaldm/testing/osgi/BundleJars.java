package org.cardinaldm.testing.osgi;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * Finds the jars a {@link FelixHarness} installs: the module's own packaged bundle, bundles on the test class path
 * (by artifactId, or by a class they hold), and bundles in the local Maven repository (by coordinates).
 *
 * <p>Every method fails with an {@link IllegalStateException} that says what was looked for and where, never with
 * a null.
 */
public final class BundleJars {
    /** The system property, set by the module's failsafe configuration, that names the packaged bundle. */
    public static final String UNDER_TEST_PROPERTY = "bundle.under.test";

    private BundleJars() {
    }

    /**
     * The module's own packaged bundle, {@code target/<finalName>.jar}, named by the system property {@value
     * #UNDER_TEST_PROPERTY} which the module's failsafe {@code systemPropertyVariables} set:
     * {@code <bundle.under.test>${project.build.directory}/${project.build.finalName}.jar</bundle.under.test>}.
     *
     * @return the jar
     * @throws IllegalStateException when the property is not set or names no file (run through failsafe, after
     *                               {@code package})
     */
    public static Path underTest() {
        String self = System.getProperty(UNDER_TEST_PROPERTY);
        if (self == null || self.isBlank()) {
            throw new IllegalStateException("the system property " + UNDER_TEST_PROPERTY + " (the packaged bundle under"
                    + " test) is not set: set it in the module's maven-failsafe-plugin systemPropertyVariables to"
                    + " ${project.build.directory}/${project.build.finalName}.jar and run the test with mvn verify");
        }
        Path jar = Path.of(self);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the packaged bundle under test " + jar + " does not exist (run mvn verify,"
                    + " which packages the bundle before failsafe runs)");
        }
        return jar;
    }

    /**
     * The jar on the test class path named {@code <artifactId>-<version>.jar} (no classifier), as Maven puts a
     * dependency on it: {@code onClassPath("slf4j-api")}, {@code onClassPath("dm-server")} (which does not match
     * {@code dm-server-jdbc-…} nor the {@code -tests} jar).
     *
     * @param artifactId the Maven artifactId
     * @return the jar
     * @throws IllegalStateException when no class path entry matches (the message says which dependency to add)
     */
    public static Path onClassPath(String artifactId) {
        Objects.requireNonNull(artifactId, "artifactId");
        Pattern name = Pattern.compile(Pattern.quote(artifactId) + "-\\d[\\w.]*(-SNAPSHOT)?\\.jar");
        for (String entry : classPath()) {
            if (name.matcher(new File(entry).getName()).matches()) {
                return Path.of(entry);
            }
        }
        throw new IllegalStateException("no bundle " + artifactId + "-<version>.jar on the test class path: add"
                + " the dependency on " + artifactId + " (test scope) to the module's pom");
    }

    /**
     * The jar (or class folder) that holds a class on the test class path.
     *
     * @param type a class of the bundle
     * @return the jar
     * @throws IllegalStateException when the class has no code source (a JDK class)
     */
    public static Path holding(Class<?> type) {
        Objects.requireNonNull(type, "type");
        try {
            if (type.getProtectionDomain().getCodeSource() == null) {
                throw new IllegalStateException(type.getName() + " comes from no jar (a JDK class?)");
            }
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar of " + type.getName(), e);
        }
    }

    /**
     * The jar of Maven coordinates in the local repository ({@code maven.repo.local}, else
     * {@code ~/.m2/repository}), for a bundle that is not on the test class path.
     *
     * @param groupId    the groupId
     * @param artifactId the artifactId
     * @param version    the version
     * @return the jar
     * @throws IllegalStateException when the local repository does not hold it (the message names the path)
     */
    public static Path maven(String groupId, String artifactId, String version) {
        String repo = System.getProperty("maven.repo.local");
        Path root = repo != null && !repo.isBlank() ? Path.of(repo)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path jar = root.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
                .resolve(artifactId + "-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + groupId + ":" + artifactId + ":" + version + " in the local"
                    + " repository (" + jar + "): add it as a test dependency, so that Maven fetches it");
        }
        return jar;
    }

    /**
     * The version at which a bundle on the test class path exports a package (its {@code Export-Package} header), so
     * that the system bundle can export the test's copy at the same version ({@link
     * FelixHarness.Builder#systemPackagesOf(String...)}).
     *
     * @param packageName e.g. {@code org.cardinaldm.api}
     * @return the version, {@code 0.0.0} when the header gives none
     * @throws IllegalStateException when no jar on the class path exports it
     */
    public static String exportedVersion(String packageName) {
        for (String entry : classPath()) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            String header;
            try (JarFile jar = new JarFile(entry)) {
                Manifest manifest = jar.getManifest();
                header = manifest == null ? null : manifest.getMainAttributes().getValue("Export-Package");
            } catch (IOException e) {
                continue;
            }
            if (header == null) {
                continue;
            }
            for (String clause : split(header, ',')) {
                List<String> parts = split(clause, ';');
                String version = "0.0.0";
                boolean named = false;
                for (String part : parts) {
                    String p = part.trim();
                    if (p.equals(packageName)) {
                        named = true;
                    } else if (p.startsWith("version=")) {
                        version = p.substring("version=".length()).replace("\"", "").trim();
                    }
                }
                if (named) {
                    return version;
                }
            }
        }
        throw new IllegalStateException("no jar on the test class path exports the package " + packageName
                + ": add the dependency that holds it to the module's pom");
    }

    /** Splits an OSGi manifest header at a separator outside quotes. */
    private static List<String> split(String header, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }

    private static List<String> classPath() {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                out.add(entry);
            }
        }
        return out;
    }
}
