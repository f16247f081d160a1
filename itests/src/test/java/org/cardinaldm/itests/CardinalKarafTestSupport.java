package org.cardinaldm.itests;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Base of Cardinal's Pax Exam tests: boots the real distribution (the {@code cardinal} tar.gz that
 * the build just made, as a {@code file:} URL) in a Karaf container, and gives tests a shell that
 * runs commands as an administrator.
 *
 * <p>Written for Cardinal rather than extending Karaf's own {@code KarafTestSupport}: that class
 * boots Apache Karaf's distribution with its management and web ports and resolves its helpers with
 * {@code versionAsInProject()}; here only what a custom assembly needs is configured, and every
 * artifact comes from the local repository or Maven Central.
 */
public abstract class CardinalKarafTestSupport {
    /**
     * How long a condition may take to become true (bundle starts, DS activation, config events).
     * Generous on purpose: CI has two cores that other builds share, and a bound is not a timing
     * assertion (the conditions are usually true within a second).
     */
    protected static final Duration PATIENCE = Duration.ofSeconds(90);

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    /** @return the container: the distribution plus what the test probe needs, as few options as possible */
    @Configuration
    public Option[] config() {
        String distribution = required("cardinal.distribution");
        String karafVersion = required("cardinal.karaf.version");
        String localRepository = required("org.ops4j.pax.url.mvn.localRepository");
        String central = System.getProperty("org.ops4j.pax.url.mvn.repositories", "https://repo1.maven.org/maven2@id=central");
        Option[] base = {
            karafDistributionConfiguration()
                    .frameworkUrl(new File(distribution).toURI().toString())
                    .karafVersion(karafVersion)
                    .name("Cardinal")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            keepRuntimeFolder(),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.WARN),
            // the container resolves Pax Exam's own feature from the same places as the build
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepository),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", central),
            // never clash with a Cardinal an engineer runs on this machine
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", "8199"),
            mavenBundle("org.hamcrest", "hamcrest", required("cardinal.hamcrest.version")),
            mavenBundle("org.awaitility", "awaitility", required("cardinal.awaitility.version")),
            java17Options(karafVersion),
            firstStartTls(distribution),
        };
        Option[] extra = containerOptions();
        Option[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    /** @return options a test class adds (configuration files and the like); none by default */
    protected Option[] containerOptions() {
        return new Option[0];
    }

    /**
     * What {@code bin/setenv} does on a real first start and Pax Exam skips (it starts Karaf's JVM itself): the
     * distribution's {@code bin/first-start-tls} makes the HTTPS keystore, the device's trust store and the two
     * configuration files that switch HTTPS on (127.0.0.1:8443) and make the device trust it; they are copied into
     * the container's {@code etc/}, so the all-in-one demo device reaches its server over HTTPS as in the product.
     */
    private static synchronized Option firstStartTls(String distribution) {
        if (tls == null) {
            tls = makeFirstStartTls(distribution); // once per test JVM: every container gets the same files
        }
        return tls;
    }

    /** What {@link #firstStartTls} made for this JVM's containers. */
    private static Option tls;

    private static Option makeFirstStartTls(String distribution) {
        try {
            Path etc = Files.createTempDirectory("cardinal-it-tls");
            Path tmp = Files.createTempDirectory("cardinal-it-dist");
            run(tmp, "tar", "xzf", distribution, "--wildcards", "*/etc/org.ops4j.pax.web.cfg", "*/bin/first-start-tls");
            Path home;
            try (Stream<Path> dirs = Files.list(tmp)) {
                home = dirs.findFirst().orElseThrow(() -> new IOException("empty " + distribution));
            }
            Path web = etc.resolve("org.ops4j.pax.web.cfg");
            Files.copy(home.resolve("etc/org.ops4j.pax.web.cfg"), web);
            java.util.Properties before = properties(web);
            run(tmp, "sh", home.resolve("bin/first-start-tls").toString(), etc.toString());
            List<Option> files = new java.util.ArrayList<>();
            for (String f : List.of("cardinal-tls.p12", "cardinal-tls-trust.p12", "org.cardinaldm.transport.http.client.cfg")) {
                if (!Files.isRegularFile(etc.resolve(f))) {
                    throw new IOException("bin/first-start-tls made no " + f);
                }
                files.add(replaceConfigurationFile("etc/" + f, etc.resolve(f).toFile()));
            }
            // the keys the script set, as edits, so that a test class's own edits of that file still apply
            java.util.Properties after = properties(web);
            for (String key : after.stringPropertyNames()) {
                if (!after.getProperty(key).equals(before.getProperty(key))) {
                    files.add(editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", key, after.getProperty(key)));
                }
            }
            return composite(files.toArray(new Option[0]));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare HTTPS for the container", e);
        }
    }

    private static java.util.Properties properties(Path file) throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(r);
        }
        return p;
    }

    private static void run(Path dir, String... command) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            Process p = b.start();
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * The JVM options Karaf's own scripts and integration tests use on Java 9+. Without them the
     * container still runs, but logs a NoClassDefFoundError for the spec locator on every bundle
     * event (XML and JAXB provider lookup is broken).
     */
    private static Option java17Options(String karafVersion) {
        return composite(
                new VMOption("--add-reads=java.xml=java.logging"),
                new VMOption("--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED"),
                new VMOption("--patch-module"),
                new VMOption("java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar"),
                new VMOption("--patch-module"),
                new VMOption("java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar"),
                new VMOption("--add-opens"), new VMOption("java.base/java.security=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.base/java.net=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.base/java.lang=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.base/java.util=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.naming/javax.naming.spi=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED"),
                new VMOption("--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED"),
                new VMOption("--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"),
                new VMOption("-classpath"),
                new VMOption("lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*" + File.pathSeparator + "lib/endorsed/*"));
    }

    private static String required(String property) {
        return Objects.requireNonNull(System.getProperty(property),
                "System property " + property + " is not set (run the tests through Maven Failsafe)");
    }

    /** @return Awaitility, waiting at most {@link #PATIENCE} */
    protected static ConditionFactory await() {
        return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100));
    }

    /**
     * Runs a shell command as an administrator (the roles of Cardinal's generated admin user), the
     * way an operator's session would.
     *
     * @param command a command line, e.g. {@code dm:ls .}
     * @return what it printed, followed by its own result; a refused command yields the one line
     *     Karaf prints for it (for Cardinal's commands: the SyncML status line)
     */
    protected String executeCommand(String command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
            try {
                Object result = Subject.doAs(admin(), (PrivilegedExceptionAction<Object>) () -> session.execute(command));
                if (result != null) {
                    out.println(result);
                }
            } catch (Exception e) {
                Throwable t = e instanceof java.security.PrivilegedActionException ? e.getCause() : e;
                out.println(niceHelp(t));
            } finally {
                session.close();
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** What Karaf's console prints for a failed command: a CommandException's nice help, else the message. */
    private static String niceHelp(Throwable t) {
        try {
            return (String) t.getClass().getMethod("getNiceHelp").invoke(t);
        } catch (ReflectiveOperationException notACommandException) {
            return "Error executing command: " + t;
        }
    }

    private static Subject admin() {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("admin"));
        for (String role : new String[] {"admin", "manager", "viewer", "systembundles", "ssh"}) {
            subject.getPrincipals().add(new RolePrincipal(role));
        }
        return subject;
    }

    /**
     * @param symbolicName a Bundle-SymbolicName
     * @return the installed bundle with that name, if any
     */
    protected Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    /**
     * @param containing the text to look for, e.g. {@code "| ERROR "} or a secret
     * @return the lines of the container's {@code karaf.log} that contain it (none when there is no log yet)
     * @throws IOException when the log cannot be read
     */
    protected static List<String> logLines(String containing) throws IOException {
        Path log = Paths.get(System.getProperty("karaf.log"), "karaf.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(containing)).collect(Collectors.toList());
        }
    }
}
