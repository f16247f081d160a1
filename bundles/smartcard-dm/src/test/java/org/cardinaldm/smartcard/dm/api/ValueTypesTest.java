package org.cardinaldm.smartcard.dm.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;

import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;
import org.junit.jupiter.api.Test;

/** The API's value types. */
class ValueTypesTest {
    @Test
    void equality_of_value_types() {
        // the static factories never let a field be null
        EqualsVerifier.forClass(CardPolicy.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(FumoPolicy.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(CardCredential.class).suppress(Warning.NULL_FIELDS).verify();
    }

    @Test
    void policy_allows_any_server_only_when_the_list_is_empty() {
        assertThat(CardPolicy.defaults().allows("x")).isTrue();
        assertThat(CardPolicy.defaults().userConfirmation()).isTrue();
        assertThat(CardPolicy.defaults().autonomousConnection()).isFalse();
        CardPolicy p = CardPolicy.of(false, true, List.of("a"));
        assertThat(p.allows("a")).isTrue();
        assertThat(p.allows("b")).isFalse();
        assertThatThrownBy(() -> CardPolicy.of(true, true, List.of(""))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fumo_policy_and_credentials_check_their_values() {
        assertThatThrownBy(() -> FumoPolicy.of(List.of("AB"), List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FumoPolicy.of(List.of(), List.of(), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FumoPolicy.of(List.of("ab".repeat(32)), List.of(), 0).trustedSigners().get(0)).isEqualTo("AB".repeat(32));
        assertThatThrownBy(() -> CardCredential.of("s", CardCredential.Level.CLIENT, "n", 0, EnumSet.noneOf(DigestType.class)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CardCredential.of("", CardCredential.Level.CLIENT, "n", 1, EnumSet.noneOf(DigestType.class)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CardCredential.of("s", CardCredential.Level.SERVER, "n", 3, EnumSet.of(DigestType.HMAC)).toString())
                .doesNotContain("secret");
    }

    @Test
    void events_carry_the_reader_and_card() {
        DmCardEvent removed = DmCardEvent.removed("R", "AB");
        assertThat(removed.card()).isEmpty();
        assertThat(removed.toString()).isEqualTo("REMOVED R card AB");
        assertThat(DigestType.HMAC.metaType()).isEqualTo("syncml:auth-MAC");
    }
}
