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
import org.cardinaldm.server.api.DevicePage;
import org.cardinaldm.server.api.DeviceSearch;
import org.cardinaldm.server.api.DeviceState;
import org.cardinaldm.server.api.FleetStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /console}: what the web console needs beyond the operations of the shell. The login itself
 * ({@code POST console/session}) is answered by {@link AuthFilter}; here are the session's view and
 * logout, the fleet list with search, filters and keyset paging, and the fleet's figures (devices per
 * state, devices seen per hour).
 *
 * <p>The fleet list and figures come from the registry's search ({@link DeviceManager#search},
 * {@link DeviceManager#fleetStats}), which dm-server-jdbc answers in SQL with indexes: a page reads the page's
 * devices only, never the whole registry.
 */
@Path("console")
@Produces(MediaType.APPLICATION_JSON)
public final class ConsoleResource {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleResource.class);

    /** The most devices in one page. */
    static final int MAX_PAGE = DeviceSearch.MAX_PAGE;
    /** The longest search text and keyset value. */
    static final int MAX_TEXT = DeviceSearch.MAX_TEXT;
    /** The most hours of the seen-per-hour chart. */
    static final int MAX_HOURS = DeviceSearch.MAX_HOURS;

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
     * One page of the fleet, ordered by DevId: devices whose DevId, card, manufacturer, model or firmware
     * version contains {@code q} (case-insensitive, {@link DeviceSearch}), in {@code state}, after the DevId {@code after} (keyset paging).
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
        Instant now = clock.instant();
        DevicePage page = devices.search(q, wanted, after.isEmpty() ? null : after, limit);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Device d : page.devices()) {
            items.add(fleetRow(d, now));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("next", page.next());
        m.put("total", page.total());
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
        FleetStats figures = devices.fleetStats(hours);
        Map<String, Long> states = new LinkedHashMap<>();
        for (DeviceState s : DeviceState.values()) {
            states.put(Views.name(s), figures.states().get(s));
        }
        List<Map<String, Object>> perHour = new ArrayList<>();
        for (int i = 0; i < figures.seenPerHour().size(); i++) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("hour", figures.firstHour().plus(i, ChronoUnit.HOURS).toString());
            h.put("devices", figures.seenPerHour().get(i));
            perHour.add(h);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("states", states);
        m.put("seenPerHour", perHour);
        m.put("total", figures.total());
        return m;
    }

    /** @return a line of the fleet: the device list's fields, the firmware version and the model */
    static Map<String, Object> fleetRow(Device d, Instant now) {
        Map<String, Object> m = Views.deviceSummary(d, now);
        m.put("firmwareVersion", DeviceSearch.firmwareVersion(d.devInfo()));
        m.put("model", d.devInfo().get("./DevInfo/Mod"));
        m.put("enabled", d.enabled());
        return m;
    }
}
