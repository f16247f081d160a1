package org.cardinaldm.pkg.trust.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.osgi.util.converter.Converters;
import org.junit.jupiter.api.Test;

/** The device-configured list of application signers (PID org.cardinaldm.pkg.trust). */
class ConfiguredApplicationSignersTest {
    private static final String H1 = "7fb1ea7ad6b51ecf2ba63cd7ab925adb9e73c59011c790f63216b01a170c23f0";
    private static final String H2 = "00" + H1.substring(2);

    private static ConfiguredApplicationSigners.Config config(Map<String, Object> props) {
        return Converters.standardConverter().convert(props).to(ConfiguredApplicationSigners.Config.class);
    }

    @Test
    void without_configuration_nobody_is_trusted() {
        assertThat(new ConfiguredApplicationSigners(config(Map.of())).signers().isEmpty()).isTrue();
    }

    @Test
    void a_list_or_a_comma_separated_line_is_read_and_normalized() {
        assertThat(new ConfiguredApplicationSigners(config(Map.of("trusted.signers", new String[] {H1.toUpperCase(), H2})))
                .signers().sha256Hex()).containsExactlyInAnyOrder(H1, H2);
        assertThat(new ConfiguredApplicationSigners(config(Map.of("trusted.signers", H1 + ", " + H2)))
                .signers().sha256Hex()).containsExactlyInAnyOrder(H1, H2);
    }

    @Test
    void a_bad_value_is_dropped_and_the_others_stay() {
        ConfiguredApplicationSigners c = new ConfiguredApplicationSigners(
                config(Map.of("trusted.signers", new String[] {"not-a-hash", H1})));
        assertThat(c.signers().sha256Hex()).containsExactly(H1);
    }

    @Test
    void a_modified_configuration_replaces_the_list() {
        ConfiguredApplicationSigners c = new ConfiguredApplicationSigners(config(Map.of("trusted.signers", H1)));
        c.modified(config(Map.of("trusted.signers", H2)));
        assertThat(c.signers().sha256Hex()).containsExactly(H2);
    }
}
