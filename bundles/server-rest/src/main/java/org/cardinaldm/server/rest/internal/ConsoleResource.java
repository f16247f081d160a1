package org.cardinaldm.server.rest.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.CookieParam;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.DeviceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /console}: what the web console needs beyond the operations of the shell. The login itself
 * ({@code POST console/session}) is answered by {@link AuthFilter}; here are the session's view and
 * logout, the fleet list with search, filters and keyset paging, and the fleet's figures (devices per
 * state, devices seen per hour).
 *
 * <p>The fleet list is computed from {@link DeviceManager#devices()} (ordered by DevId), which reads the
 * whole registry: fine for thousands of devices. A store-side search (filter and keyset in SQL) is the
 * registry's to add; this resource's answers stay the same then.
 */
@Path("console")
@Produces(MediaType.APPLICATION_JSON)
public final class ConsoleResource {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleResource.class);

    /** The most devices in one page. */
    static final int MAX_PAGE = 500;
    /** The longest search text and keyset value. */
    static final int MAX_TEXT = 256;
    /** The most hours of the seen-per-hour chart. */
    static final int MAX_HOURS = 24 * 14;
    /** The reported values that hold a firmware version, in order of preference. */
    static final List<String> FIRMWARE_URIS = List.of("./DevDetail/FwV", "./DevInfo/FwV", "./DevDetail/SwV");

    private final DeviceManager devices;
    private final ConsoleSessions sessions;
    private final Clock clock;

    ConsoleResource(DeviceManager devices, ConsoleSessions sessions, Clock clock) {
        this.devices = devices;
        this.sessions = sessions;
        this.clock = clock;
    }

    /**
     * @param session the session, or null
     * @param auth how the operator authenticated
     * @param idle how long the session lives without a request, or null
     * @return the JSON view of a login: user, role, the session's CSRF token
     */
    static Map<String, Object> sessionView(ConsoleSessions.Session session, String auth, Duration idle) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", session.user());
        m.put("role", session.admin() ? "admin" : "viewer");
        m.put("auth", auth);
        m.put("csrf", session.csrf());
        m.put("idleSeconds", idle == null ? null : idle.toSeconds());
        return m;
    }

    /**
     * Who is logged in: the user, the role ({@code admin} or {@code viewer}) and, for a console session,
     * its CSRF token (which the console sends with every write).
     *
     * @param cookie the session cookie, or null
     * @param sc the operator
     * @return the view
     */
    @GET
    @Path("session")
    public Response session(@CookieParam(ConsoleSessions.COOKIE) String cookie, @Context SecurityContext sc) {
        Map<String, Object> view;
        Optional<ConsoleSessions.Session> s = sessions == null || cookie == null ? Optional.empty() : sessions.find(cookie);
        if (s.isPresent() && sc != null && sc.getUserPrincipal() != null
                && s.get().user().equals(sc.getUserPrincipal().getName())) {
            view = sessionView(s.get(), "session", sessions.idle());
        } else {
            view = new LinkedHashMap<>();
            boolean none = sc == null || sc.getUserPrincipal() == null;
            view.put("user", none ? null : sc.getUserPrincipal().getName());
            view.put("role", none || sc.isUserInRole(AuthFilter.ADMIN) ? "admin" : "viewer");
            view.put("auth", none ? "none" : "basic");
            view.put("csrf", null);
            view.put("idleSeconds", null);
        }
        return Response.ok(view).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /**
     * Logs the console out: the session ends and the cookie is deleted.
     *
     * @param cookie the session cookie, or null
     * @param uri the request URI (for the cookie's path)
     * @param sc the operator
     * @return 204
     */
    @DELETE
    @Path("session")
    public Response logout(@CookieParam(ConsoleSessions.COOKIE) String cookie, @Context UriInfo uri,
            @Context SecurityContext sc) {
        if (sessions != null && sessions.close(cookie)) {
            LOG.info("Console logout of {}", AuthFilter.printable(sc == null || sc.getUserPrincipal() == null ? null
                    : sc.getUserPrincipal().getName()));
        }
        String path = uri == null || uri.getBaseUri() == null ? "/" : uri.getBaseUri().getRawPath();
        if (path == null || !path.matches("[A-Za-z0-9/._~-]+")) {
            path = "/";
        } else if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        boolean secure = sc != null && sc.isSecure();
        return Response.noContent().header("Set-Cookie", AuthFilter.cookie("", path, secure, 0)).build();
    }

    /**
     * One page of the fleet, ordered by DevId: devices whose DevId, card or a reported value contains
     * {@code q} (case-insensitive), in {@code state}, after the DevId {@code after} (keyset paging).
     *
     * @param q search text, or empty
     * @param state {@code new}, {@code active}, {@code locked}, {@code disabled}, or empty for all
     * @param after the last DevId of the previous page, or empty for the first page
     * @param limit the page size, 1 to {@value #MAX_PAGE}
     * @return {@code items}, {@code next} (the {@code after} of the next page, or null) and {@code total}
     *         (devices registered)
     */
    @GET
    @Path("devices")
    public Map<String, Object> fleet(@QueryParam("q") @DefaultValue("") String q,
            @QueryParam("state") @DefaultValue("") String state, @QueryParam("after") @DefaultValue("") String after,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiError.badRequest("limit must be 1 to " + MAX_PAGE);
        }
        if (q.length() > MAX_TEXT || after.length() > MAX_TEXT) {
            throw ApiError.badRequest("q and after are at most " + MAX_TEXT + " characters");
        }
        DeviceState wanted = null;
        if (!state.isBlank()) {
            try {
                wanted = DeviceState.valueOf(state.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("state must be new, active, locked or disabled");
            }
        }
        String needle = q.trim().toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        List<Device> all = devices.devices();
        List<Map<String, Object>> items = new ArrayList<>();
        boolean more = false;
        for (Device d : all) {
            if (!after.isEmpty() && d.deviceId().compareTo(after) <= 0) {
                continue;
            }
            if (wanted != null && d.state(now) != wanted || !needle.isEmpty() && !matches(d, needle)) {
                continue;
            }
            if (items.size() == limit) {
                more = true;
                break;
            }
            items.add(fleetRow(d, now));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("next", more ? items.get(items.size() - 1).get("deviceId") : null);
        m.put("total", all.size());
        return m;
    }

    /**
     * The fleet's figures: devices per state, and how many devices were last seen in each of the last
     * {@code hours} hours (from their last contact; the oldest hour first).
     *
     * @param hours 1 to {@value #MAX_HOURS}
     * @return {@code states}, {@code seenPerHour} ({@code hour}, {@code devices}), {@code total}
     */
    @GET
    @Path("stats")
    public Map<String, Object> stats(@QueryParam("hours") @DefaultValue("24") int hours) {
        if (hours < 1 || hours > MAX_HOURS) {
            throw ApiError.badRequest("hours must be 1 to " + MAX_HOURS);
        }
        Instant now = clock.instant();
        Instant top = now.truncatedTo(ChronoUnit.HOURS);
        Instant first = top.minus(hours - 1L, ChronoUnit.HOURS);
        Map<String, Integer> states = new LinkedHashMap<>();
        for (DeviceState s : DeviceState.values()) {
            states.put(Views.name(s), 0);
        }
        int[] seen = new int[hours];
        List<Device> all = devices.devices();
        for (Device d : all) {
            states.merge(Views.name(d.state(now)), 1, Integer::sum);
            Instant c = d.lastContact();
            if (c != null && !c.isBefore(first) && !c.isAfter(now)) {
                seen[(int) ChronoUnit.HOURS.between(first, c.truncatedTo(ChronoUnit.HOURS))]++;
            }
        }
        List<Map<String, Object>> perHour = new ArrayList<>();
        for (int i = 0; i < hours; i++) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("hour", first.plus(i, ChronoUnit.HOURS).toString());
            h.put("devices", seen[i]);
            perHour.add(h);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("states", states);
        m.put("seenPerHour", perHour);
        m.put("total", all.size());
        return m;
    }

    private static boolean matches(Device d, String needle) {
        if (d.deviceId().toLowerCase(Locale.ROOT).contains(needle)
                || d.cardId() != null && d.cardId().toLowerCase(Locale.ROOT).contains(needle)) {
            return true;
        }
        return d.devInfo().values().stream().anyMatch(v -> v != null && v.toLowerCase(Locale.ROOT).contains(needle));
    }

    /** @return a line of the fleet: the device list's fields, the firmware version and the model */
    static Map<String, Object> fleetRow(Device d, Instant now) {
        Map<String, Object> m = Views.deviceSummary(d, now);
        m.put("firmwareVersion", FIRMWARE_URIS.stream().map(d.devInfo()::get).filter(v -> v != null && !v.isBlank())
                .findFirst().orElse(null));
        m.put("model", d.devInfo().get("./DevInfo/Mod"));
        m.put("enabled", d.enabled());
        return m;
    }
}
