package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.DeviceSearch;
import org.cardinaldm.server.api.FleetStats;
import org.cardinaldm.testing.MutableClock;
import org.junit.jupiter.api.Test;

class ConsoleResourceTest {
    private final MutableClock clock = new MutableClock(TestSupport.NOW);
    private final DeviceManager devices = mock(DeviceManager.class);
    {
        // the registry's search and figures as the whole-registry default computes them, on the test's clock
        when(devices.search(any(), any(), any(), anyInt())).thenAnswer(i -> DeviceSearch.page(devices.devices(),
                i.getArgument(0), i.getArgument(1), i.getArgument(2), i.getArgument(3), clock.instant()));
        when(devices.fleetStats(anyInt())).thenAnswer(i -> FleetStats.of(devices.devices(), clock.instant(),
                i.getArgument(0)));
    }
    private final ConsoleSessions sessions = new ConsoleSessions(clock, Duration.ofMinutes(30), Duration.ofHours(12), 10);
    private final ConsoleResource resource = new ConsoleResource(devices, sessions, clock);

    private static Device device(String id, String card, Map<String, String> devInfo, Instant last, boolean enabled,
            Instant lockedUntil) {
        return new Device(id, card, devInfo, last, last, AuthScheme.MD5, id, AuthScheme.MD5, "srv", enabled, 0, 0,
                lockedUntil, null);
    }

    private void fleetOf(int n) {
        List<Device> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(device(String.format("IMEI:%04d", i), i % 2 == 0 ? "8944" + i : null,
                    Map.of("./DevInfo/Mod", i % 3 == 0 ? "Gateway-X" : "Meter"), i % 5 == 0 ? null
                            : TestSupport.NOW.minus(Duration.ofMinutes(37L * i)), i != 7, null));
        }
        when(devices.devices()).thenReturn(all);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    @Test
    void keyset_pages_walk_the_fleet_in_devid_order_without_gaps_or_repeats() {
        fleetOf(23);
        List<Object> seen = new ArrayList<>();
        String after = "";
        int pages = 0;
        while (true) {
            Map<String, Object> page = resource.fleet("", "", after, 10);
            pages++;
            items(page).forEach(d -> seen.add(d.get("deviceId")));
            assertThat(page.get("total")).isEqualTo(23L);
            if (page.get("next") == null) {
                break;
            }
            after = (String) page.get("next");
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(23).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> a.toString().compareTo(b.toString()));
        assertThat(resource.fleet("", "", "IMEI:0019", 4).get("next")).as("the last page exactly full").isNull();
    }

    @Test
    void search_looks_at_the_devid_the_card_and_the_model_and_filters_by_state() {
        fleetOf(23);
        assertThat(items(resource.fleet("gateway-x", "", "", 50))).hasSize(8);
        assertThat(items(resource.fleet("89440", "", "", 50))).extracting(d -> d.get("deviceId")).containsExactly("IMEI:0000");
        assertThat(items(resource.fleet("imei:0012", "", "", 50))).hasSize(1);
        assertThat(items(resource.fleet("", "disabled", "", 50))).extracting(d -> d.get("deviceId")).containsExactly("IMEI:0007");
        assertThat(items(resource.fleet("", "NEW", "", 50))).hasSize(5);
        assertThat(items(resource.fleet("nothing-like-this", "", "", 50))).isEmpty();
        resource.fleet(" Meter ", "locked", "IMEI:0003", 20);
        verify(devices).search(" Meter ", org.cardinaldm.server.api.DeviceState.LOCKED, "IMEI:0003", 20);
    }

    @Test
    void a_row_carries_state_last_contact_card_firmware_and_lockout() {
        Instant locked = TestSupport.NOW.plus(Duration.ofMinutes(5));
        when(devices.devices()).thenReturn(List.of(device("IMEI:1", "8944", Map.of("./DevDetail/FwV", "2.1.0",
                "./DevInfo/Mod", "M1"), TestSupport.NOW.minusSeconds(60), true, locked)));
        Map<String, Object> row = items(resource.fleet("", "", "", 1)).get(0);
        assertThat(row).containsEntry("state", "locked").containsEntry("cardId", "8944")
                .containsEntry("firmwareVersion", "2.1.0").containsEntry("model", "M1")
                .containsEntry("lockedUntil", locked.toString())
                .containsEntry("lastContact", TestSupport.NOW.minusSeconds(60).toString());
    }

