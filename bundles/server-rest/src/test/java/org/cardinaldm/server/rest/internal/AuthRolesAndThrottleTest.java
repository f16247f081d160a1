package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.ws.rs.HttpMethod;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.cardinaldm.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class AuthRolesAndThrottleTest {
    private static final String ADMIN_PW = "adm1n-secret";
    private final List<String> checked = new ArrayList<>();
    /** admin/ADMIN_PW: admin; watcher/w-pw: viewer; guest/g-pw: no role of the API. */
    private final Authenticator users = (user, password) -> {
        String pw = new String(password);
        checked.add(user);
        return switch (user + "/" + pw) {
            case "admin/" + ADMIN_PW -> Optional.of(Set.of("admin", "viewer"));
            case "watcher/w-pw" -> Optional.of(Set.of("viewer"));
            case "guest/g-pw" -> Optional.of(Set.of("group"));
            default -> Optional.empty();
        };
    };
    private final MutableClock clock = new MutableClock(TestSupport.NOW);
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, 10, Duration.ofSeconds(60), 100);
    private String peer = "192.0.2.66";
    private final AuthFilter filter = new AuthFilter(AuthFilter.Mode.JAAS, users, Set.of("admin"), Set.of("viewer"),
            null, new CrossSiteCheck(List.of()), throttle, r -> peer);

    private static ContainerRequestContext request(String method, String authorization) {
        ContainerRequestContext r = mock(ContainerRequestContext.class);
        UriInfo uri = mock(UriInfo.class);
        when(uri.getBaseUri()).thenReturn(URI.create("http://127.0.0.1:8181/cardinal/api/v1/"));
        when(r.getUriInfo()).thenReturn(uri);
        when(r.getMethod()).thenReturn(method);
        when(r.getMediaType()).thenReturn(MediaType.APPLICATION_JSON_TYPE);
        when(r.getHeaderString(HttpHeaders.AUTHORIZATION)).thenReturn(authorization);
        return r;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Optional<Response> run(String method, String authorization) {
        ContainerRequestContext r = request(method, authorization);
        filter.filter(r);
        ArgumentCaptor<Response> c = ArgumentCaptor.forClass(Response.class);
        try {
            verify(r).abortWith(c.capture());
        } catch (AssertionError notAborted) {
            verify(r).setSecurityContext(any());
            return Optional.empty();
        }
        verify(r, never()).setSecurityContext(any());
        return Optional.of(c.getValue());
    }

    private static String message(Response r) {
        return String.valueOf(((Map<?, ?>) r.getEntity()).get("message"));
    }

    @Test
    void a_viewer_may_read_but_a_write_is_403_with_a_json_error() {
        assertThat(run("GET", basic("watcher", "w-pw"))).isEmpty();
        assertThat(run("HEAD", basic("watcher", "w-pw"))).isEmpty();
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            Response r = run(method, basic("watcher", "w-pw")).orElseThrow();
            assertThat(r.getStatus()).isEqualTo(403);
            assertThat(r.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
            assertThat(message(r)).isEqualTo("user watcher may only read (GET): " + method
                    + " needs one of the roles admin");
        }
    }

    @Test
    void every_endpoint_of_every_resource_class_lets_a_viewer_read_and_refuses_its_writes() {
        for (Class<?> resource : List.of(DevicesResource.class, JobsResource.class, SessionsResource.class)) {
            int reads = 0;
            for (Method m : resource.getDeclaredMethods()) {
                String method = httpMethod(m);
                if (method == null) {
                    continue;
                }
                Optional<Response> viewer = run(method, basic("watcher", "w-pw"));
                Optional<Response> admin = run(method, basic("admin", ADMIN_PW));
                assertThat(admin).as("%s.%s for an administrator", resource.getSimpleName(), m.getName()).isEmpty();
                if (method.equals(HttpMethod.GET)) {
                    reads++;
                    assertThat(viewer).as("%s.%s for a viewer", resource.getSimpleName(), m.getName()).isEmpty();
                } else {
                    assertThat(viewer).as("%s.%s for a viewer", resource.getSimpleName(), m.getName())
                            .hasValueSatisfying(r -> assertThat(r.getStatus()).isEqualTo(403));
                }
            }
            assertThat(reads).as(resource.getSimpleName() + " has reads").isPositive();
        }
    }

    private static String httpMethod(Method m) {
        for (var a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }

    @Test
    void a_user_with_neither_role_is_403_naming_both() {
        Response r = run("GET", basic("guest", "g-pw")).orElseThrow();
        assertThat(r.getStatus()).isEqualTo(403);
        assertThat(message(r)).isEqualTo("user guest has none of the roles admin (or, to read only, viewer)");
    }

    @Test
    void repeated_wrong_passwords_get_429_with_retry_after_and_no_password_is_checked_meanwhile() {
        for (int i = 0; i < 4; i++) {
            assertThat(run("GET", basic("admin", "guess" + i)).orElseThrow().getStatus()).isEqualTo(401);
        }
        checked.clear();
        Response r = run("GET", basic("admin", ADMIN_PW)).orElseThrow();
        assertThat(r.getStatus()).isEqualTo(429);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(r.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
        assertThat(message(r)).doesNotContain(ADMIN_PW).contains("retry after 1 s");
        assertThat(checked).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(run("GET", basic("admin", "guess4")).orElseThrow().getStatus()).isEqualTo(401);
        assertThat(run("GET", basic("admin", ADMIN_PW)).orElseThrow().getHeaderString("Retry-After")).isEqualTo("2");
    }

    @Test
    void a_stranger_cannot_lock_the_administrator_out_from_another_address() {
        for (int i = 0; i < 30; i++) {
            clock.advance(throttle.blocked("admin", peer).orElse(Duration.ZERO));
            run("GET", basic(i % 2 == 0 ? "admin" : "user" + i, "guess" + i));
        }
        assertThat(run("GET", basic("admin", ADMIN_PW)).orElseThrow().getStatus()).isEqualTo(429);
        peer = "198.51.100.7";
        assertThat(run("POST", basic("admin", ADMIN_PW))).isEmpty();
    }

    @Test
    void a_success_resets_the_counter() {
        for (int i = 0; i < 3; i++) {
            run("GET", basic("admin", "guess" + i));
        }
        assertThat(run("GET", basic("admin", ADMIN_PW))).isEmpty();
        for (int i = 0; i < 3; i++) {
            assertThat(run("GET", basic("admin", "again" + i)).orElseThrow().getStatus()).isEqualTo(401);
        }
        assertThat(run("GET", basic("admin", ADMIN_PW))).isEmpty();
    }

    @Test
    void wrong_bearer_tokens_are_throttled_too() {
        AuthFilter tokens = new AuthFilter(AuthFilter.Mode.TOKEN, users, Set.of("admin"), Set.of(), "the-t0ken",
                new CrossSiteCheck(List.of()), throttle, r -> peer);
        for (int i = 0; i < 4; i++) {
            ContainerRequestContext r = request("GET", "Bearer guess" + i);
            tokens.filter(r);
        }
        ContainerRequestContext r = request("GET", "Bearer the-t0ken");
        tokens.filter(r);
        ArgumentCaptor<Response> c = ArgumentCaptor.forClass(Response.class);
        verify(r).abortWith(c.capture());
        assertThat(c.getValue().getStatus()).isEqualTo(429);
        assertThat(c.getValue().getHeaderString("Retry-After")).isEqualTo("1");
    }

    @Test
    void a_cross_site_write_is_refused_before_the_credentials_are_checked() {
        ContainerRequestContext r = request("POST", basic("admin", ADMIN_PW));
        when(r.getHeaderString("Origin")).thenReturn("https://evil.example.net");
        filter.filter(r);
        ArgumentCaptor<Response> c = ArgumentCaptor.forClass(Response.class);
        verify(r).abortWith(c.capture());
        assertThat(c.getValue().getStatus()).isEqualTo(403);
        assertThat(checked).isEmpty();
    }

    @Test
    void log_text_has_no_control_characters() {
        assertThat(AuthFilter.printable("eve\r\nINFO forged")).isEqualTo("eve??INFO forged");
        assertThat(AuthFilter.printable("x".repeat(100))).hasSize(67);
    }
}
