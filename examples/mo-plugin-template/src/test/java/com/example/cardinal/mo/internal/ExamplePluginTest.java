package com.example.cardinal.mo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.MoContext;
import org.junit.jupiter.api.Test;

/** The plugin without any framework: DS components are plain objects, created with {@code new}. */
class ExamplePluginTest {
    private static final MoContext SERVER = () -> Principal.server("srv1");

    private final ExamplePlugin plugin = new ExamplePlugin(config("Hi"));

    @Test
    void root_lists_both_leaves_and_carries_the_mo_identifier() throws DmException {
        NodeUri root = NodeUri.of("./Example");
        assertThat(plugin.children(root, SERVER)).containsExactly("Greeting", "Note");
        NodeInfo info = plugin.describe(root, SERVER).orElseThrow();
        assertThat(info.isInterior()).isTrue();
        assertThat(info.type()).isEqualTo(ExamplePlugin.MO_ID);
    }

    @Test
    void greeting_answers_the_configured_value_and_follows_a_change() throws DmException {
        NodeUri greeting = NodeUri.of("./Example/Greeting");
        assertThat(plugin.get(greeting, SERVER).asString()).isEqualTo("Hi");
        plugin.modified(config("Hello again"));
        assertThat(plugin.get(greeting, SERVER).asString()).isEqualTo("Hello again");
        assertThat(plugin.describe(greeting, SERVER).orElseThrow().size()).isEqualTo("Hello again".length());
    }

    @Test
    void replace_on_greeting_returns_405() {
        assertThatThrownBy(() -> plugin.replace(NodeUri.of("./Example/Greeting"), NodeValue.ofString("x"), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
    }

    @Test
    void note_keeps_what_was_replaced() throws DmException {
        NodeUri note = NodeUri.of("./Example/Note");
        assertThat(plugin.get(note, SERVER).asString()).isEmpty();
        plugin.replace(note, NodeValue.ofString("fan replaced"), SERVER);
        assertThat(plugin.get(note, SERVER).asString()).isEqualTo("fan replaced");
        assertThat(plugin.describe(note, SERVER).orElseThrow().format()).isEqualTo(Format.CHR);
    }

    @Test
    void note_refuses_other_formats_and_long_values() {
        NodeUri note = NodeUri.of("./Example/Note");
        assertThatThrownBy(() -> plugin.replace(note, NodeValue.ofInt(3), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.UNSUPPORTED_MEDIA_TYPE));
        String tooLong = "x".repeat(ExamplePlugin.MAX_NOTE_BYTES + 1);
        assertThatThrownBy(() -> plugin.replace(note, NodeValue.ofString(tooLong), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.REQUEST_ENTITY_TOO_LARGE));
    }

    @Test
    void unknown_nodes_are_absent_and_get_returns_404() {
        NodeUri missing = NodeUri.of("./Example/Missing");
        assertThat(plugin.describe(missing, SERVER)).isEmpty();
        assertThatThrownBy(() -> plugin.get(missing, SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND));
    }

    private static ExamplePlugin.Config config(String greeting) {
        return new ExamplePlugin.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ExamplePlugin.Config.class;
            }

            @Override
            public String greeting() {
                return greeting;
            }
        };
    }
}
