package org.cardinaldm.server.internal;

import java.security.SecureRandom;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.testing.MutableClock;

/** A server on an in-memory store with a hand-moved clock. */
class EngineFixture {
    final MutableClock clock = new MutableClock();
    final InMemoryServerStore store = new InMemoryServerStore();
    ServerConfig config = ServerConfig.DEFAULT;
    SessionEngine engine;
    Registry registry;

    EngineFixture() {
        rebuild();
    }

    void rebuild() {
        SecureRandom random = new SecureRandom();
        engine = new SessionEngine(store, config, clock, random, SyncML::forMediaType);
        registry = new Registry(store, config, clock, random, engine.guard());
    }

    DeviceSim device(boolean wbxml, String id) {
        return device(wbxml, id, AuthScheme.MD5);
    }

    DeviceSim device(boolean wbxml, String id, AuthScheme scheme) {
        registry.register(DeviceRegistration.builder(id).client(scheme, id, "pw-" + id)
                .server(scheme == AuthScheme.HMAC ? AuthScheme.HMAC : AuthScheme.MD5, null, "srv-" + id).build());
        DeviceSim d = new DeviceSim(engine, wbxml, id, "pw-" + id, "srv-" + id);
        d.scheme = scheme;
        d.clientNonce = store.device(id).orElseThrow().clientNonce();
        return d;
    }
}
