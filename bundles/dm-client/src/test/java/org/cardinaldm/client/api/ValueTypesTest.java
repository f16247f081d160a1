package org.cardinaldm.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.junit.jupiter.api.Test;

import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;

class ValueTypesTest {
    @Test
    void value_types_honour_equals_and_hash_code() {
        EqualsVerifier.forClass(SessionRequest.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(GenericAlert.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(QueuedAlert.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(UserPrompt.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(UserResponse.class).suppress(Warning.NULL_FIELDS).verify();
    }

    @Test
    void server_initiated_session_ids_must_be_upper_case_hex_without_leading_zeros() {
        assertThat(SessionRequest.serverInitiated("s", "1A2F").sessionId()).contains("1A2F");
        for (String bad : new String[] {"0", "01", "1a", "12345", "", "G"}) {
            assertThatThrownBy(() -> SessionRequest.serverInitiated("s", bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(SessionRequest.clientInitiated("s").sessionId()).isEmpty();
        assertThatThrownBy(() -> SessionRequest.clientInitiated("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_session_result_prints_its_outcome_and_counters() {
        SessionResult r = SessionResult.builder("s", SessionRequest.Initiator.CLIENT).sessionId("1F")
                .outcome(SessionOutcome.TIMEOUT, "no answer").times(Instant.EPOCH, Instant.EPOCH.plusMillis(1500))
                .messages(3, 2).commands(7, 1).alertsDelivered(1).build();
        assertThat(r.isSuccess()).isFalse();
        assertThat(r.duration().toMillis()).isEqualTo(1500);
        assertThat(r.toString()).contains("TIMEOUT", "no answer", "3 sent", "7 commands", "1 failed");
    }

    @Test
    void a_bootstrap_package_carries_its_fingerprint_into_equality_and_refuses_a_blank_one() {
        byte[] doc = {1, 2, 3};
        BootstrapPackage plain = BootstrapPackage.builder("card:1", doc, "application/vnd.syncml.dm+wbxml").build();
        BootstrapPackage marked = BootstrapPackage.builder("card:1", doc, "application/vnd.syncml.dm+wbxml")
                .fingerprint("abc").build();
        assertThat(plain.fingerprint()).isEmpty();
        assertThat(marked.fingerprint()).contains("abc");
        assertThat(marked).isNotEqualTo(plain).isEqualTo(BootstrapPackage.builder("card:1", doc,
                "application/vnd.syncml.dm+wbxml").fingerprint("abc").build());
        assertThat(marked.hashCode()).isNotEqualTo(plain.hashCode());
        assertThatThrownBy(() -> BootstrapPackage.builder("card:1", doc, "x").fingerprint(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_generic_alert_of_a_plugin_report_carries_every_field_and_equals_the_built_one() {
        AsyncResult r = AsyncResult.builder("dms.example.com", "urn:oma:at:scomo:1.0:OperationComplete").format("int")
                .mark("critical").source("./SCOMO/Download/a/Operations/Download").target("./SCOMO/Inventory/a")
                .correlator("c-1").data("1200").build();
        GenericAlert a = GenericAlert.of(r);

        assertThat(a).isEqualTo(GenericAlert.builder("dms.example.com", "urn:oma:at:scomo:1.0:OperationComplete")
                .format("int").mark("critical").source("./SCOMO/Download/a/Operations/Download")
                .target("./SCOMO/Inventory/a").correlator("c-1").data("1200").build());
        assertThat(a.target()).contains("./SCOMO/Inventory/a");
        assertThat(a.toString()).contains("critical", "correlator c-1", "4 chars of int").doesNotContain("1200");
        AsyncResult odd = AsyncResult.builder("dms.example.com", "urn:x").mark("urgent").build();
        assertThatThrownBy(() -> GenericAlert.of(odd)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Mark must be one of");
    }

    @Test
    void a_text_answer_never_prints_its_text() {
        assertThat(UserResponse.text("p4ssw0rd").toString()).doesNotContain("p4ssw0rd").contains("8 chars");
    }
}
