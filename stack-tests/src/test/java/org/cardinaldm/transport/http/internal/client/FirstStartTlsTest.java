package org.cardinaldm.transport.http.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cardinaldm.api.spi.transport.TransportException;
import org.cardinaldm.api.spi.transport.TransportException.Reason;
import org.cardinaldm.api.spi.transport.TransportRequest;
import org.cardinaldm.api.spi.transport.TransportResponse;
import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.api.transport.ServerEndpoint;
import org.cardinaldm.transport.http.server.internal.DmServlet;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code bin/first-start-tls} run for real, and a real TLS handshake of the device's HTTP
 * client with a Jetty serving the DM endpoint on the keystore that script made, the client trusting the
 * script's trust store through its existing trust-store setting.
 */
class FirstStartTlsTest {
    private static final Path SCRIPT = Path.of("..", "distribution", "src", "main", "resources", "bin",
            "first-start-tls");
    private static final String WBXML = "application/vnd.syncml.dm+wbxml";
    private static final Pattern FINGERPRINT = Pattern.compile("SHA-256 fingerprint ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})");

    @TempDir
    Path dir;
    private Server jetty;
    private HttpClientTransport transport;

    @BeforeEach
    void needs_the_script_sh_and_keytool() {
        assumeTrue(Files.isRegularFile(SCRIPT), "the distribution's bin/first-start-tls is beside this module");
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "a POSIX shell");
        assumeTrue(Files.isExecutable(Path.of(System.getProperty("java.home"), "bin", "keytool")), "the JDK's keytool");
    }

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        if (transport != null) {
            transport.deactivate();
        }
    }

    /** A Karaf etc/ as the distribution ships it, HTTPS off. */
    private Path etc(String name) throws Exception {
        Path etc = Files.createDirectories(dir.resolve(name));
        Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.enabled=true\n"
                + "org.osgi.service.http.port=8181\norg.osgi.service.http.secure.enabled=false\n"
                + "org.ops4j.pax.web.ssl.keystore=${karaf.etc}/cardinal-tls.p12\n");
        return etc;
    }

    private static String[] run(Path etc) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", SCRIPT.toString(), etc.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Path out = Files.createTempFile(etc.getParent(), "out", ".txt");
        Path err = Files.createTempFile(etc.getParent(), "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor()).isZero();
        return new String[] {Files.readString(out), Files.readString(err)};
    }

    private static Properties properties(Path file) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file)));
        return p;
    }

    private static String sha256(Path keystore, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
        }
        byte[] der = ks.getCertificate("cardinal").getEncoded();
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }

    /** Jetty with TLS on the script's keystore, as Pax Web configures it from etc/org.ops4j.pax.web.cfg. */
    private URI serve(Path etc) throws Exception {
        Properties web = properties(etc.resolve("org.ops4j.pax.web.cfg"));
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(etc.resolve("cardinal-tls.p12").toString());
        tls.setKeyStoreType(web.getProperty("org.ops4j.pax.web.ssl.keystore.type"));
        tls.setKeyStorePassword(web.getProperty("org.ops4j.pax.web.ssl.keystore.password"));
        tls.setKeyManagerPassword(web.getProperty("org.ops4j.pax.web.ssl.key.password"));
        tls.setCertAlias(web.getProperty("org.ops4j.pax.web.ssl.key.alias"));
        jetty = new Server();
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(new DmServlet(() -> new ServerEndpoint() {
            @Override
            public OutboundMessage process(InboundMessage message) {
                return OutboundMessage.message(new byte[] {2, 0, 0}, WBXML, null);
            }

            @Override
            public int maxMessageBytes() {
                return 4096;
            }
        }, 0, null));
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/dm");
        jetty.setHandler(context);
        jetty.start();
        return URI.create("https://127.0.0.1:" + connector.getLocalPort() + "/dm");
    }

    /** The device's client configured as the script configures it: its trust store, no password. */
    private HttpClientTransport device(Path etc) throws Exception {
        Properties client = properties(etc.resolve("org.cardinaldm.transport.http.client.cfg"));
        assertThat(client.getProperty("truststore.path")).isEqualTo("${karaf.etc}/cardinal-tls-trust.p12");
        transport = new HttpClientTransport(ClientSettings.DEFAULT.withConnectTimeout(Duration.ofSeconds(5))
                .withTrustStore(etc.resolve("cardinal-tls-trust.p12").toString(),
                        client.getProperty("truststore.type"), ""));
        return transport;
    }

    private static TransportRequest request(URI uri) {
        return TransportRequest.builder(uri, WBXML, new byte[] {2, 1}).accept(WBXML).timeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void the_script_makes_an_owner_only_keystore_enables_https_and_prints_the_fingerprint_not_the_password()
            throws Exception {
        Path etc = etc("etc");

        String[] output = run(etc);

        Properties web = properties(etc.resolve("org.ops4j.pax.web.cfg"));
        String password = web.getProperty("org.ops4j.pax.web.ssl.keystore.password");
        assertThat(web.getProperty("org.osgi.service.http.secure.enabled")).isEqualTo("true");
        assertThat(web.getProperty("org.ops4j.pax.web.ssl.keystore")).isEqualTo("${karaf.etc}/cardinal-tls.p12");
        assertThat(web.getProperty("org.osgi.service.http.port")).isEqualTo("8181");
        assertThat(password).hasSize(36);
        Matcher m = FINGERPRINT.matcher(output[1]);
        assertThat(m.find()).as(output[1]).isTrue();
        assertThat(m.group(1)).isEqualTo(sha256(etc.resolve("cardinal-tls.p12"), password));
        assertThat(output[0] + output[1]).doesNotContain(password);
        for (String f : List.of("cardinal-tls.p12", "cardinal-tls-trust.p12", "org.ops4j.pax.web.cfg",
                "org.cardinaldm.transport.http.client.cfg")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve(f)))).as(f)
                    .isEqualTo("rw-------");
        }
        try (var files = Files.list(etc)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no work files left").hasSize(4);
        }
    }

    @Test
    void the_script_is_idempotent() throws Exception {
        Path etc = etc("etc");
        run(etc);
        byte[] keystore = Files.readAllBytes(etc.resolve("cardinal-tls.p12"));
        String web = Files.readString(etc.resolve("org.ops4j.pax.web.cfg"));

        String[] again = run(etc);

        assertThat(again[0] + again[1]).isEmpty();
        assertThat(Files.readAllBytes(etc.resolve("cardinal-tls.p12"))).isEqualTo(keystore);
        assertThat(Files.readString(etc.resolve("org.ops4j.pax.web.cfg"))).isEqualTo(web);
    }

    @Test
    void the_script_leaves_a_keystore_of_the_operators_own_alone() throws Exception {
        Path etc = etc("etc");
        String own = "org.osgi.service.http.secure.enabled=true\norg.ops4j.pax.web.ssl.keystore=/srv/tls/dm.p12\n";
        Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), own);

        run(etc);

        assertThat(Files.readString(etc.resolve("org.ops4j.pax.web.cfg"))).isEqualTo(own);
        assertThat(etc.resolve("cardinal-tls.p12")).doesNotExist();
        assertThat(etc.resolve("org.cardinaldm.transport.http.client.cfg")).doesNotExist();
    }

    @Test
    void the_device_completes_a_tls_handshake_with_the_generated_certificate() throws Exception {
        Path etc = etc("etc");
        run(etc);
        URI uri = serve(etc);

        TransportResponse r = device(etc).exchange(request(uri));

        assertThat(r.body()).containsExactly(2, 0, 0);
        assertThat(r.mediaType()).isEqualTo(WBXML);
    }

    @Test
    void the_device_refuses_a_server_with_another_certificate() throws Exception {
        Path mine = etc("mine");
        run(mine);
        Path other = etc("other");
        run(other);
        URI uri = serve(other);
        String otherPassword = properties(other.resolve("org.ops4j.pax.web.cfg"))
                .getProperty("org.ops4j.pax.web.ssl.keystore.password");

        assertThatThrownBy(() -> device(mine).exchange(request(uri)))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SECURITY);
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.getMessage()).doesNotContain(otherPassword);
                });
    }

    @Test
    void a_certificate_for_another_host_is_refused_even_when_trusted() throws Exception {
        Path etc = etc("etc");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", SCRIPT.toString(), etc.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("CARDINAL_TLS_SAN", "dns:dm.example");
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile());
        assertThat(pb.start().waitFor()).isZero();
        assertThat(Files.readString(dir.resolve("log"))).contains("SHA-256 fingerprint");
        URI uri = serve(etc);

        assertThatThrownBy(() -> device(etc).exchange(request(uri)))
                .isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SECURITY));
        assertThat(new String(Files.readAllBytes(dir.resolve("log")), StandardCharsets.UTF_8)).doesNotContain(
                properties(etc.resolve("org.ops4j.pax.web.cfg")).getProperty("org.ops4j.pax.web.ssl.keystore.password"));
    }
}
