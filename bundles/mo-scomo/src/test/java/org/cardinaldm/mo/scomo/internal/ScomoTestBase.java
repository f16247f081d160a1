package org.cardinaldm.mo.scomo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.api.spi.mo.AsyncResults;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.testing.osgi.FelixExtension;
import org.cardinaldm.testing.osgi.FelixHarness;
import org.cardinaldm.testing.osgi.TestBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;

/**
 * The fixture of the SCOMO operation tests: a real Felix (with SCR and the real pkg-trust bundle, listed as a
 * platform component) and pkg-trust's real verifier, real bundle jars made in the test, a local HTTP server serving each package and its
 * signed sidecar manifest, and a fake {@link AsyncResults} that captures the reports.
 */
abstract class ScomoTestBase {
    static final String DEVICE = "Cardinal/Gateway";
    static final MoContext SERVER = () -> Principal.server("srv1");
    static final MoContext ADMIN = Principal::localAdmin;
    static final String DL = "./SCOMO/Download";
    static final String DEPLOYED = "./SCOMO/Inventory/Deployed";
    static final String DELIVERED = "./SCOMO/Inventory/Delivered";

    @RegisterExtension
    final FelixExtension felix = new FelixExtension(FelixHarness.builder().slf4j()
            .systemPackagesOf("org.cardinaldm.pkg.trust.api")
            .bundlesOnClassPath("bcprov-jdk18on", "bcutil-jdk18on", "bcpkix-jdk18on", "pkg-trust"));

    final LinkedBlockingQueue<AsyncResult> reports = new LinkedBlockingQueue<>();
    final AsyncResults results = r -> {
        reports.add(r);
        return "r" + reports.size();
    };
    PackageServer http;
    TestSigner signer;
    TestSigner stranger;
    volatile TrustedSigners trusted;
    ScomoPlugin plugin;
    final Map<String, Object> config = new HashMap<>(Map.of("device.class", DEVICE));

    @BeforeEach
    void setUp() throws Exception {
        http = new PackageServer();
        signer = new TestSigner();
        stranger = new TestSigner();
        trusted = signer.trusted();
        plugin = newPlugin();
    }

    @AfterEach
    void tearDown() {
        if (plugin != null) {
            plugin.deactivate();
        }
        http.close();
    }

    ScomoPlugin newPlugin() {
        ScomoPlugin p = new ScomoPlugin(felix.harness().context(), ScomoPluginTest.config(config));
        // pkg-trust's verifier in plain Java (StandaloneVerifier); OsgiWiringIT covers the service inside the framework
        p.setVerifier(org.cardinaldm.pkg.trust.standalone.StandaloneVerifier.create());
        p.setSigners(() -> trusted);
        p.setResults(results);
        return p;
    }

    static NodeUri uri(String s) {
        return NodeUri.of(s);
    }

    static byte[] bundle(String bsn, String version) {
        return TestBundle.named(bsn).header("Bundle-Version", version).header("Bundle-Name", "App " + bsn).bytes();
    }

    /** Publishes a package and its manifest signed by the trusted signer; returns the package URL. */
    String publish(String path, byte[] jar, String name, String version) throws Exception {
        http.put(path, jar);
        http.put(path + ".manifest.p7", signer.sign(jar, name, version, DEVICE));
        return http.url(path);
    }

    void descriptor(String x, String pkgUrl) throws DmException {
        plugin.add(uri(DL + "/" + x), NodeValue.interior(), SERVER);
        plugin.add(uri(DL + "/" + x + "/PkgID"), NodeValue.ofString(x + "@1.0.0"), SERVER);
        plugin.add(uri(DL + "/" + x + "/Name"), NodeValue.ofString(x), SERVER);
        plugin.add(uri(DL + "/" + x + "/PkgURL"), NodeValue.ofString(pkgUrl), SERVER);
    }

    AsyncResult nextReport() throws InterruptedException {
        AsyncResult r = reports.poll(30, TimeUnit.SECONDS);
        assertThat(r).as("a report within 30 s").isNotNull();
        return r;
    }

    long value(String u) throws DmException {
        return plugin.get(uri(u), SERVER).asLong();
    }

    Bundle bundleNamed(String bsn) {
        for (Bundle b : felix.harness().context().getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    void assertNothingInstalled(String bsn) {
        assertThat(bundleNamed(bsn)).as("bundle %s", bsn).isNull();
    }

    static void assertStatus(StatusCode expected, DmCall call) {
        assertThatThrownBy(call::call).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(expected));
    }

    @FunctionalInterface
    interface DmCall {
        void call() throws Exception;
    }

    /** id → symbolic name, state and last-modified of every bundle. */
    Map<Long, String> picture() {
        Map<Long, String> out = new LinkedHashMap<>();
        for (Bundle b : felix.harness().context().getBundles()) {
            out.put(b.getBundleId(), b.getSymbolicName() + " " + b.getState() + " " + b.getLastModified());
        }
        return out;
    }
}
