package org.cardinaldm.testing.osgi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.opentest4j.AssertionFailedError;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * An embedded Apache Felix framework with Declarative Services (Felix SCR) for a bundle's wiring test: the
 * packaged bundle and its neighbours installed from jars, real resolution, real SCR.
 *
 * <pre>{@code
 * try (FelixHarness felix = FelixHarness.builder().slf4j().bundle(BundleJars.onClassPath("dm-api"))
 *         .bundleUnderTest().start()) {
 *     Object plugin = felix.service("org.cardinaldm.api.spi.mo.ManagementObjectPlugin", "(dm.mo.root=./DiagMon)");
 *     …
 * }
 * }</pre>
 *
 * <p>{@link Builder#start()} starts the framework in a fresh storage folder (under {@code target/}, deleted again
 * by {@link #close()}), installs SCR and its three OSGi API bundles (taken from the test class path, where the
 * test kit puts them) and then the given bundles, and starts every bundle that is not a fragment. A bundle that
 * does not resolve fails the start with Felix's message, which names the missing requirement. Services are waited
 * for with a bounded timeout ({@link Builder#timeout(Duration)}, 20 s by default); when one does not come, the
 * failure says which bundles are not active and which SCR components are not satisfied, and why.
 *
 * <p>The test and the framework share classes only through the system bundle: packages named with {@link
 * Builder#systemPackagesOf(String...)} are exported by it from the test's class path (so the test can call the
 * services through their types, and register its own fakes); everything else lives in the framework's class space
 * and is called reflectively ({@link #service(String, String)} returns an {@code Object}).
 *
 * <p>Not thread-safe: one test thread uses one harness. {@link FelixExtension} starts and stops one per test or per
 * class.
 */
public final class FelixHarness implements AutoCloseable {
    /** SCR and the OSGi APIs it needs (SCR 2.2 does not embed them), by artifactId, in install order. */
    private static final List<String> SCR = List.of("org.osgi.util.function", "org.osgi.util.promise",
            "org.osgi.service.component", "org.apache.felix.scr");
    private static final String SCR_RUNTIME = "org.osgi.service.component.runtime.ServiceComponentRuntime";
    private static final String CONFIG_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";

    private final Framework framework;
    private final Path storage;
    private final boolean ownStorage;
    private final Duration timeout;
    private final Bundle underTest;
    private final boolean scr;
    private boolean closed;

    private FelixHarness(Framework framework, Path storage, boolean ownStorage, Duration timeout, Bundle underTest,
            boolean scr) {
        this.framework = framework;
        this.storage = storage;
        this.ownStorage = ownStorage;
        this.timeout = timeout;
        this.underTest = underTest;
        this.scr = scr;
    }

    /**
     * A new builder: Felix, SCR, nothing else yet.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The system bundle's context: install bundles, register the test's own services, look services up.
     *
     * @return the context
     */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * The framework itself.
     *
     * @return the framework
     */
    public Framework framework() {
        return framework;
    }

    /**
     * The bundle installed from {@link BundleJars#underTest()} by {@link Builder#bundleUnderTest()}.
     *
     * @return the bundle
     * @throws IllegalStateException when the builder was not given the bundle under test
     */
    public Bundle bundleUnderTest() {
        if (underTest == null) {
            throw new IllegalStateException("the harness was built without bundleUnderTest()");
        }
        return underTest;
    }

    /**
     * The installed bundle of a symbolic name.
     *
     * @param symbolicName e.g. {@code org.cardinaldm.tree}
     * @return the bundle
     * @throws AssertionFailedError when no installed bundle has that name (the message lists the installed ones)
     */
    public Bundle bundle(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionFailedError("no bundle " + symbolicName + " installed; installed: " + symbolicNames());
    }

    /**
     * The symbolic names of all installed bundles, the system bundle's ({@code org.apache.felix.framework}) first.
     *
     * @return the names
     */
    public List<String> symbolicNames() {
        return Stream.of(context().getBundles()).map(Bundle::getSymbolicName).toList();
    }

    /**
     * Installs (does not start) a bundle from a jar.
     *
     * @param jar the jar
     * @return the bundle
     * @throws BundleException when Felix refuses it
     */
    public Bundle install(Path jar) throws BundleException {
        return context().installBundle(jar.toUri().toString());
    }

    /**
     * Installs (does not start) a bundle from bytes, e.g. a {@link TestBundle}.
     *
     * @param location its location, e.g. {@code test:acme}
     * @param jar      the jar's bytes
     * @return the bundle
     * @throws BundleException when Felix refuses it
     */
    public Bundle install(String location, byte[] jar) throws BundleException {
        return context().installBundle(location, new ByteArrayInputStream(jar));
    }

    /**
     * Waits for a service whose type the test shares with the framework (a JDK type, or a package of {@link
     * Builder#systemPackagesOf(String...)}), gets it and holds it until {@link #close()}.
     *
     * @param type the service type
     * @param <T>  the type
     * @return the service
     * @throws AssertionFailedError when none comes within the timeout, with a diagnosis
     */
    public <T> T service(Class<T> type) {
        return service(type, null);
    }

    /**
     * Waits for a service of a shared type that matches a filter, gets it and holds it until {@link #close()}.
     *
     * @param type   the service type
     * @param filter an LDAP filter on its properties, e.g. {@code (dm.credential.source=card)}, or null
     * @param <T>    the type
     * @return the service
     * @throws AssertionFailedError when none comes within the timeout, or when it is another class space's type
     */
    public <T> T service(Class<T> type, String filter) {
        ServiceReference<?> ref = reference(type.getName(), filter);
        Object service = service(ref);
        if (!type.isInstance(service)) {
            throw new AssertionFailedError("the service " + type.getName() + " of bundle " + ref.getBundle()
                    .getSymbolicName() + " is another class space's type: export its package from the system bundle"
                    + " with systemPackagesOf(…), or call it reflectively through service(String, String)");
        }
        return type.cast(service);
    }

    /**
     * Waits for a service by class name, whatever class space its type lives in, gets it and holds it until {@link
     * #close()}; the test calls it reflectively.
     *
     * @param objectClass the service's class name
     * @return the service
     * @throws AssertionFailedError when none comes within the timeout, with a diagnosis
     */
    public Object service(String objectClass) {
        return service(objectClass, null);
    }

    /**
     * Waits for a service by class name and filter, gets it and holds it until {@link #close()}.
     *
     * @param objectClass the service's class name
     * @param filter      an LDAP filter on its properties, or null
     * @return the service
     * @throws AssertionFailedError when none comes within the timeout, with a diagnosis
     */
    public Object service(String objectClass, String filter) {
        return service(reference(objectClass, filter));
    }

    /**
     * Gets the service of a reference and holds it until {@link #close()}.
     *
     * @param ref the reference
     * @param <T> its type
     * @return the service
     * @throws AssertionFailedError when the service went away
     */
    public <T> T service(ServiceReference<T> ref) {
        T service = context().getService(ref);
        if (service == null) {
            throw new AssertionFailedError("the service " + ref + " went away (or its factory failed); " + diagnosis());
        }
        return service;
    }

    /**
     * Waits for the reference of a service by class name and filter (its properties, its bundle).
     *
     * @param objectClass the service's class name
     * @param filter      an LDAP filter on its properties, or null
     * @return the reference with the highest ranking
     * @throws AssertionFailedError when none comes within the timeout, with a diagnosis
     */
    public ServiceReference<?> reference(String objectClass, String filter) {
        String ldap = filter == null || filter.isBlank() ? "(objectClass=" + objectClass + ")"
                : "(&(objectClass=" + objectClass + ")" + filter + ")";
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context(), context().createFilter(ldap), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("not an LDAP filter: " + ldap, e);
        }
        tracker.open(true);
        try {
            if (tracker.waitForService(timeout.toMillis()) == null) {
                throw new AssertionFailedError("no service " + ldap + " within " + timeout.toMillis() + " ms; "
                        + diagnosis());
            }
            return tracker.getServiceReference();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("interrupted while waiting for " + ldap);
        } finally {
            tracker.close();
        }
    }

    /**
     * Sets a configuration through Configuration Admin (started with {@link Builder#configAdmin()}); SCR then
     * (re)activates the components of that PID.
     *
     * @param pid        the configuration PID, e.g. {@code org.cardinaldm.tree}
     * @param properties its properties
     */
    public void configure(String pid, Map<String, ?> properties) {
        update(configAdmin("getConfiguration", new Class<?>[] {String.class, String.class}, pid, "?"), properties);
    }

    /**
     * Creates or updates a named factory configuration through Configuration Admin (Configuration Admin 1.6).
     *
     * @param factoryPid the factory PID, e.g. {@code org.cardinaldm.smartcard.pcsc}
     * @param name       the instance name, e.g. {@code reader1}
     * @param properties its properties
     */
    public void configureFactory(String factoryPid, String name, Map<String, ?> properties) {
        update(configAdmin("getFactoryConfiguration", new Class<?>[] {String.class, String.class, String.class},
                factoryPid, name, "?"), properties);
    }

    private Object configAdmin(String method, Class<?>[] types, Object... args) {
        ServiceReference<?> ref = reference(CONFIG_ADMIN, null);
        try {
            Class<?> api = ref.getBundle().loadClass(CONFIG_ADMIN);
            return api.getMethod(method, types).invoke(service(ref), args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Configuration Admin refused " + method + ": " + cause(e), e);
        }
    }

    private static void update(Object configuration, Map<String, ?> properties) {
        try {
            Class<?> api = configuration.getClass().getClassLoader().loadClass("org.osgi.service.cm.Configuration");
            api.getMethod("update", java.util.Dictionary.class).invoke(configuration, new Hashtable<>(properties));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Configuration Admin refused the update: " + cause(e), e);
        }
    }

    private static Throwable cause(ReflectiveOperationException e) {
        return e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
    }

    /**
     * What is not running and why: bundles that are not active (fragments aside), and SCR components that are not
     * active or satisfied, with their unsatisfied references, missing configuration or activation failure (not asked
     * of a framework started {@link Builder#withoutScr()}). Used in the harness's failure messages; a test may print
     * it too.
     *
     * @return one line per finding, or "all bundles active, all components satisfied"
     */
    public String diagnosis() {
        List<String> lines = new ArrayList<>();
        for (Bundle b : context().getBundles()) {
            if (b.getState() != Bundle.ACTIVE && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                lines.add("bundle " + b.getSymbolicName() + " [" + b.getBundleId() + "] is " + state(b.getState()));
            }
        }
        if (scr) {
            lines.addAll(components());
        }
        return lines.isEmpty() ? "all bundles active, all components satisfied" : String.join("; ", lines);
    }

    private List<String> components() {
        ServiceReference<?>[] refs;
        try {
            refs = context().getAllServiceReferences(SCR_RUNTIME, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (refs == null) {
            return List.of("SCR is not running (no " + SCR_RUNTIME + ")");
        }
        ServiceReference<?> ref = refs[0];
        List<String> out = new ArrayList<>();
        Object scr = context().getService(ref);
        try {
            Class<?> api = ref.getBundle().loadClass(SCR_RUNTIME);
            Class<?> descType = ref.getBundle().loadClass("org.osgi.service.component.runtime.dto."
                    + "ComponentDescriptionDTO");
            Object descs = api.getMethod("getComponentDescriptionDTOs", Bundle[].class).invoke(scr,
                    (Object) new Bundle[0]);
            for (Object desc : (Collection<?>) descs) {
                String name = field(desc, "name") + " (bundle " + field(field(desc, "bundle"), "symbolicName") + ")";
                if (!(Boolean) api.getMethod("isComponentEnabled", descType).invoke(scr, desc)) {
                    out.add("component " + name + " is disabled");
                    continue;
                }
                Collection<?> configs = (Collection<?>) api.getMethod("getComponentConfigurationDTOs", descType)
                        .invoke(scr, desc);
                if (configs.isEmpty()) {
                    out.add("component " + name + " has no configuration (configuration policy "
                            + field(desc, "configurationPolicy") + ")");
                }
                for (Object config : configs) {
                    component(name, config).ifPresent(out::add);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            out.add("SCR cannot be asked: " + e);
        } finally {
            context().ungetService(ref);
        }
        return out;
    }

    private static Optional<String> component(String name, Object config) throws ReflectiveOperationException {
        int state = (Integer) field(config, "state");
        return switch (state) {
            case 1 -> Optional.of("component " + name + " waits for its configuration");
            case 2 -> {
                List<String> refs = new ArrayList<>();
                Object unsatisfied = field(config, "unsatisfiedReferences");
                for (int i = 0; i < Array.getLength(unsatisfied); i++) {
                    Object u = Array.get(unsatisfied, i);
                    Object target = field(u, "target");
                    refs.add(field(u, "name") + (target == null ? "" : " " + target));
                }
                yield Optional.of("component " + name + " has unsatisfied references " + refs);
            }
            case 16 -> Optional.of("component " + name + " failed to activate: " + field(config, "failure"));
            default -> Optional.empty();
        };
    }

    private static Object field(Object dto, String name) throws ReflectiveOperationException {
        return dto.getClass().getField(name).get(dto);
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "ACTIVE";
        };
    }

    /**
     * Stops the framework (waiting up to the timeout) and deletes the storage folder the harness made. Calling it
     * again does nothing.
     */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            framework.stop();
            framework.waitForStop(timeout.toMillis());
        } finally {
            if (ownStorage) {
                delete(storage);
            }
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the framework storage " + dir, e);
        }
    }

    /**
     * What to start: framework properties, system packages and bundles. A builder can be started more than once
     * (each {@link #start()} makes a new framework in a new storage folder unless {@link #storage(Path)} is set).
     */
    public static final class Builder {
        private final Set<String> systemPackages = new LinkedHashSet<>();
        private final Map<String, String> properties = new HashMap<>();
        private final List<Path> bundles = new ArrayList<>();
        private Path storage;
        private Duration timeout = Duration.ofSeconds(20);
        private boolean underTest;
        private boolean scr = true;

        private Builder() {
        }

        /**
         * Starts a bare framework: no SCR and none of its API bundles, only the system bundle and the bundles given
         * here. For unit tests of code that works on the framework itself (bundle events, the installed bundles), where
         * SCR's bundles would be in the way; {@link FelixHarness#diagnosis()} then reports bundles only.
         *
         * @return this
         */
        public Builder withoutScr() {
            scr = false;
            return this;
        }

        /**
         * Packages the system bundle exports from the test's class path ({@code
         * org.osgi.framework.system.packages.extra}), so that the test and the bundles share their classes.
         *
         * @param clauses export clauses with their version, e.g. {@code org.cardinaldm.api;version=1.1.0}
         * @return this
         */
        public Builder systemPackages(String... clauses) {
            systemPackages.addAll(List.of(clauses));
            return this;
        }

        /**
         * Packages the system bundle exports from the test's class path at the version their bundle on the class
         * path exports them ({@link BundleJars#exportedVersion(String)}), so that no test hard-codes a package
         * version: {@code systemPackagesOf("org.cardinaldm.api", "org.slf4j")}.
         *
         * @param packageNames the packages
         * @return this
         * @throws IllegalStateException when no jar on the class path exports one of them
         */
        public Builder systemPackagesOf(String... packageNames) {
            for (String p : packageNames) {
                systemPackages.add(p + ";version=" + BundleJars.exportedVersion(p));
            }
            return this;
        }

        /**
         * Sets a framework launch property.
         *
         * @param key   the property, e.g. {@code org.osgi.framework.bootdelegation}
         * @param value its value
         * @return this
         */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Adds bundles, installed after SCR in this order.
         *
         * @param jars the jars (see {@link BundleJars})
         * @return this
         */
        public Builder bundles(Path... jars) {
            bundles.addAll(List.of(jars));
            return this;
        }

        /**
         * Adds bundles from the test class path by artifactId ({@link BundleJars#onClassPath(String)}).
         *
         * @param artifactIds e.g. {@code "dm-api", "syncml"}
         * @return this
         */
        public Builder bundlesOnClassPath(String... artifactIds) {
            for (String a : artifactIds) {
                bundles.add(BundleJars.onClassPath(a));
            }
            return this;
        }

        /**
         * Adds SLF4J 1.7's API bundle and its simple binding (a fragment) from the test class path.
         *
         * @return this
         */
        public Builder slf4j() {
            return bundlesOnClassPath("slf4j-api", "slf4j-simple");
        }

        /**
         * Adds Felix Configuration Admin from the test class path (the test kit puts it there), for {@link
         * #configure(String, Map)}.
         *
         * @return this
         */
        public Builder configAdmin() {
            return bundlesOnClassPath("org.apache.felix.configadmin");
        }

        /**
         * Adds the module's packaged bundle ({@link BundleJars#underTest()}), installed last, returned by {@link
         * FelixHarness#bundleUnderTest()}.
         *
         * @return this
         */
        public Builder bundleUnderTest() {
            underTest = true;
            return this;
        }

        /**
         * Uses this folder for the framework's storage (cleaned on start, kept on close) instead of a fresh one
         * under {@code target/}.
         *
         * @param dir the folder
         * @return this
         */
        public Builder storage(Path dir) {
            storage = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * How long to wait for a service, and for the framework to stop.
         *
         * @param wait the bound (20 s by default)
         * @return this
         */
        public Builder timeout(Duration wait) {
            timeout = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /**
         * Starts the framework, installs SCR (unless {@link #withoutScr()}) and the bundles, and starts every bundle that is not a fragment.
         *
         * @return the running harness; close it
         * @throws IllegalStateException when a jar is missing or a bundle does not resolve or start (the message
         *                               names the bundle and Felix's reason, e.g. the missing requirement)
         * @throws Exception             when the framework itself does not start
         */
        public FelixHarness start() throws Exception {
            List<Path> jars = new ArrayList<>();
            if (scr) {
                for (String a : SCR) {
                    jars.add(BundleJars.onClassPath(a));
                }
            }
            jars.addAll(bundles);
            Path self = underTest ? BundleJars.underTest() : null;
            boolean own = storage == null;
            Path dir = own ? Files.createTempDirectory(Files.createDirectories(Path.of("target")), "felix-") : storage;
            Map<String, String> props = new HashMap<>(properties);
            props.put(Constants.FRAMEWORK_STORAGE, dir.toAbsolutePath().toString());
            props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            if (!systemPackages.isEmpty()) {
                props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, String.join(",", systemPackages));
            }
            Framework framework = new FrameworkFactory().newFramework(props);
            framework.start();
            FelixHarness harness = null;
            try {
                List<Bundle> installed = new ArrayList<>();
                List<Path> from = new ArrayList<>(jars);
                for (Path jar : jars) {
                    installed.add(framework.getBundleContext().installBundle(jar.toUri().toString()));
                }
                Bundle tested = null;
                if (self != null) {
                    tested = framework.getBundleContext().installBundle(self.toUri().toString());
                    installed.add(tested);
                    from.add(self);
                }
                harness = new FelixHarness(framework, dir, own, timeout, tested, scr);
                for (int i = 0; i < installed.size(); i++) {
                    startBundle(installed.get(i), from.get(i));
                }
                return harness;
            } catch (Exception | Error e) {
                if (harness != null) {
                    harness.close();
                } else {
                    framework.stop();
                    framework.waitForStop(timeout.toMillis());
                    if (own) {
                        delete(dir);
                    }
                }
                throw e;
            }
        }

        private static void startBundle(Bundle b, Path jar) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                return;
            }
            try {
                b.start();
            } catch (BundleException e) {
                String what = b.getState() == Bundle.INSTALLED ? "does not resolve" : "does not start";
                throw new IllegalStateException("bundle " + b.getSymbolicName() + " " + b.getVersion() + " ("
                        + jar.getFileName() + ") " + what + ": " + e.getMessage(), e);
            }
        }
    }
}
