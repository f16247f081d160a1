package org.cardinaldm.fumo.core.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.api.spi.mo.AsyncResults;
import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.fumo.api.spi.FumoAuthorizer;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine tests share: pkg-trust's real verifier, a firmware signer, a software authority, an A/B agent, a package server, the results queue, and an
 * engine that runs operations in the calling thread (so an Exec returns once the operation has ended).
 */
abstract class FumoTestBase {
    static final String DEVICE = "Cardinal/Gateway";
    static final Principal SERVER = Principal.server("srv1");
    static final String X = "./FUMO/Gateway";

    @TempDir
    Path data;

    PackageServer http;
    TestSigner signer;
    FakeAuthorizer authority;
    FakeAgent agent;
    ManifestVerifier verifier;
    volatile FumoAuthorizer installedAuthority;
    volatile UserInteraction ui;
    volatile LongConsumer onBytes = n -> { };
    volatile String deviceClass = DEVICE;
    final List<AsyncResult> alerts = new CopyOnWriteArrayList<>();
    final AsyncResults results = r -> {
        alerts.add(r);
        return "a" + alerts.size();
    };
    Settings settings = Settings.defaults();
    FumoEngine engine;
    FumoTree tree;
    byte[] payload;

    @BeforeEach
    void setUpBase() throws Exception {
        // pkg-trust's own verifier, in plain Java (the OSGi service of the same class is checked in OsgiWiringIT)
        verifier = org.cardinaldm.pkg.trust.standalone.StandaloneVerifier.create();
        http = new PackageServer();
        signer = new TestSigner();
        authority = new FakeAuthorizer(verifier, signer.trusted());
        installedAuthority = authority;
        agent = new FakeAgent();
        payload = new byte[200_000];
        new java.util.Random(7).nextBytes(payload);
        publish("/fw.bin", payload, "2.0.0", 5);
        engine = newEngine();
        engine.addAgent("Gateway", agent);
    }

    @AfterEach
    void tearDownBase() {
        http.close();
    }

    FumoEngine newEngine() {
        Environment env = new Environment() {
            @Override
            public FumoAuthorizer authorizer() {
                return installedAuthority;
            }

            @Override
            public ManifestVerifier verifier() {
                return verifier;
            }

            @Override
            public AsyncResults results() {
                return results;
            }

            @Override
            public String deviceClass() {
                return deviceClass;
            }

            @Override
            public Consent consent() {
                return new Consent(() -> ui, Executors.newCachedThreadPool());
            }

            @Override
            public void downloaded(String instance, long bytes) {
                onBytes.accept(bytes);
            }
        };
        FumoEngine e = new FumoEngine(data, () -> settings, env, Runnable::run, Clock.systemUTC());
        tree = new FumoTree(e);
        return e;
    }

    void publish(String path, byte[] body, String version, long counter) throws Exception {
        http.files.put(path, body);
        http.files.put(path + ".manifest.p7", signer.firmware(body, version, DEVICE, counter));
    }

    void set(String rel, String value) throws DmException {
        tree.replace(NodeUri.of(X + "/" + rel), NodeValue.ofString(value));
    }

    StatusCode exec(String node) throws DmException {
        return tree.exec(NodeUri.of(X + "/" + node), "corr-1", SERVER);
    }

    int state() throws DmException {
        return (int) tree.get(NodeUri.of(X + "/State")).asLong();
    }

    AsyncResult lastAlert() {
        return alerts.get(alerts.size() - 1);
    }

    int lastCode() {
        return Integer.parseInt(lastAlert().data());
    }
}
