package org.cardinaldm.server.packages.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class PackagesComponentTest {
    @Test
    void the_directory_defaults_to_packages_under_karaf_home() {
        assertThat(PackagesComponent.directory("", "/opt/cardinal")).isEqualTo(Path.of("/opt/cardinal/packages"));
        assertThat(PackagesComponent.directory(null, "/opt/cardinal/")).isEqualTo(Path.of("/opt/cardinal/packages"));
        assertThat(PackagesComponent.directory(" ", null)).isEqualTo(Path.of("packages").toAbsolutePath());
    }

    @Test
    void a_configured_directory_wins_and_is_normalised() {
        assertThat(PackagesComponent.directory("/srv/apps/../packages ", "/opt/cardinal"))
                .isEqualTo(Path.of("/srv/packages"));
    }

    @Test
    void the_path_gets_one_leading_slash_and_no_trailing_one() {
        assertThat(PackagesComponent.path("/packages")).isEqualTo("/packages");
        assertThat(PackagesComponent.path("apps/")).isEqualTo("/apps");
        assertThat(PackagesComponent.path("")).isEqualTo("/packages");
        assertThat(PackagesComponent.path(null)).isEqualTo("/packages");
    }
}
