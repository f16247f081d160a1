package org.cardinaldm.fumo.server;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.cardinaldm.fumo.server.internal.CampaignEngine;
import org.cardinaldm.fumo.server.internal.Engines;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.internal.HelpDeskService;
import org.cardinaldm.server.internal.Registry;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.internal.SessionEngine;
import org.cardinaldm.server.jdbc.internal.ConnectionPool;
import org.cardinaldm.server.jdbc.internal.JdbcCampaignStore;
import org.cardinaldm.server.jdbc.internal.JdbcServerStore;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.server.packages.api.PublishedPackage;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.testing.MutableClock;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The real DM server with firmware campaigns, in plain Java as the OSGi runtime wires it: the JDBC registry and
 * campaign store on an H2 <em>file</em> database (so a test can stop this server and start another on the same
 * data), the session engine devices talk to, the registry, the help desk and the campaign engine. Only the package
 * catalogue is a fixed list (the signature checks of publishing are pkg-trust's tests); it holds {@code fw-2.bin},
 * version 2.0.0, security counter 2.
 */
final class CampaignServer implements AutoCloseable {
    static final String PACKAGE = "fw-2.bin";
    static final String PASSWORD = "device-pw";

    final ConnectionPool pool;
    final JdbcCampaignStore campaigns;
    final SessionEngine engine;
    final Registry registry;
    final HelpDeskService helpDesk;
    final CampaignEngine fumo;

    /**
     * @param dir the folder of the H2 file database (the same folder reopens the same data)
     * @param clock the time, shared by the test
     */
    CampaignServer(Path dir, MutableClock clock) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("registry").toAbsolutePath() + ";LOCK_TIMEOUT=10000");
        pool = new ConnectionPool(ds, 4, 20_000);
        JdbcServerStore store = JdbcServerStore.open(pool);
        campaigns = JdbcCampaignStore.open(pool);
        ServerConfig config = ServerConfig.DEFAULT;
        engine = new SessionEngine(store, config, clock, new SecureRandom(), SyncML::forMediaType);
        registry = new Registry(store, config, clock, new SecureRandom(), engine.guard());
        helpDesk = new HelpDeskService(registry);
        fumo = Engines.engine(campaigns, registry, registry, helpDesk, new Catalog(), () -> null, clock, "node-a",
                "https://dm.example.com:8443/", 100, 120, Duration.ofMinutes(5), 10_000);
    }

    /** Registers a device that authenticates with basic credentials. */
    FumoDeviceSim device(String id) {
        if (registry.device(id).isEmpty()) {
            registry.register(DeviceRegistration.builder(id).client(AuthScheme.BASIC, id, PASSWORD)
                    .server(AuthScheme.BASIC, null, "srv").build());
        }
        return new FumoDeviceSim(engine, id, PASSWORD);
    }

    @Override
    public void close() {
        engine.shutdown();
        pool.close();
    }

    /** The published packages: one firmware package. */
    private static final class Catalog implements PackageCatalog {
        private final PublishedPackage fw = new PublishedPackage(PACKAGE, PackageKind.FIRMWARE, "cardinal-gateway",
                "2.0.0", List.of("Cardinal/GW-1"), OptionalLong.of(2), 1 << 20, "ab".repeat(32), "cd".repeat(32),
                Instant.EPOCH);

        @Override
        public List<PublishedPackage> list() {
            return List.of(fw);
        }

        @Override
        public Optional<PublishedPackage> find(String fileName) {
            return PACKAGE.equals(fileName) ? Optional.of(fw) : Optional.empty();
        }

        @Override
        public PublishedPackage publish(String fileName, InputStream payload, byte[] signedManifest,
                boolean replace) {
            throw new UnsupportedOperationException("the stack test publishes nothing");
        }

        @Override
        public boolean remove(String fileName) {
            return false;
        }

        @Override
        public String path() {
            return "/packages";
        }
    }
}
