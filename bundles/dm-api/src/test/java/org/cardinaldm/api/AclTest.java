package org.cardinaldm.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import nl.jqno.equalsverifier.EqualsVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AclTest {

    @Test
    void parses_the_oma_example() throws DmException {
        Acl acl = Acl.parse("Add=www.sonera.fi-8765&Delete=www.sonera.fi-8765"
                + "&Replace=www.sonera.fi-8765+321_ibm.com&Get=*");
        assertThat(acl.permits(AclCommand.REPLACE, "321_ibm.com")).isTrue();
        assertThat(acl.permits(AclCommand.ADD, "321_ibm.com")).isFalse();
        assertThat(acl.permits(AclCommand.GET, "anyone")).isTrue();
        assertThat(acl.permits(AclCommand.EXEC, "www.sonera.fi-8765")).isFalse();
        assertThat(acl.serversFor(AclCommand.REPLACE)).containsExactly("www.sonera.fi-8765", "321_ibm.com");
    }

    @Test
    void renders_in_canonical_command_order() {
        assertThat(Acl.of("Get=*&Add=a+b&Replace=c")).hasToString("Add=a+b&Get=*&Replace=c");
    }

    @Test
    void repeated_commands_are_merged() {
        assertThat(Acl.of("Get=a&Get=b&Get=a")).hasToString("Get=a+b");
    }

    @Test
    void empty_text_is_the_empty_acl_that_inherits() {
        assertThat(Acl.of("").isEmpty()).isTrue();
        assertThat(Acl.of("")).isEqualTo(Acl.empty()).hasToString("");
        assertThat(Acl.empty().permits(AclCommand.GET, "x")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Get", "Get=", "=a", "Copy=a", "get=a", "Get=a b", "Get=a++b", "Get=a*", "Get=a&", "&Get=a",
            "Get=a=b", "Get=a+"})
    void malformed_acls_are_refused_with_400(String text) {
        assertThatThrownBy(() -> Acl.parse(text)).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.BAD_REQUEST));
    }

    @Test
    void with_and_without_server_return_new_acls() {
        Acl acl = Acl.of("Get=a+b&Delete=a");
        Acl added = acl.with(AclCommand.REPLACE, "c");
        assertThat(added).hasToString("Delete=a&Get=a+b&Replace=c");
        assertThat(acl).hasToString("Delete=a&Get=a+b");
        assertThat(acl.withoutServer("a")).hasToString("Get=b");
    }

    @Test
    void with_refuses_bad_server_ids() {
        assertThatThrownBy(() -> Acl.empty().with(AclCommand.GET, "a&b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equals_and_hashCode_follow_entries() {
        EqualsVerifier.forClass(Acl.class).withNonnullFields("entries").verify();
    }
}