    @Test
    void bad_paging_and_filter_values_are_400_naming_the_parameter() {
        fleetOf(3);
        for (Runnable call : List.<Runnable>of(() -> resource.fleet("", "", "", 0), () -> resource.fleet("", "", "", 501),
                () -> resource.fleet("", "sleeping", "", 10), () -> resource.fleet("x".repeat(257), "", "", 10),
                () -> resource.fleet("", "", "x".repeat(257), 10), () -> resource.stats(0), () -> resource.stats(10_000))) {
            assertThatThrownBy(call::run).isInstanceOf(WebApplicationException.class)
                    .satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(400));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void stats_count_states_and_devices_seen_per_hour_oldest_first() {
        fleetOf(23);
        Map<String, Object> stats = resource.stats(24);
        Map<String, Long> states = (Map<String, Long>) stats.get("states");
        assertThat(states).containsEntry("new", 5L).containsEntry("disabled", 1L).containsEntry("active", 17L)
                .containsEntry("locked", 0L);
        List<Map<String, Object>> hours = (List<Map<String, Object>>) stats.get("seenPerHour");
        assertThat(hours).hasSize(24);
        assertThat(hours.get(23).get("hour")).isEqualTo("2026-11-27T12:00:00Z");
        assertThat(hours.get(0).get("hour")).isEqualTo("2026-11-26T13:00:00Z");
        long counted = hours.stream().mapToLong(h -> (Long) h.get("devices")).sum();
        // contacts 37 minutes apart: 0..22 minus the never-seen (i % 5 == 0), all within 24 h (22 * 37 min < 14 h)
        assertThat(counted).isEqualTo(18);
        assertThat(hours.get(23).get("devices")).as("the current hour holds the contact at 12:00 only").isEqualTo(0L);
        verify(devices).fleetStats(24); // the registry's figures, computed by its store
    }

    @Test
    void the_session_view_gives_a_console_session_its_csrf_token_and_basic_users_none() {
        ConsoleSessions.Opened o = sessions.open("alice", false);
        Response r = resource.session(o.cookie(), operator("alice", false));
        Map<?, ?> view = (Map<?, ?>) r.getEntity();
        assertThat(view.get("role")).isEqualTo("viewer");
        assertThat(view.get("csrf")).isEqualTo(o.session().csrf());
        assertThat(view.get("auth")).isEqualTo("session");
        Map<?, ?> basic = (Map<?, ?>) resource.session(null, operator("bob", true)).getEntity();
        assertThat(basic.get("role")).isEqualTo("admin");
        assertThat(basic.get("csrf")).isNull();
        Map<?, ?> other = (Map<?, ?>) resource.session(o.cookie(), operator("mallory", true)).getEntity();
        assertThat(other.get("csrf")).as("another user's cookie next to Basic credentials").isNull();
        assertThat(((Map<?, ?>) resource.session(null, null).getEntity()).get("auth")).isEqualTo("none");
    }

    @Test
    void logout_ends_the_session_and_deletes_the_cookie() {
        ConsoleSessions.Opened o = sessions.open("alice", true);
        Response r = resource.logout(o.cookie(), null, operator("alice", true));
        assertThat(r.getStatus()).isEqualTo(204);
        assertThat(r.getHeaderString("Set-Cookie")).contains("CardinalSession=;").contains("Max-Age=0");
        assertThat(sessions.find(o.cookie())).isEmpty();
    }

    private static SecurityContext operator(String name, boolean admin) {
        SecurityContext sc = mock(SecurityContext.class);
        Principal p = () -> name;
        when(sc.getUserPrincipal()).thenReturn(p);
        when(sc.isUserInRole(AuthFilter.ADMIN)).thenReturn(admin);
        return sc;
    }
}
