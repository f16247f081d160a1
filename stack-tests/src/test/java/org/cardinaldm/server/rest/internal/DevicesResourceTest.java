package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.server.rest.internal.Fixture.error;
import static org.cardinaldm.server.rest.internal.Fixture.json;
import static org.cardinaldm.server.rest.internal.Fixture.write;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.ws.rs.core.Response;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceAlert;
import org.junit.jupiter.api.Test;

class DevicesResourceTest {
    private final Fixture f = new Fixture();

    @Test
    void register_answers_201_with_the_device_and_never_a_secret() {
        Response r = f.register("IMEI:1", ",\"cardId\":\"8944\",\"clientAuth\":\"hmac\",\"pushAddress\":\"udp:127.0.0.1:2948\"");
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(r.getLocation().toString()).isEqualTo("devices/IMEI:1");
        String body = write(r.getEntity());
        assertThat(body).contains("\"deviceId\" : \"IMEI:1\"").contains("\"clientAuth\" : \"hmac\"")
                .contains("\"state\" : \"new\"").contains("\"cardId\" : \"8944\"");
        String digest = f.store.device("IMEI:1").orElseThrow().clientDigest();
        assertThat(body).doesNotContain("device-secret").doesNotContain("server-secret").doesNotContain(digest)
                .doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("nonce");
        assertThat(f.registry.device("IMEI:1").orElseThrow().clientAuth()).isEqualTo(AuthScheme.HMAC);
    }

    @Test
    void register_of_a_registered_device_is_409_and_keeps_its_credentials() {
        f.register("IMEI:1", "");
        String digest = f.store.device("IMEI:1").orElseThrow().clientDigest();
        Map<String, Object> e = error(() -> f.devices.register(json("{\"deviceId\":\"IMEI:1\",\"clientPassword\":\"x\","
                + "\"serverPassword\":\"y\"}"), null, null));
        assertThat(e).containsEntry("status", 409).containsEntry("error", "Conflict");
        assertThat((String) e.get("message")).contains("already registered");
        assertThat(f.store.device("IMEI:1").orElseThrow().clientDigest()).isEqualTo(digest);
    }

    @Test
    void register_refuses_bad_bodies_with_400_naming_the_field_but_not_the_value() {
        assertThat(error(() -> f.devices.register(json("{\"deviceId\":\"IMEI:1\",\"serverPassword\":\"s3cr3t\"}"),
                null, null))).containsEntry("status", 400).containsEntry("message", "device.clientPassword is required");
        Map<String, Object> wrongType = error(() -> f.devices.register(json("{\"deviceId\":\"IMEI:1\","
                + "\"clientPassword\":12345,\"serverPassword\":\"s3cr3t\"}"), null, null));
        assertThat(wrongType.get("message")).isEqualTo("device.clientPassword must be a string");
        assertThat(write(wrongType)).doesNotContain("12345").doesNotContain("s3cr3t");
        assertThat(error(() -> f.register("IMEI:1", ",\"clientAuth\":\"x509\"")).get("message"))
                .isEqualTo("device.clientAuth must be md5, basic or hmac");
        assertThat(error(() -> f.register("IMEI:1", ",\"pasword\":\"typo\"")).get("message").toString())
                .startsWith("unknown field device.pasword");
        assertThat(error(() -> f.devices.register(json("[1,2]"), null, null))).containsEntry("status", 400);
        assertThat(error(() -> f.devices.register(json(""), null, null))).containsEntry("status", 400);
        assertThat(error(() -> f.register("IMEI:\u0001", ""))).containsEntry("status", 400);
        assertThat(f.registry.devices()).isEmpty();
    }

    @Test
    void list_and_get_show_card_state_contact_and_lock_out_counters() {
        f.register("IMEI:1", ",\"cardId\":\"8944\"");
        f.register("IMEI:2", "");
        Instant locked = Fixture.NOW.plusSeconds(600);
        f.store.updateDevice("IMEI:2", r -> r.toBuilder().authFailures(5).lockedUntil(locked)
                .devInfo(Map.of("./DevInfo/Man", "Acme")).build());
        f.store.recordAlert(new DeviceAlert("IMEI:2", Fixture.NOW, "1", 1226, "org.example.boot", "chr", "warning",
                "./Diag", null, "rebooted"));
        List<Map<String, Object>> list = f.devices.list();
        assertThat(list).extracting(m -> m.get("deviceId")).containsExactly("IMEI:1", "IMEI:2");
        assertThat(list.get(0)).containsEntry("cardId", "8944").containsEntry("state", "new");
        assertThat(list.get(1)).containsEntry("state", "locked").containsEntry("authFailures", 5)
                .containsEntry("lockedUntil", locked.toString());
        Map<String, Object> one = f.devices.get("IMEI:2", 10);
        assertThat(one).containsEntry("devInfo", Map.of("./DevInfo/Man", "Acme")).containsEntry("serverUser", "cardinal");
        assertThat(write(one)).contains("rebooted").contains("org.example.boot");
        assertThat(error(() -> f.devices.get("ghost", 10))).containsEntry("status", 404)
                .containsEntry("message", "no device ghost is registered");
        assertThat(error(() -> f.devices.get("IMEI:1", 0))).containsEntry("status", 400);
    }

