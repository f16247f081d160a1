package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.ws.rs.HttpMethod;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

import org.cardinaldm.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The web console's login through {@link AuthFilter}: cookie, CSRF token, roles, throttle. */
class ConsoleLoginTest {
    private static final String ADMIN_PW = "adm1n-secret";
    private final List<String> checked = new ArrayList<>();
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
    private final ConsoleSessions sessions = new ConsoleSessions(clock, Duration.ofMinutes(30), Duration.ofHours(12), 100);
    private final AuthFilter filter = new AuthFilter(AuthFilter.Mode.JAAS, users, Set.of("admin"), Set.of("viewer"),
            null, new CrossSiteCheck(List.of()), throttle, r -> "192.0.2.7", sessions);

    private static ContainerRequestContext request(String method, String path, String body, boolean https) {
        ContainerRequestContext r = mock(ContainerRequestContext.class);
        UriInfo uri = mock(UriInfo.class);
        when(uri.getBaseUri()).thenReturn(URI.create((https ? "https" : "http") + "://127.0.0.1:8181/cardinal/api/v1/"));
        when(uri.getPath()).thenReturn(path);
        when(r.getUriInfo()).thenReturn(uri);
        when(r.getMethod()).thenReturn(method);
        when(r.getMediaType()).thenReturn(MediaType.APPLICATION_JSON_TYPE);
        when(r.getHeaderString("Host")).thenReturn("127.0.0.1:8181");
        SecurityContext sc = mock(SecurityContext.class);
        when(sc.isSecure()).thenReturn(https);
        when(r.getSecurityContext()).thenReturn(sc);
        if (body != null) {
            when(r.getEntityStream()).thenReturn(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        }
        return r;
    }

    private static ContainerRequestContext withCookie(ContainerRequestContext r, String cookie, String csrf) {
        Map<String, Cookie> cookies = new HashMap<>();
        cookies.put(ConsoleSessions.COOKIE, new Cookie(ConsoleSessions.COOKIE, cookie));
        when(r.getCookies()).thenReturn(cookies);
        when(r.getHeaderString(ConsoleSessions.CSRF_HEADER)).thenReturn(csrf);
        return r;
    }

    private static Optional<Response> run(AuthFilter f, ContainerRequestContext r) {
        f.filter(r);
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

    private Response login(String user, String password, boolean https) {
        return run(filter, request("POST", "console/session",
                "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}", https)).orElseThrow();
    }

    private static Map<?, ?> entity(Response r) {
        return (Map<?, ?>) r.getEntity();
    }

    private static String cookieValue(Response r) {
        String header = r.getHeaderString("Set-Cookie");
        return header.substring(header.indexOf('=') + 1, header.indexOf(';'));
    }

    @Test
    void a_login_answers_the_role_the_csrf_token_and_an_httponly_samesite_strict_cookie_on_the_api_path() {
        Response r = login("admin", ADMIN_PW, false);
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(entity(r).get("user")).isEqualTo("admin");
        assertThat(entity(r).get("role")).isEqualTo("admin");
        assertThat((String) entity(r).get("csrf")).hasSize(32);
        String cookie = r.getHeaderString("Set-Cookie");
        assertThat(cookie).startsWith("CardinalSession=").contains("; Path=/cardinal/api/v1; HttpOnly; SameSite=Strict")
                .doesNotContain("Secure").doesNotContain("Max-Age");
        assertThat(r.getHeaderString(HttpHeaders.CACHE_CONTROL)).isEqualTo("no-store");
        assertThat(entity(r).toString()).doesNotContain(cookieValue(r)).doesNotContain(ADMIN_PW);
        assertThat(sessions.find(cookieValue(r)).orElseThrow().user()).isEqualTo("admin");
    }

    @Test
    void over_https_the_cookie_is_secure() {
        assertThat(login("admin", ADMIN_PW, true).getHeaderString("Set-Cookie")).endsWith("; Secure");
    }

    @Test
    void a_viewer_logs_in_as_viewer_and_a_user_without_a_role_gets_no_session() {
        assertThat(entity(login("watcher", "w-pw", false)).get("role")).isEqualTo("viewer");
        Response guest = login("guest", "g-pw", false);
        assertThat(guest.getStatus()).isEqualTo(403);
        assertThat(guest.getHeaderString("Set-Cookie")).isNull();
        assertThat(sessions.size()).isEqualTo(1);
    }

    @Test
    void a_wrong_password_is_401_without_a_basic_challenge_and_counts_towards_the_throttle() {
        for (int i = 0; i < 4; i++) {
            Response r = login("admin", "wrong", false);
            assertThat(r.getStatus()).isEqualTo(401);
            assertThat(r.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isNull();
            assertThat(r.getHeaderString("Set-Cookie")).isNull();
        }
        checked.clear();
        Response blocked = login("admin", ADMIN_PW, false);
        assertThat(blocked.getStatus()).isEqualTo(429);
        assertThat(blocked.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(checked).as("no password checked while it must wait").isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(login("admin", ADMIN_PW, false).getStatus()).isEqualTo(200);
    }

    @Test
    void malformed_missing_and_oversized_logins_are_refused_before_any_password_is_checked() {
        for (String body : new String[] {"", "{", "[]", "{\"user\":\"admin\"}", "{\"password\":\"x\"}",
            "{\"user\":\" \",\"password\":\"x\"}", "{\"user\":1,\"password\":\"x\"}",
            "{\"user\":\"" + "u".repeat(257) + "\",\"password\":\"x\"}"}) {
            Response r = run(filter, request("POST", "console/session", body, false)).orElseThrow();
            assertThat(r.getStatus()).as(body).isEqualTo(400);
        }
        Response big = run(filter, request("POST", "/console/session",
                "{\"user\":\"admin\",\"password\":\"" + "p".repeat(5000) + "\"}", false)).orElseThrow();
        assertThat(big.getStatus()).isEqualTo(413);
        assertThat(checked).isEmpty();
    }

    @Test
    void a_cross_site_or_form_login_is_refused_before_the_password_is_checked() {
        ContainerRequestContext foreign = request("POST", "console/session",
                "{\"user\":\"admin\",\"password\":\"" + ADMIN_PW + "\"}", false);
        when(foreign.getHeaderString("Origin")).thenReturn("https://evil.example");
        assertThat(run(filter, foreign).orElseThrow().getStatus()).isEqualTo(403);
        ContainerRequestContext form = request("POST", "console/session", "user=admin&password=x", false);
        when(form.getMediaType()).thenReturn(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
        assertThat(run(filter, form).orElseThrow().getStatus()).isEqualTo(415);
        assertThat(checked).isEmpty();
    }

    @Test
    void the_session_cookie_authenticates_reads_and_writes_need_its_csrf_token() {
        Response admin = login("admin", ADMIN_PW, false);
        String cookie = cookieValue(admin);
        String csrf = (String) entity(admin).get("csrf");
        assertThat(run(filter, withCookie(request("GET", "devices", null, false), cookie, null))).isEmpty();
        Response noToken = run(filter, withCookie(request("POST", "devices/X/unlock", null, false), cookie, null))
                .orElseThrow();
        assertThat(noToken.getStatus()).isEqualTo(403);
        assertThat(entity(noToken).get("message").toString()).contains("X-Cardinal-CSRF");
        assertThat(run(filter, withCookie(request("POST", "devices/X/unlock", null, false), cookie, "wrong"))).isPresent();
        assertThat(run(filter, withCookie(request("DELETE", "jobs/1", null, false), cookie, null))).isPresent();
        assertThat(run(filter, withCookie(request("POST", "devices/X/unlock", null, false), cookie, csrf))).isEmpty();
        assertThat(run(filter, withCookie(request("DELETE", "jobs/1", null, false), cookie, csrf))).isEmpty();
    }

    @Test
    void a_viewer_session_reads_and_its_writes_are_403_even_with_the_token() {
        Response viewer = login("watcher", "w-pw", false);
        String cookie = cookieValue(viewer);
        String csrf = (String) entity(viewer).get("csrf");
        assertThat(run(filter, withCookie(request("GET", "devices/X/helpdesk", null, false), cookie, null))).isEmpty();
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            Response r = run(filter, withCookie(request(method, "devices/X/jobs", null, false), cookie, csrf)).orElseThrow();
            assertThat(r.getStatus()).isEqualTo(403);
            assertThat(entity(r).get("message")).isEqualTo("user watcher may only read (GET): " + method
                    + " needs one of the roles admin");
        }
    }

    @Test
    void every_endpoint_of_the_console_resource_lets_a_viewer_session_read_and_refuses_its_writes() {
        Response viewer = login("watcher", "w-pw", false);
        String cookie = cookieValue(viewer);
        String csrf = (String) entity(viewer).get("csrf");
        int reads = 0;
        for (Method m : ConsoleResource.class.getDeclaredMethods()) {
            String method = null;
            for (var a : m.getAnnotations()) {
                HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
                method = h != null ? h.value() : method;
            }
            if (method == null) {
                continue;
            }
            Optional<Response> r = run(filter, withCookie(request(method, "console/x", null, false), cookie, csrf));
            if (method.equals(HttpMethod.GET)) {
                reads++;
                assertThat(r).as(m.getName()).isEmpty();
            } else {
                assertThat(r).as(m.getName()).hasValueSatisfying(x -> assertThat(x.getStatus()).isEqualTo(403));
            }
        }
        assertThat(reads).isEqualTo(3);
    }

    @Test
    void an_ended_or_forged_session_is_401_and_the_console_header_suppresses_the_basic_challenge() {
        String cookie = cookieValue(login("admin", ADMIN_PW, false));
        clock.advance(Duration.ofMinutes(31));
        Response ended = run(filter, withCookie(request("GET", "devices", null, false), cookie, null)).orElseThrow();
        assertThat(ended.getStatus()).isEqualTo(401);
        assertThat(ended.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Basic realm=\"Cardinal\"");
        ContainerRequestContext console = withCookie(request("GET", "devices", null, false), "forged", null);
        when(console.getHeaderString(AuthFilter.CONSOLE_HEADER)).thenReturn("1");
        Response forged = run(filter, console).orElseThrow();
        assertThat(forged.getStatus()).isEqualTo(401);
        assertThat(forged.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isNull();
        assertThat(entity(forged).get("message")).isEqualTo("the console session has ended: log in again");
    }

    @Test
    void basic_credentials_win_over_a_cookie() {
        String viewerCookie = cookieValue(login("watcher", "w-pw", false));
        ContainerRequestContext r = withCookie(request("POST", "devices/X/unlock", null, false), viewerCookie, null);
        when(r.getHeaderString(HttpHeaders.AUTHORIZATION)).thenReturn("Basic " + java.util.Base64.getEncoder()
                .encodeToString(("admin:" + ADMIN_PW).getBytes(StandardCharsets.UTF_8)));
        assertThat(run(filter, r)).isEmpty();
    }

    @Test
    void without_jaas_there_is_no_console_login() {
        AuthFilter token = new AuthFilter(AuthFilter.Mode.TOKEN, users, Set.of("admin"), Set.of(), "t0ken",
                new CrossSiteCheck(List.of()), throttle, r -> "192.0.2.7", null);
        Response r = run(token, request("POST", "console/session",
                "{\"user\":\"admin\",\"password\":\"" + ADMIN_PW + "\"}", false)).orElseThrow();
        assertThat(r.getStatus()).isEqualTo(404);
        assertThat(checked).isEmpty();
    }

    @Test
    void the_cookie_path_falls_back_to_the_root_for_odd_base_paths() {
        ContainerRequestContext r = request("GET", "x", null, false);
        assertThat(AuthFilter.cookiePath(r)).isEqualTo("/cardinal/api/v1");
        when(r.getUriInfo().getBaseUri()).thenReturn(URI.create("http://h/a%3Bb/"));
        assertThat(AuthFilter.cookiePath(r)).isEqualTo("/");
        assertThat(AuthFilter.cookie("", "/p", true, 0)).isEqualTo(
                "CardinalSession=; Path=/p; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
    }
}
