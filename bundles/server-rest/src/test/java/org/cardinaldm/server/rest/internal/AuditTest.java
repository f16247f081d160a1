package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.UriInfo;

import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditLog;
import org.cardinaldm.server.api.audit.AuditQuery;
import org.cardinaldm.server.api.spi.StoreException;
import org.junit.jupiter.api.Test;

/** The audit of REST writes: what the filter records, what it never records, and {@code GET /audit}. */
class AuditTest {
    /** An audit log in memory. */
    static final class MemoryAudit implements AuditLog {
        final List<AuditEntry> entries = new ArrayList<>();

        @Override
        public AuditEntry record(String user, AuditEntry.Channel channel, String action, String target,
                String outcome, String origin) {
            AuditEntry e = new AuditEntry(entries.size() + 1, TestSupport.NOW, user, channel, action, target, outcome,
                    origin);
            entries.add(e);
            return e;
        }

        @Override
        public List<AuditEntry> list(long after, int limit) {
            List<AuditEntry> out = new ArrayList<>();
            for (int i = entries.size() - 1; i >= 0 && out.size() < limit; i--) {
                if (after == 0 || entries.get(i).id() < after) {
                    out.add(entries.get(i));
                }
            }
            return out;
        }

        @Override
        public List<AuditEntry> list(AuditQuery query) {
            List<AuditEntry> out = new ArrayList<>();
            for (int i = entries.size() - 1; i >= 0 && out.size() < query.limit(); i--) {
                AuditEntry e = entries.get(i);
                if ((query.after() == 0 || e.id() < query.after()) && query.matches(e)) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    private final MemoryAudit audit = new MemoryAudit();
    private final AuditFilter filter = new AuditFilter(audit);

    /** A request whose properties are kept, as the JAX-RS runtime keeps them. */
    private static ContainerRequestContext request(String method, String path, Map<String, Object> props) {
        ContainerRequestContext r = mock(ContainerRequestContext.class);
        when(r.getMethod()).thenReturn(method);
        when(r.getMediaType()).thenReturn(javax.ws.rs.core.MediaType.APPLICATION_JSON_TYPE);
        UriInfo uri = mock(UriInfo.class);
        when(uri.getPath(false)).thenReturn(path);
        when(uri.getPath()).thenReturn(path);
        when(r.getUriInfo()).thenReturn(uri);
        when(r.getProperty(any())).thenAnswer(i -> props.get((String) i.getArgument(0)));
        org.mockito.Mockito.doAnswer(i -> props.put(i.getArgument(0), i.getArgument(1))).when(r)
                .setProperty(any(), any());
        return r;
    }

    private static ContainerResponseContext status(int status) {
        ContainerResponseContext r = mock(ContainerResponseContext.class);
        when(r.getStatus()).thenReturn(status);
        return r;
    }

    @Test
    void an_identified_write_is_recorded_with_user_path_devid_status_and_origin_and_no_body() {
        Map<String, Object> props = new HashMap<>(Map.of(AuditFilter.USER, "operator", AuditFilter.ORIGIN, "192.0.2.9"));
        ContainerRequestContext r = request("POST", "devices/IMEI%3A4900%2F1/jobs", props);
        filter.filter(r, status(201));
        assertThat(audit.entries).containsExactly(new AuditEntry(1, TestSupport.NOW, "operator",
                AuditEntry.Channel.REST, "POST /devices/IMEI%3A4900%2F1/jobs", "IMEI:4900/1", "201 Created",
                "192.0.2.9"));
        verify(r, never()).getEntityStream(); // the body (job values, passwords) is never read
    }

    @Test
    void a_registration_is_recorded_with_the_devid_of_its_answer_and_a_refused_one_without() {
        Map<String, Object> props = new HashMap<>(Map.of(AuditFilter.USER, "operator"));
        ContainerResponseContext created = status(201);
        when(created.getEntity()).thenReturn(Map.of("deviceId", "IMEI:77", "state", "new"));
        filter.filter(request("POST", "devices", props), created);
        ContainerResponseContext refused = status(400);
        when(refused.getEntity()).thenReturn(ApiError.body(400, "deviceId is required"));
        filter.filter(request("POST", "devices", props), refused);
        assertThat(audit.entries).extracting(AuditEntry::target).containsExactly("IMEI:77", null);
    }

    @Test
    void a_console_write_refused_is_recorded_as_console_with_its_status() {
        Map<String, Object> props = new HashMap<>(Map.of(AuditFilter.USER, "viewer", AuditFilter.CHANNEL,
                AuditEntry.Channel.CONSOLE));
        filter.filter(request("DELETE", "/devices/IMEI:1", props), status(403));
        assertThat(audit.entries).singleElement().satisfies(e -> {
            assertThat(e.channel()).isEqualTo(AuditEntry.Channel.CONSOLE);
            assertThat(e.action()).isEqualTo("DELETE /devices/IMEI:1");
            assertThat(e.outcome()).isEqualTo("403 Forbidden (refused or failed)");
            assertThat(e.origin()).isNull();
        });
    }

    @Test
    void reads_and_requests_of_nobody_identified_are_not_recorded() {
        filter.filter(request("GET", "devices", new HashMap<>(Map.of(AuditFilter.USER, "operator"))), status(200));
        filter.filter(request("HEAD", "devices", new HashMap<>(Map.of(AuditFilter.USER, "operator"))), status(200));
        filter.filter(request("POST", "devices", new HashMap<>()), status(401));
        assertThat(audit.entries).isEmpty();
    }

    @Test
    void a_failing_audit_store_does_not_change_the_answer() {
        AuditLog broken = mock(AuditLog.class);
        when(broken.record(any(), any(), any(), any(), any(), any())).thenThrow(new StoreException("disk full", null));
        new AuditFilter(broken).filter(request("PUT", "campaigns/1/pause",
                new HashMap<>(Map.of(AuditFilter.USER, "operator"))), status(204));
        verify(broken).record(eq("operator"), eq(AuditEntry.Channel.REST), eq("PUT /campaigns/1/pause"), eq("1"),
                eq("204 No Content"), eq(null));
    }

    @Test
    void the_auth_filter_names_the_operator_of_a_refused_write_but_not_of_a_wrong_password() {
        Authenticator users = (user, password) -> user.equals("viewer") && new String(password).equals("v-pw")
                ? Optional.of(Set.of("viewer")) : Optional.empty();
        AuthFilter auth = new AuthFilter(AuthFilter.Mode.JAAS, users, Set.of("admin"), Set.of("viewer"), null,
                new CrossSiteCheck(List.of()), new LoginThrottle(Clock.systemUTC(), 5, 20, Duration.ofMinutes(1), 100),
                x -> "198.51.100.7");
        Map<String, Object> props = new HashMap<>();
        ContainerRequestContext r = request("POST", "devices/IMEI:1/unlock", props);
        when(r.getHeaderString(HttpHeaders.AUTHORIZATION)).thenReturn(basic("viewer", "v-pw"));
        auth.filter(r);
        assertThat(props).containsEntry(AuditFilter.USER, "viewer").containsEntry(AuditFilter.ORIGIN, "198.51.100.7");
        filter.filter(r, status(403));
        assertThat(audit.entries).singleElement().satisfies(e -> assertThat(e.user()).isEqualTo("viewer"));

        Map<String, Object> wrong = new HashMap<>();
        ContainerRequestContext w = request("POST", "devices/IMEI:1/unlock", wrong);
        when(w.getHeaderString(HttpHeaders.AUTHORIZATION)).thenReturn(basic("viewer", "guess"));
        auth.filter(w);
        assertThat(wrong).doesNotContainKey(AuditFilter.USER);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void get_audit_pages_newest_first_and_refuses_bad_paging() {
        for (int i = 0; i < 5; i++) {
            audit.record("operator", AuditEntry.Channel.SHELL, "dms:device-unlock", "IMEI:" + i, "ok", null);
        }
        AuditResource resource = new AuditResource(audit);
        Map<String, Object> first = resource.list(0, 3);
        List<Map<String, Object>> items = (List<Map<String, Object>>) first.get("items");
        assertThat(items).extracting(m -> m.get("target")).containsExactly("IMEI:4", "IMEI:3", "IMEI:2");
        assertThat(items.get(0)).containsOnlyKeys("id", "time", "user", "channel", "action", "target", "outcome",
                "origin").containsEntry("channel", "shell");
        Map<String, Object> second = resource.list((Long) first.get("next"), 3);
        assertThat((List<Map<String, Object>>) second.get("items")).extracting(m -> m.get("target"))
                .containsExactly("IMEI:1", "IMEI:0");
        assertThat(second.get("next")).isNull();
        for (Runnable bad : List.<Runnable>of(() -> resource.list(0, 0), () -> resource.list(0, 501),
                () -> resource.list(-1, 10))) {
            assertThatThrownBy(bad::run).isInstanceOf(WebApplicationException.class)
                    .satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(400));
        }
    }

    private void recordAt(String user, String action, String target, Instant at) {
        audit.entries.add(new AuditEntry(audit.entries.size() + 1, at, user, AuditEntry.Channel.CONSOLE, action, target,
                "201 Created", null));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> ids(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("items")).stream().map(m -> m.get("id")).toList();
    }

    @Test
    void get_audit_filters_by_actor_action_target_and_time_range_in_keyset_pages() {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        recordAt("alice", "POST /devices/IMEI:1/jobs", "IMEI:1", t);                      // 1
        recordAt("bob", "POST /devices/IMEI:1/tags", "IMEI:1", t.plusSeconds(3600));       // 2
        recordAt("alice", "POST /devices/IMEI:2/jobs", "IMEI:2", t.plusSeconds(7200));     // 3
        recordAt("alice", "DELETE /jobs/9", null, t.plusSeconds(86_400));                  // 4
        recordAt("alice", "POST /devices/IMEI:1/unlock", "IMEI:1", t.plusSeconds(90_000)); // 5
        AuditResource r = new AuditResource(audit);
        assertThat(ids(r.list(null, null, "alice", null, null, null, null))).containsExactly(5L, 4L, 3L, 1L);
        assertThat(ids(r.list(null, null, null, "/JOBS", null, null, null))).containsExactly(4L, 3L, 1L);
        assertThat(ids(r.list(null, null, null, null, "IMEI:1", null, null))).containsExactly(5L, 2L, 1L);
        assertThat(ids(r.list(null, null, "alice", "jobs", "IMEI:1", null, null))).containsExactly(1L);
        assertThat(ids(r.list(null, null, null, null, null, "2026-12-07T11:00:00Z", "2026-12-08T00:00:00+01:00")))
                .containsExactly(3L, 2L); // since included; until 2026-12-07T23:00Z excludes 4
        assertThat(ids(r.list(null, null, null, null, null, "2026-12-08", null))).containsExactly(5L, 4L);
        assertThat(ids(r.list(null, null, "  ", "", null, null, " "))).hasSize(5); // blank means any
        Map<String, Object> first = r.list(null, "2", "alice", null, null, null, null);
        assertThat(ids(first)).containsExactly(5L, 4L);
        assertThat(first.get("next")).isEqualTo(4L);
        Map<String, Object> second = r.list("4", "2", "alice", null, null, null, null);
        assertThat(ids(second)).containsExactly(3L, 1L);
        assertThat(ids(r.list(String.valueOf(second.get("next")), "2", "alice", null, null, null, null))).isEmpty();
    }

    @Test
    void bad_audit_filters_are_400_naming_the_parameter_without_echoing_its_value() {
        AuditResource r = new AuditResource(audit);
        String longText = "x".repeat(AuditEntry.MAX_TARGET + 1);
        List<Map.Entry<String, Runnable>> bad = List.of(
                Map.entry("limit", () -> r.list(null, "0", null, null, null, null, null)),
                Map.entry("limit", () -> r.list(null, "501", null, null, null, null, null)),
                Map.entry("limit", () -> r.list(null, "ten<script>", null, null, null, null, null)),
                Map.entry("after", () -> r.list("-1", null, null, null, null, null, null)),
                Map.entry("after", () -> r.list("99999999999999999999", null, null, null, null, null, null)),
                Map.entry("actor", () -> r.list(null, null, "eve\nadmin", null, null, null, null)),
                Map.entry("target", () -> r.list(null, null, null, null, longText, null, null)),
                Map.entry("since", () -> r.list(null, null, null, null, null, "yesterday<b>", null)),
                Map.entry("until", () -> r.list(null, null, null, null, null, null, "2026-13-45T99:00:00Z")),
                Map.entry("since must be before until", () -> r.list(null, null, null, null, null, "2026-12-08", "2026-12-07")),
                Map.entry("since", () -> r.list(null, null, null, null, null, "2026-12-07T10:00:00", null))); // no offset
        for (Map.Entry<String, Runnable> b : bad) {
            assertThatThrownBy(b.getValue()::run).as(b.getKey()).isInstanceOf(WebApplicationException.class)
                    .satisfies(e -> {
                        javax.ws.rs.core.Response resp = ((WebApplicationException) e).getResponse();
                        assertThat(resp.getStatus()).isEqualTo(400);
                        String message = String.valueOf(((Map<?, ?>) resp.getEntity()).get("message"));
                        assertThat(message).startsWith(b.getKey()).doesNotContain("<").doesNotContain("xxxx")
                                .doesNotContain("9999").doesNotContain("\n");
                    });
        }
    }

    @Test
    void the_devid_of_a_path_is_decoded_and_other_paths_have_none() {
        assertThat(AuditFilter.target("devices/IMEI%3A1%2B2/jobs")).isEqualTo("IMEI:1+2");
        assertThat(AuditFilter.target("devices/a+b")).isEqualTo("a+b");
        assertThat(AuditFilter.target("devices/%zz")).isEqualTo("%zz");
        assertThat(AuditFilter.target("devices/")).isNull();
        assertThat(AuditFilter.target("device-tags/IMEI%3A7")).isEqualTo("IMEI:7");
        assertThat(AuditFilter.target("campaigns/1/pause")).isEqualTo("1");
        assertThat(AuditFilter.target("jobs/42")).isEqualTo("42");
        assertThat(AuditFilter.target("campaigns")).isNull();
        assertThat(AuditFilter.target("firmware/packages/fw.img")).isNull();
        assertThat(AuditFilter.target("console/session")).isNull();
    }
}