    @Test
    void unlock_ends_a_lock_out_and_disable_enable_toggle_the_device() {
        f.register("IMEI:1", "");
        f.store.updateDevice("IMEI:1", r -> r.toBuilder().authFailures(5).lockedUntil(Fixture.NOW.plusSeconds(600)).build());
        Map<String, Object> d = f.devices.unlock("IMEI:1", null);
        assertThat(d).containsEntry("state", "new").containsEntry("authFailures", 0).containsEntry("lockedUntil", null);
        assertThat(f.devices.disable("IMEI:1", null)).containsEntry("state", "disabled").containsEntry("enabled", false);
        assertThat(f.devices.enable("IMEI:1", null)).containsEntry("state", "new");
        assertThat(error(() -> f.devices.unlock("ghost", null))).containsEntry("status", 404);
        assertThat(error(() -> f.devices.disable("ghost", null))).containsEntry("status", 404);
    }

    @Test
    void credentials_are_replaced_write_only_and_an_unknown_device_is_404() {
        f.register("IMEI:1", "");
        String before = f.store.device("IMEI:1").orElseThrow().clientDigest();
        Map<String, Object> d = f.devices.updateCredentials("IMEI:1", json("{\"clientAuth\":\"basic\","
                + "\"clientPassword\":\"new-secret\",\"serverPassword\":\"new-server\"}"), null);
        assertThat(d).containsEntry("clientAuth", "basic");
        assertThat(write(d)).doesNotContain("new-secret").doesNotContain("new-server");
        assertThat(f.store.device("IMEI:1").orElseThrow().clientDigest()).isNotEqualTo(before);
        assertThat(error(() -> f.devices.updateCredentials("IMEI:1", json("{\"deviceId\":\"IMEI:2\","
                + "\"clientPassword\":\"a\",\"serverPassword\":\"b\"}"), null))).containsEntry("status", 400);
        assertThat(error(() -> f.devices.updateCredentials("ghost", json("{\"clientPassword\":\"a\","
                + "\"serverPassword\":\"b\"}"), null))).containsEntry("status", 404);
    }

    @Test
    void delete_forgets_the_device_then_it_is_404() {
        f.register("IMEI:1", "");
        f.devices.submit("IMEI:1", json("{\"operations\":[{\"kind\":\"get\",\"target\":\"./DevInfo/Mod\"}]}"), null, null);
        assertThat(f.devices.remove("IMEI:1", null).getStatus()).isEqualTo(204);
        assertThat(f.registry.device("IMEI:1")).isEmpty();
        assertThat(f.registry.jobs("IMEI:1", 10)).isEmpty();
        assertThat(error(() -> f.devices.remove("IMEI:1", null))).containsEntry("status", 404);
    }

    @Test
    void notify_sends_a_package_0_and_refuses_a_device_without_push_address() {
        f.register("IMEI:1", ",\"pushAddress\":\"udp:127.0.0.1:2948\"");
        f.register("IMEI:2", "");
        Map<String, Object> n = f.devices.notify("IMEI:1", json("{\"ui\":\"informative\"}"), null);
        assertThat(n).containsEntry("state", "sent").containsEntry("sessionId", "1A2B").containsEntry("ui", "informative");
        f.devices.notify("IMEI:1", json(""), null);
        assertThat(f.notified).containsExactly("IMEI:1 INFORMATIVE", "IMEI:1 BACKGROUND");
        assertThat(error(() -> f.devices.notify("IMEI:2", json(""), null))).containsEntry("status", 409);
        assertThat(error(() -> f.devices.notify("ghost", json(""), null))).containsEntry("status", 404);
        assertThat(error(() -> f.devices.notify("IMEI:1", json("{\"ui\":\"loud\"}"), null))).containsEntry("status", 400);
        assertThat(f.notified).hasSize(2);
    }

    @Test
    void sessions_are_listed_with_their_counters() {
        f.sessions.add(new org.cardinaldm.server.api.SessionInfo("IMEI:1", "0", true, Fixture.NOW, Fixture.NOW, 2, 2, 1));
        assertThat(f.sessionsResource.list()).singleElement().satisfies(s -> assertThat(s)
                .containsEntry("deviceId", "IMEI:1").containsEntry("sessionId", "0").containsEntry("authenticated", true)
                .containsEntry("pendingCommands", 1).containsEntry("started", Fixture.NOW.toString()));
    }
}
