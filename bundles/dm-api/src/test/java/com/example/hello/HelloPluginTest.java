package com.example.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.MoContext;
import org.junit.jupiter.api.Test;

/** The README's smallest MO plugin compiles against this API and answers as the README says. */
class HelloPluginTest {
    private static final MoContext SERVER = () -> Principal.server("srv1");
    private final HelloPlugin plugin = new HelloPlugin();

    @Test
    void get_on_the_leaf_answers_its_chr_value() throws DmException {
        NodeValue value = plugin.get(NodeUri.of("./Hello/Greeting"), SERVER);
        assertThat(value.asString()).isEqualTo("Hello from a plugin");
        assertThat(value.format()).isEqualTo(Format.CHR);
        assertThat(plugin.describe(NodeUri.of("./Hello/Greeting"), SERVER).orElseThrow().format()).isEqualTo(Format.CHR);
    }

    @Test
    void the_root_is_interior_readable_by_all_with_one_child() throws DmException {
        assertThat(plugin.describe(NodeUri.of("./Hello"), SERVER).orElseThrow().acl()).isEqualTo(Acl.of("Get=*"));
        assertThat(plugin.children(NodeUri.of("./Hello"), SERVER)).containsExactly("Greeting");
    }

    @Test
    void anything_else_is_absent_and_writes_are_refused_by_the_spi_defaults() {
        assertThat(plugin.describe(NodeUri.of("./Hello/Other"), SERVER)).isEmpty();
        assertThatThrownBy(() -> plugin.get(NodeUri.of("./Hello/Other"), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND));
        assertThatThrownBy(() -> plugin.replace(NodeUri.of("./Hello/Greeting"), NodeValue.ofString("x"), SERVER))
                .isInstanceOfSatisfying(DmException.class,
                        e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
    }
}
