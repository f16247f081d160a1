package org.cardinaldm.mo.dmacc.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import nl.jqno.equalsverifier.EqualsVerifier;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void value_types_are_well_behaved() {
        EqualsVerifier.forClass(AppAddress.class).withNonnullFields("nodeName", "address", "addressType", "ports").verify();
        EqualsVerifier.forClass(AppAuth.class).withNonnullFields("nodeName", "level", "type", "name", "secret", "data")
                .verify();
        EqualsVerifier.forClass(DmAccount.class).withNonnullFields("nodeName", "serverId", "name", "prefConRef",
                "toConRefs", "addresses", "authPreference", "credentials").verify();
    }

    @Test
    void app_auth_copies_its_data_and_hides_secrets() {
        byte[] data = {1, 2};
        AppAuth a = AppAuth.of("x", AuthLevel.CLCRED, AuthType.DIGEST, "me", "pw", data);
        data[0] = 9;
        assertThat(a.data()).containsExactly(1, 2);
        a.data()[1] = 9;
        assertThat(a.data()).containsExactly(1, 2);
        assertThat(a.toString()).doesNotContain("pw").contains("secret=set").contains("data=set");
        assertThat(AppAuth.of("x", AuthLevel.SRVCRED, AuthType.BASIC, "", "", new byte[0]).toString())
                .contains("secret=empty");
    }

    @Test
    void tokens_map_to_enums() {
        assertThat(AuthType.fromToken("HTTP-DIGEST")).contains(AuthType.HTTP_DIGEST);
        assertThat(AuthType.fromToken("http-digest")).isEmpty();
        assertThat(AuthType.HTTP_BASIC.isTransportType()).isTrue();
        assertThat(AuthType.DIGEST.isTransportType()).isFalse();
        assertThat(AuthType.HMAC.toString()).isEqualTo("HMAC");
        assertThat(AuthLevel.fromToken("CLCRED")).contains(AuthLevel.CLCRED);
        assertThat(AuthLevel.fromToken("APPSRV")).isEmpty();
    }

    @Test
    void an_account_finds_credentials_by_level() {
        DmAccount acc = DmAccount.builder("a", "srv").address(AppAddress.of("x", "http://h", "URI", List.of(80)))
                .credential(AppAuth.of("c", AuthLevel.CLCRED, AuthType.BASIC, "u", "p", new byte[0]))
                .authPreference("BASIC").name("n").prefConRef("r").toConRef("t").build();
        assertThat(acc.credential(AuthLevel.CLCRED)).isPresent();
        assertThat(acc.credential(AuthLevel.HTTP)).isEmpty();
        assertThat(acc.uri().toString()).isEqualTo("./DMAcc/a");
        assertThat(acc.preferredAuthType()).contains(AuthType.BASIC);
        assertThat(acc.toString()).doesNotContain("=p ").contains("srv");
    }
}
