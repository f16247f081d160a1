package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class AuthFilterTest {
    /** Users: operator/op-pw with admin, viewer/v-pw with viewer only. */
    private final List<String> seenPasswords = new ArrayList<>();
    private final Authenticator users = (user, password) -> {
        String pw = new String(password);
        seenPasswords.add(pw);
        if (user.equals("operator") && pw.equals("op-pw")) {
            return Optional.of(Set.of("admin", "viewer"));
        }
        if (user.equals("viewer") && pw.equals("v:pw")) {
            return Optional.of(Set.of("viewer"));
        }
        return Optional.empty();
    };

    private static ContainerRequestContext request(String authorization) {
        ContainerRequestContext r = mock(ContainerRequestContext.class);
        when(r.getHeaderString(HttpHeaders.AUTHORIZATION)).thenReturn(authorization);
        when(r.getMethod()).thenReturn("GET");
        return r;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Response aborted(ContainerRequestContext r) {
        ArgumentCaptor<Response> c = ArgumentCaptor.forClass(Response.class);
        verify(r).abortWith(c.capture());
        verify(r, never()).setSecurityContext(any());
        return c.getValue();
    }

    private static String operator(ContainerRequestContext r) {
        ArgumentCaptor<SecurityContext> c = ArgumentCaptor.forClass(SecurityContext.class);
        verify(r).setSecurityContext(c.capture());
        verify(r, never()).abortWith(any());
        return c.getValue().getUserPrincipal().getName();
    }

    @Test
    void jaas_mode_admits_an_operator_with_the_role() {
        AuthFilter f = new AuthFilter(AuthFilter.Mode.JAAS, users, Set.of("admin"), null);
        ContainerRequestContext r = request(basic("operator", "op-pw"));
        f.filter(r);
        assertThat(operator(r)).isEqualTo("operator");
    }

    @Test
    void jaas_mode_challenges_missing_malformed_and_wrong_credentials_with_401() {
        AuthFilter f = new AuthFilter(AuthFilter.Mode.JAAS, users, Set.of("admin"), null);
        for (String header : new String[] {null, "", "Bearer abc", "Basic !!!", "Basic "
                + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)),
            basic("operator", "wrong"), basic("nobody", "op-pw")}) {
            ContainerRequestContext r = request(header);
            f.filter(r);
            Response resp = aborted(r);
            assertThat(resp.getStatus()).as(String.valueOf(header)).isEqualTo(401);
            assertThat(resp.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Basic realm=\"Cardinal\"");
            assertThat(((Map<?, ?>) resp.getEntity()).get("message").toString()).doesNotContain("wrong\"")
                    .doesNotContain("op-pw");
        }
    }

    @Test
    void jaas_mode_refuses_a_user_without_the_role_with_403_and_passwords_may_hold_colons() {
        AuthFilter f = new AuthFilter(AuthFilter.Mode.JAAS, users, Set.of("admin"), null);
        ContainerRequestContext r = request(basic("viewer", "v:pw"));
        f.filter(r);
        Response resp = aborted(r);
        assertThat(resp.getStatus()).isEqualTo(403);
        assertThat(seenPasswords).contains("v:pw");
        AuthFilter viewers = new AuthFilter(AuthFilter.Mode.JAAS, users, Set.of("admin", "viewer"), null);
        ContainerRequestContext r2 = request(basic("viewer", "v:pw"));
        viewers.filter(r2);
        assertThat(operator(r2)).isEqualTo("viewer");
    }

    @Test
    void token_mode_compares_the_bearer_token() {
        AuthFilter f = new AuthFilter(AuthFilter.Mode.TOKEN, users, Set.of("admin"), "t0k3n-value");
        ContainerRequestContext ok = request("Bearer t0k3n-value");
        f.filter(ok);
        assertThat(operator(ok)).isEqualTo("token");
        for (String header : new String[] {null, "Bearer t0k3n-valuE", "Bearer ", basic("operator", "op-pw")}) {
            ContainerRequestContext r = request(header);
            f.filter(r);
            Response resp = aborted(r);
            assertThat(resp.getStatus()).isEqualTo(401);
            assertThat(resp.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        }
    }

    @Test
    void token_mode_without_a_token_refuses_everything() {
        AuthFilter f = new AuthFilter(AuthFilter.Mode.TOKEN, users, Set.of("admin"), "");
        for (String header : new String[] {null, "Bearer ", "Bearer x"}) {
            ContainerRequestContext r = request(header);
            f.filter(r);
            assertThat(aborted(r).getStatus()).isEqualTo(401);
        }
    }

    @Test
    void none_mode_lets_requests_through_untouched() {
        AuthFilter f = new AuthFilter(AuthFilter.Mode.NONE, users, Set.of("admin"), null);
        ContainerRequestContext r = request(null);
        f.filter(r);
        verify(r, never()).abortWith(any());
        assertThat(seenPasswords).isEmpty();
    }

    @Test
    void modes_parse_case_insensitively_and_reject_the_unknown() {
        assertThat(AuthFilter.Mode.parse(" Token ")).contains(AuthFilter.Mode.TOKEN);
        assertThat(AuthFilter.Mode.parse("jaas")).contains(AuthFilter.Mode.JAAS);
        assertThat(AuthFilter.Mode.parse("ldap")).isEmpty();
        assertThat(AuthFilter.Mode.parse(null)).isEmpty();
    }

    @Test
    void jaas_authenticator_refuses_when_the_realm_does_not_exist() {
        assertThat(new JaasAuthenticator("cardinal-no-such-realm").authenticate("operator", "x".toCharArray()))
                .isEmpty();
    }
}
