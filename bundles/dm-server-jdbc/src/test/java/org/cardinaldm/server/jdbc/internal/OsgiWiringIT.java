package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The server bundles as an OSGi runtime wires them: plain Felix with SCR, the OSGi JDBC service API,
 * H2 (which registers its DataSourceFactory), syncml, dm-server and this bundle. Proves that the
 * manifests resolve, the components activate with their default configuration on the embedded H2
 * file, and a SyncML message is answered.
 */
class OsgiWiringIT {
    private static final List<Pattern> BUNDLES = List.of(Pattern.compile("org\\.osgi\\.service\\.component-1\\.5.*\\.jar"),
            Pattern.compile("org\\.osgi\\.util\\.promise-1\\.3.*\\.jar"),
            Pattern.compile("org\\.osgi\\.util\\.function-1\\.2.*\\.jar"),
            Pattern.compile("org\\.apache\\.felix\\.scr-.*\\.jar"), Pattern.compile("org\\.osgi\\.service\\.jdbc-.*\\.jar"),
            Pattern.compile("slf4j-api-.*\\.jar"), Pattern.compile("slf4j-simple-.*\\.jar"),
            Pattern.compile("h2-2.*\\.jar"), Pattern.compile("syncml-.*\\.jar"), Pattern.compile("dm-server-0[^-]*-SNAPSHOT\\.jar|dm-server-0\\.[0-9.]*\\.jar"));

    private Framework framework;
    private Path data;

    @BeforeEach
    void start() throws Exception {
        data = Files.createTempDirectory(Path.of("target"), "karaf-data");
        System.setProperty("karaf.data", data.toAbsolutePath().toString());
        System.setProperty("karaf.etc", data.resolve("etc").toAbsolutePath().toString());
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, data.resolve("felix").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        framework = new FrameworkFactory().newFramework(props);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (String jar : jars()) {
            installed.add(ctx.installBundle(new File(jar).toURI().toString()));
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
    }

    private static List<String> jars() {
        List<String> out = new ArrayList<>();
        String[] cp = System.getProperty("java.class.path").split(File.pathSeparator);
        for (Pattern p : BUNDLES) {
            String found = null;
            for (String entry : cp) {
                if (p.matcher(new File(entry).getName()).matches()) {
                    found = entry;
                }
            }
            assertThat(found).as("bundle " + p + " on the test class path").isNotNull();
            out.add(found);
        }
        String self = System.getProperty("bundle.under.test");
        assertThat(self).as("the packaged dm-server-jdbc bundle").isNotNull();
        out.add(self);
        return out;
    }

    @AfterEach
    void stop() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
        System.clearProperty("karaf.data");
        System.clearProperty("karaf.etc");
    }

    private Object service(String name) throws Exception {
        ServiceTracker<Object, Object> t = new ServiceTracker<>(framework.getBundleContext(), name, null);
        t.open(true);
        Object s = t.waitForService(20_000);
        assertThat(s).as(name + " registered").isNotNull();
        return s;
    }

    @Test
    void the_server_runs_on_the_embedded_h2_registry_and_answers_a_message() throws Exception {
        Object deviceManager = service("org.cardinaldm.server.api.DeviceManager");
        service("org.cardinaldm.server.api.JobManager");
        service("org.cardinaldm.server.api.NotificationManager");
        Object endpoint = service("org.cardinaldm.server.api.transport.ServerEndpoint");
        assertThat((List<?>) deviceManager.getClass().getMethod("devices").invoke(deviceManager)).isEmpty();
        assertThat(Files.exists(data.resolve("cardinal").resolve("server-registry.mv.db"))).isTrue();
        assertThat(Files.exists(data.resolve("etc").resolve("cardinal-registry.key"))).isTrue();

        ClassLoader api = endpoint.getClass().getClassLoader();
        Class<?> inbound = api.loadClass("org.cardinaldm.server.api.transport.InboundMessage");
        String pkg1 = "<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>"
                + "<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>http://x/dm</LocURI></Target>"
                + "<Source><LocURI>IMEI:1</LocURI></Source></SyncHdr><SyncBody><Alert><CmdID>1</CmdID>"
                + "<Data>1201</Data></Alert><Final/></SyncBody></SyncML>";
        Object in = inbound.getConstructor(byte[].class, String.class, String.class, String.class, String.class,
                String.class).newInstance(pkg1.getBytes(StandardCharsets.UTF_8), "application/vnd.syncml.dm+xml", null,
                        null, "http://x/dm", "it");
        Method process = endpoint.getClass().getMethod("process", inbound);
        Object out = process.invoke(endpoint, in);
        assertThat(out.getClass().getMethod("transportStatus").invoke(out)).isEqualTo(200);
        String answer = new String((byte[]) out.getClass().getMethod("body").invoke(out), StandardCharsets.UTF_8);
        // an unregistered device is challenged
        assertThat(answer).contains("<Cmd>SyncHdr</Cmd>").contains("<Data>407</Data>").contains("syncml:auth-md5");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Test
    void a_registered_device_survives_a_restart_of_the_registry_bundle() throws Exception {
        Object deviceManager = service("org.cardinaldm.server.api.DeviceManager");
        ClassLoader api = deviceManager.getClass().getClassLoader();
        Class<?> reg = api.loadClass("org.cardinaldm.server.api.DeviceRegistration");
        Class<Enum> scheme = (Class<Enum>) api.loadClass("org.cardinaldm.server.api.AuthScheme");
        Object md5 = Enum.valueOf(scheme, "MD5");
        Object builder = reg.getMethod("builder", String.class).invoke(null, "IMEI:1");
        builder.getClass().getMethod("client", scheme, String.class, String.class).invoke(builder, md5, "IMEI:1", "pw");
        builder.getClass().getMethod("server", scheme, String.class, String.class).invoke(builder, md5, null, "spw");
        Object registration = builder.getClass().getMethod("build").invoke(builder);
        deviceManager.getClass().getMethod("register", reg).invoke(deviceManager, registration);

        Bundle jdbc = null;
        for (Bundle b : framework.getBundleContext().getBundles()) {
            if ("org.cardinaldm.server.jdbc".equals(b.getSymbolicName())) {
                jdbc = b;
            }
        }
        assertThat(jdbc).isNotNull();
        jdbc.stop();
        assertThat(framework.getBundleContext().getServiceReference("org.cardinaldm.server.api.DeviceManager"))
                .as("the server goes away with its registry").isNull();
        jdbc.start();
        Object again = service("org.cardinaldm.server.api.DeviceManager");
        assertThat((List<?>) again.getClass().getMethod("devices").invoke(again)).hasSize(1);
    }
}
