package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cardinaldm.testing.osgi.FelixHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

/**
 * The server bundles as an OSGi runtime wires them: plain Felix with SCR (the test kit's harness), the OSGi JDBC
 * service API, H2 (which registers its DataSourceFactory), HikariCP, syncml, dm-server and this bundle. Proves that the
 * manifests resolve, the components activate with their default configuration on the embedded H2 file, and a
 * SyncML message is answered.
 */
class OsgiWiringIT {
    private FelixHarness felix;
    private Path data;

    @BeforeEach
    void start() throws Exception {
        data = Files.createTempDirectory(Path.of("target"), "karaf-data");
        System.setProperty("karaf.data", data.toAbsolutePath().toString());
        System.setProperty("karaf.etc", data.resolve("etc").toAbsolutePath().toString());
        felix = FelixHarness.builder().storage(data.resolve("felix"))
                .bundlesOnClassPath("org.osgi.service.jdbc", "slf4j-api", "slf4j-simple", "h2", "HikariCP", "syncml",
                        "dm-server")
                .bundleUnderTest().start();
    }

    @AfterEach
    void stop() throws Exception {
        felix.close();
        System.clearProperty("karaf.data");
        System.clearProperty("karaf.etc");
    }

    private Object service(String name) {
        Object s = felix.service(name);
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

        Bundle jdbc = felix.bundle("org.cardinaldm.server.jdbc");
        assertThat(jdbc).isEqualTo(felix.bundleUnderTest());
        jdbc.stop();
        assertThat(felix.context().getServiceReference("org.cardinaldm.server.api.DeviceManager"))
                .as("the server goes away with its registry").isNull();
        jdbc.start();
        Object again = service("org.cardinaldm.server.api.DeviceManager");
        assertThat((List<?>) again.getClass().getMethod("devices").invoke(again)).hasSize(1);
    }
}
