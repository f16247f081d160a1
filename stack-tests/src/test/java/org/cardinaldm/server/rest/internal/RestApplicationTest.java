package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class RestApplicationTest {
    private final Fixture f = new Fixture();

    private static RestApplication.Config config(String auth, String token, String... roles) {
        return Configs.config("osgi_jaxrs_application_base", "/api", "auth", auth, "roles", roles, "_token", token,
                "helpdesk_uris", new String[] {"./DevInfo"}, "helpdesk_optional_uris", new String[] {"./DiagMon"});
    }

    private RestApplication app(RestApplication.Config c) {
        return new RestApplication(f.registry, f.registry, f.helpDesk, f.notifier, () -> List.of(), c, (org.cardinaldm.fumo.server.api.CampaignService) null, null, null);
    }

    @Test
    void the_application_holds_the_resources_the_filter_the_provider_and_the_mappers() {
        assertThat(app(config("jaas", "", "admin")).getSingletons()).extracting(o -> o.getClass().getSimpleName())
                .containsExactlyInAnyOrder("AuthFilter", "JsonProvider", "WebErrors", "StoreErrors", "Unexpected",
                        "DevicesResource", "JobsResource", "SessionsResource", "NodesResource", "ConsoleResource");
        assertThat(app(config("TOKEN", "t", "admin")).getSingletons()).hasSize(10);
        assertThat(app(config("none", "")).getSingletons()).hasSize(10);
    }

    @Test
    void an_unknown_mode_or_jaas_without_roles_does_not_start() {
        assertThatThrownBy(() -> app(config("ldap", "", "admin"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jaas, token or none");
        assertThatThrownBy(() -> app(config("jaas", ""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("roles");
    }

    @Test
    void a_malformed_origin_or_throttle_setting_does_not_start() {
        assertThatThrownBy(() -> app(Configs.config("allowed_origins", new String[] {"console.example.org"})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed.origins");
        assertThatThrownBy(() -> app(Configs.config("throttle_max_entries", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("throttle.max.entries");
    }
}
