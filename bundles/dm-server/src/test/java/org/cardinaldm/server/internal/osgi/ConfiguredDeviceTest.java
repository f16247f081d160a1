package org.cardinaldm.server.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.internal.Registry;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class ConfiguredDeviceTest {
    private final InMemoryServerStore store = new InMemoryServerStore();
    private final Registry registry = new Registry(store, ServerConfig.DEFAULT, Clock.systemUTC(), new SecureRandom());

    private ConfiguredDevice configure(Map<String, Object> props) {
        return new ConfiguredDevice(registry,
                Converters.standardConverter().convert(props).to(ConfiguredDevice.Config.class));
    }

    private static Map<String, Object> demo() {
        Map<String, Object> p = new HashMap<>();
        p.put("dev.id", "IMEI:000000000000001");
        p.put(".client.password", "device-secret");
        p.put(".server.password", "server-secret");
        p.put("client.nonce", "Ym9vdA==");
        p.put("push.address", "udp:127.0.0.1:2948");
        return p;
    }

    @Test
    void a_configured_device_is_registered_once_and_keeps_only_digests() {
        configure(demo());
        var d = registry.device("IMEI:000000000000001").orElseThrow();
        assertThat(d.clientAuth()).isEqualTo(AuthScheme.MD5);
        assertThat(d.clientUser()).isEqualTo("IMEI:000000000000001");
        assertThat(d.pushAddress()).isEqualTo("udp:127.0.0.1:2948");
        var record = store.device("IMEI:000000000000001").orElseThrow();
        assertThat(record.clientNonce()).isEqualTo("Ym9vdA==");
        assertThat(record.serverPassword()).isNull();
        String digest = record.clientDigest();

        Map<String, Object> changed = demo();
        changed.put(".client.password", "other");
        configure(changed); // already registered: left alone
        assertThat(store.device("IMEI:000000000000001").orElseThrow().clientDigest()).isEqualTo(digest);
        changed.put("update", true);
        changed.put("client.auth", "hmac");
        configure(changed);
        assertThat(store.device("IMEI:000000000000001").orElseThrow().clientDigest()).isNotEqualTo(digest);
        assertThat(registry.device("IMEI:000000000000001").orElseThrow().clientAuth()).isEqualTo(AuthScheme.HMAC);
    }

    @Test
    void a_bad_scheme_fails_the_activation() {
        Map<String, Object> p = demo();
        p.put("server.auth", "x509");
        assertThatThrownBy(() -> configure(p)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x509");
    }
}
