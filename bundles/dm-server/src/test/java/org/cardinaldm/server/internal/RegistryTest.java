package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.util.List;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.syncml.api.auth.UserDigests;
import org.junit.jupiter.api.Test;

class RegistryTest extends EngineFixture {

    private static String dump(DeviceRecord r) throws ReflectiveOperationException {
        StringBuilder sb = new StringBuilder();
        for (RecordComponent c : DeviceRecord.class.getRecordComponents()) {
            sb.append(c.getName()).append('=').append(c.getAccessor().invoke(r)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void an_md5_registration_stores_digests_and_never_a_password() throws Exception {
        registry.register(DeviceRegistration.builder("IMEI:1").client(AuthScheme.MD5, "dev", "device-secret-1")
                .server(AuthScheme.MD5, null, "server-secret-1").build());
        DeviceRecord r = store.device("IMEI:1").orElseThrow();
        String all = dump(r);
        assertThat(all).doesNotContain("device-secret-1").doesNotContain("server-secret-1");
        assertThat(r.clientDigest()).isEqualTo(UserDigests.of("dev", "device-secret-1"));
        assertThat(r.serverUser()).isEqualTo("cardinal");
        assertThat(r.serverPassword()).isNull();
        assertThat(r.toString()).doesNotContain(r.clientDigest()).doesNotContain(r.serverDigest())
                .doesNotContain(r.clientNonce());
        assertThat(registry.device("IMEI:1").orElseThrow().toString()).doesNotContain(r.clientDigest());
    }

    @Test
    void a_basic_server_password_is_the_only_secret_kept_in_clear() throws Exception {
        registry.register(DeviceRegistration.builder("IMEI:2").client(AuthScheme.BASIC, "dev", "device-secret-2")
                .server(AuthScheme.BASIC, "srv", "server-secret-2").build());
        DeviceRecord r = store.device("IMEI:2").orElseThrow();
        assertThat(dump(r)).doesNotContain("device-secret-2");
        assertThat(r.serverPassword()).isEqualTo("server-secret-2");
        assertThat(r.toString()).doesNotContain("server-secret-2");
    }

    @Test
    void registration_toString_hides_the_passwords() {
        DeviceRegistration reg = DeviceRegistration.builder("IMEI:3").client(AuthScheme.MD5, "u", "p4ss")
                .server(AuthScheme.MD5, null, "s3cret").build();
        assertThat(reg.toString()).doesNotContain("p4ss").doesNotContain("s3cret");
    }

    @Test
    void registering_twice_or_without_password_is_refused() {
        DeviceRegistration reg = DeviceRegistration.builder("IMEI:4").client(AuthScheme.MD5, "u", "p")
                .server(AuthScheme.MD5, null, "s").build();
        registry.register(reg);
        assertThatThrownBy(() -> registry.register(reg)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already registered");
        assertThatThrownBy(() -> DeviceRegistration.builder("IMEI:5").server(AuthScheme.MD5, null, "s").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void new_credentials_replace_the_digests_and_the_nonce() {
        registry.register(DeviceRegistration.builder("IMEI:6").client(AuthScheme.MD5, "u", "old")
                .server(AuthScheme.MD5, null, "s").build());
        String nonce = store.device("IMEI:6").orElseThrow().clientNonce();
        registry.updateCredentials(DeviceRegistration.builder("IMEI:6").client(AuthScheme.HMAC, "u2", "new")
                .server(AuthScheme.MD5, null, "s2").build());
        DeviceRecord r = store.device("IMEI:6").orElseThrow();
        assertThat(r.clientAuth()).isEqualTo(AuthScheme.HMAC);
        assertThat(r.clientDigest()).isEqualTo(UserDigests.of("u2", "new"));
        assertThat(r.clientNonce()).isNotEqualTo(nonce);
        assertThatThrownBy(() -> registry.updateCredentials(DeviceRegistration.builder("nope")
                .client(AuthScheme.MD5, "u", "p").server(AuthScheme.MD5, null, "s").build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jobs_for_unknown_devices_or_without_operations_are_refused() {
        assertThatThrownBy(() -> registry.submit("ghost", null, List.of(Operation.get("./A"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ghost");
        registry.register(DeviceRegistration.builder("IMEI:7").client(AuthScheme.MD5, "u", "p")
                .server(AuthScheme.MD5, null, "s").build());
        assertThatThrownBy(() -> registry.submit("IMEI:7", null, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void removing_a_device_removes_its_jobs() {
        registry.register(DeviceRegistration.builder("IMEI:8").client(AuthScheme.MD5, "u", "p")
                .server(AuthScheme.MD5, null, "s").build());
        Job job = registry.submit("IMEI:8", "x", List.of(Operation.get("./A")));
        assertThat(job.state()).isEqualTo(JobState.PENDING);
        assertThat(registry.remove("IMEI:8")).isTrue();
        assertThat(registry.job(job.id())).isEmpty();
        assertThat(registry.remove("IMEI:8")).isFalse();
        assertThat(registry.unlock("IMEI:8")).isFalse();
    }

    @Test
    void operations_check_what_each_command_needs() {
        assertThatThrownBy(() -> Operation.get(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Operation.atomic(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Operation.atomic(List.of(Operation.get("./A"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET");
        assertThatThrownBy(() -> Operation.copy(null, "./B")).isInstanceOf(IllegalArgumentException.class);
        Operation atomic = Operation.atomic(List.of(Operation.add("./A", "1", "int"), Operation.delete("./B")));
        assertThat(atomic.size()).isEqualTo(3);
        Job job = new Job(1, "d", null, JobState.PENDING, null, null,
                List.of(Operation.get("./X"), atomic), List.of());
        assertThat(job.flatOperations()).extracting(Operation::target)
                .containsExactly("./X", null, "./A", "./B");
    }

    @Test
    void auth_scheme_names_are_parsed_loosely() {
        assertThat(AuthScheme.parse("md5")).contains(AuthScheme.MD5);
        assertThat(AuthScheme.parse("syncml:auth-mac")).contains(AuthScheme.HMAC);
        assertThat(AuthScheme.parse("DIGEST")).contains(AuthScheme.MD5);
        assertThat(AuthScheme.parse("x509")).isEmpty();
    }

    @Test
    void secrets_match_the_spec_vectors() {
        // OMA example: Bruce2 / OhBehave / nonce "Nonce" (digest section 3.2) and the HMAC vector (3.3)
        String userDigest = UserDigests.of("Bruce2", "OhBehave");
        assertThat(UserDigests.md5Digest(userDigest, "Nonce".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isEqualTo("Zz6EivR3yeaaENcRN6lpAQ==");
        assertThat(UserDigests.mac(userDigest, "Nonce".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "<SyncML xmlns=\"SYNCML:SYNCML1.2\"></SyncML>".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("aSBvnDHzBa7JhdjeEEUR2g==");
    }
}
