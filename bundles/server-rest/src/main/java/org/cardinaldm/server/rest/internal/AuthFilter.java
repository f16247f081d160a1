package org.cardinaldm.server.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Lets operators only through, before any resource is matched (so an unknown path is 401 too). First
 * the {@link CrossSiteCheck} refuses cross-site writes (in every mode), then:
 * <ul>
 * <li>{@link Mode#JAAS}: HTTP Basic checked against a JAAS realm (401 with a {@code WWW-Authenticate}
 * challenge when the credentials are absent or wrong). A user with one of the administrator roles may
 * do everything; a user with one of the viewer roles only GET, HEAD and OPTIONS; 403 otherwise, or
 * for a viewer's write.</li>
 * <li>{@link Mode#TOKEN}: {@code Authorization: Bearer <token>} compared in constant time with the
 * configured token; the holder is an administrator. No token configured refuses everything.</li>
 * <li>{@link Mode#NONE}: open; only when the operator configured it so.</li>
 * </ul>
 * Wrong passwords and tokens are counted by a {@link LoginThrottle} per user name and peer address and
 * per peer address; while one of them must wait, the answer is 429 with {@code Retry-After} and the
 * credentials are not checked. The peer address is the servlet container's
 * {@link HttpServletRequest#getRemoteAddr()}: {@code X-Forwarded-For} is not read. Nothing of the
 * credentials is logged.
 *
 * <p>The web console logs in once instead of sending Basic credentials with every request (mode JAAS,
 * when {@link ConsoleSessions} are configured): {@code POST console/session} with
 * {@code {"user": ..., "password": ...}} is checked here like a Basic login (same realm, roles and
 * throttle) and answered with a session cookie (HttpOnly, SameSite=Strict, Secure on HTTPS, path of the
 * API). A request without an {@code Authorization} header but with that cookie is the session's
 * operator; its writes must also send the session's CSRF token in {@value ConsoleSessions#CSRF_HEADER},
 * after the {@link CrossSiteCheck}. A request that says {@code X-Cardinal-Console: 1} gets its 401
 * without a {@code WWW-Authenticate} challenge, so that the browser shows the console's login page
 * instead of its own password dialog.
 */
@PreMatching
final class AuthFilter implements ContainerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);

    /** The realm named in challenges. */
    static final String CHALLENGE_REALM = "Cardinal";

    /** How operators authenticate. */
    enum Mode {
        /** HTTP Basic against a JAAS realm, with a role. */
        JAAS,
        /** A bearer token from the configuration. */
        TOKEN,
        /** No authentication (only when configured). */
        NONE;

        static Optional<Mode> parse(String text) {
            if (text == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** The methods a viewer may use. */
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    /** The user name under which wrong bearer tokens are counted. */
    private static final String TOKEN_USER = "(bearer token)";
    /** The path of the console's login, relative to the application. */
    static final String LOGIN_PATH = "console/session";
    /** The header by which the console asks for 401s without a Basic challenge. */
    static final String CONSOLE_HEADER = "X-Cardinal-Console";
    /** The largest login body read. */
    private static final int MAX_LOGIN_BYTES = 4096;
    private static final ObjectMapper LOGIN_JSON = new ObjectMapper();

    private final Mode mode;
    private final Authenticator authenticator;
    private final Set<String> roles;
    private final Set<String> viewerRoles;
    private final byte[] token;
    private final CrossSiteCheck crossSite;
    private final LoginThrottle throttle;
    private final Function<ContainerRequestContext, String> peer;
    private final ConsoleSessions sessions;

    /** The servlet request of the current call (a thread-local proxy the JAX-RS runtime injects). */
    @Context
    private HttpServletRequest servletRequest;

    /**
     * Administrators only, no cross-site allow-list, the default throttle on the system clock.
     *
     * @param mode the mode
     * @param authenticator the JAAS check (mode JAAS)
     * @param roles the roles of which the operator needs one (mode JAAS)
     * @param token the bearer token (mode TOKEN), or null/empty for none
     */
    AuthFilter(Mode mode, Authenticator authenticator, Set<String> roles, String token) {
        this(mode, authenticator, roles, Set.of(), token, new CrossSiteCheck(List.of()),
                new LoginThrottle(Clock.systemUTC(), 5, 20, Duration.ofMinutes(15), 10_000), null);
    }

    /**
     * @param mode the mode
     * @param authenticator the JAAS check (mode JAAS)
     * @param roles the administrator roles: any of them allows everything (mode JAAS)
     * @param viewerRoles the viewer roles: any of them allows GET, HEAD and OPTIONS (mode JAAS)
     * @param token the bearer token (mode TOKEN), or null/empty for none
     * @param crossSite the cross-site check, asked first
     * @param throttle counts wrong passwords and tokens
     * @param peer the peer address of a request, or null for the servlet container's
     */
    AuthFilter(Mode mode, Authenticator authenticator, Set<String> roles, Set<String> viewerRoles, String token,
            CrossSiteCheck crossSite, LoginThrottle throttle, Function<ContainerRequestContext, String> peer) {
        this(mode, authenticator, roles, viewerRoles, token, crossSite, throttle, peer, null);
    }

    /**
     * @param mode the mode
     * @param authenticator the JAAS check (mode JAAS)
     * @param roles the administrator roles: any of them allows everything (mode JAAS)
     * @param viewerRoles the viewer roles: any of them allows GET, HEAD and OPTIONS (mode JAAS)
     * @param token the bearer token (mode TOKEN), or null/empty for none
     * @param crossSite the cross-site check, asked first
     * @param throttle counts wrong passwords and tokens
     * @param peer the peer address of a request, or null for the servlet container's
     * @param sessions the web console's logins (mode JAAS), or null for none
     */
    AuthFilter(Mode mode, Authenticator authenticator, Set<String> roles, Set<String> viewerRoles, String token,
            CrossSiteCheck crossSite, LoginThrottle throttle, Function<ContainerRequestContext, String> peer,
            ConsoleSessions sessions) {
        this.sessions = sessions;
        this.mode = mode;
        this.authenticator = authenticator;
        this.roles = Set.copyOf(roles);
        this.viewerRoles = Set.copyOf(viewerRoles);
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.crossSite = crossSite;
        this.throttle = throttle;
        this.peer = peer;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<Response> crossSiteRefusal = crossSite.refusal(request);
        if (crossSiteRefusal.isPresent()) {
            request.abortWith(crossSiteRefusal.get());
            return;
        }
        request.setProperty(AuditFilter.ORIGIN, source(request));
        if (isLogin(request)) {
            login(request);
            return;
        }
        switch (mode) {
            case NONE:
                request.setProperty(AuditFilter.USER, "(auth=none)");
                return;
            case TOKEN:
                bearer(request);
                return;
            default:
                basic(request);
        }
    }

    private void bearer(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse(request, "Bearer", "a bearer token is required");
            return;
        }
        String source = source(request);
        if (throttled(request, TOKEN_USER, source)) {
            return;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (token == null || !MessageDigest.isEqual(token, given)) {
            Duration wait = throttle.failed(TOKEN_USER, source);
            LOG.info("REST request refused: wrong bearer token from {}{}", printable(source), waiting(wait));
            refuse(request, "Bearer", "wrong token");
            return;
        }
        throttle.succeeded(TOKEN_USER, source);
        request.setProperty(AuditFilter.USER, "token");
        request.setSecurityContext(new Operator("token", true, request.getSecurityContext()));
    }

    private void basic(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null && sessions != null && request.getCookies() != null
                && request.getCookies().containsKey(ConsoleSessions.COOKIE)) {
            session(request);
            return;
        }
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            refuse(request, "Basic", "operator credentials are required (HTTP Basic)");
            return;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            refuse(request, "Basic", "malformed Basic credentials");
            return;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            refuse(request, "Basic", "malformed Basic credentials");
            return;
        }
        String user = decoded.substring(0, colon);
        String source = source(request);
        if (throttled(request, user, source)) {
            return;
        }
        char[] password = decoded.substring(colon + 1).toCharArray();
        Optional<Set<String>> granted = checkPassword(user, password, source, "REST request");
        if (granted.isEmpty()) {
            refuse(request, "Basic", "wrong user name or password");
            return;
        }
        throttle.succeeded(user, source);
        request.setProperty(AuditFilter.USER, user);
        Set<String> has = granted.get();
        boolean admin = has.stream().anyMatch(roles::contains);
        if (!admin) {
            String method = request.getMethod() == null ? "" : request.getMethod().toUpperCase(Locale.ROOT);
            if (has.stream().anyMatch(viewerRoles::contains)) {
                if (!READS.contains(method)) {
                    LOG.info("REST {} refused: {} may only read", printable(method), printable(user));
                    request.abortWith(ApiError.response(403, "user " + user + " may only read (GET): " + method
                            + " needs one of the roles " + sorted(roles)));
                    return;
                }
            } else {
                LOG.info("REST request refused: {} has none of the roles {}", printable(user), sorted(roles));
                request.abortWith(ApiError.response(403, "user " + user + " has none of the roles " + sorted(roles)
                        + (viewerRoles.isEmpty() ? "" : " (or, to read only, " + sorted(viewerRoles) + ")")));
                return;
            }
        }
        request.setSecurityContext(new Operator(user, admin, request.getSecurityContext()));
    }

    /** A request with the console's session cookie and no Authorization header (mode JAAS). */
    private void session(ContainerRequestContext request) {
        Optional<ConsoleSessions.Session> found = sessions.find(request.getCookies().get(ConsoleSessions.COOKIE).getValue());
        if (found.isEmpty()) {
            refuse(request, "Basic", "the console session has ended: log in again");
            return;
        }
        ConsoleSessions.Session s = found.get();
        request.setProperty(AuditFilter.USER, s.user());
        request.setProperty(AuditFilter.CHANNEL, org.cardinaldm.server.api.audit.AuditEntry.Channel.CONSOLE);
        String method = request.getMethod() == null ? "" : request.getMethod().toUpperCase(Locale.ROOT);
        if (!READS.contains(method)) {
            if (!s.csrfMatches(request.getHeaderString(ConsoleSessions.CSRF_HEADER))) {
                LOG.info("REST {} refused: console session of {} without its CSRF token", printable(method),
                        printable(s.user()));
                request.abortWith(ApiError.response(403, "cross-site request refused: a console write must send the"
                        + " session's " + ConsoleSessions.CSRF_HEADER + " header"));
                return;
            }
            if (!s.admin()) {
                LOG.info("REST {} refused: {} may only read", printable(method), printable(s.user()));
                request.abortWith(ApiError.response(403, "user " + s.user() + " may only read (GET): " + method
                        + " needs one of the roles " + sorted(roles)));
                return;
            }
        }
        request.setSecurityContext(new Operator(s.user(), s.admin(), request.getSecurityContext()));
    }

    private static boolean isLogin(ContainerRequestContext request) {
        if (!"POST".equalsIgnoreCase(request.getMethod()) || request.getUriInfo() == null) {
            return false;
        }
        String path = request.getUriInfo().getPath();
        if (path == null) {
            return false;
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        return path.equals(LOGIN_PATH) || path.equals(LOGIN_PATH + "/");
    }

    /**
     * {@code POST console/session}: checks the password like a Basic login (same throttle) and answers
     * with the session cookie, the operator's role and the session's CSRF token; 401 without a challenge.
     */
    private void login(ContainerRequestContext request) {
        if (mode != Mode.JAAS || sessions == null) {
            request.abortWith(ApiError.response(404, "console login needs auth=jaas in " + RestApplication.PID
                    + " (this API authenticates with " + mode.name().toLowerCase(Locale.ROOT) + ")"));
            return;
        }
        String user;
        char[] password;
        try {
            byte[] body = request.getEntityStream() == null ? new byte[0]
                    : request.getEntityStream().readNBytes(MAX_LOGIN_BYTES + 1);
            if (body.length > MAX_LOGIN_BYTES) {
                request.abortWith(ApiError.response(413, "a login is at most " + MAX_LOGIN_BYTES + " bytes"));
                return;
            }
            JsonNode json = body.length == 0 ? null : LOGIN_JSON.readTree(body);
            JsonNode u = json == null ? null : json.get("user");
            JsonNode p = json == null ? null : json.get("password");
            if (u == null || !u.isTextual() || u.asText().isBlank() || u.asText().length() > 256
                    || p == null || !p.isTextual() || p.asText().length() > 1024) {
                request.abortWith(ApiError.response(400, "send {\"user\": \"...\", \"password\": \"...\"}"
                        + " (user at most 256 characters, password at most 1024)"));
                return;
            }
            user = u.asText();
            password = p.asText().toCharArray();
        } catch (IOException e) {
            request.abortWith(ApiError.response(400, "the login is not JSON"));
            return;
        }
        String source = source(request);
        if (throttled(request, user, source)) {
            Arrays.fill(password, '\0');
            return;
        }
        Optional<Set<String>> granted = checkPassword(user, password, source, "Console login");
        if (granted.isEmpty()) {
            request.abortWith(ApiError.response(401, "wrong user name or password"));
            return;
        }
        throttle.succeeded(user, source);
        request.setProperty(AuditFilter.USER, user); // a login with the right password is audited, refused or not
        request.setProperty(AuditFilter.CHANNEL, org.cardinaldm.server.api.audit.AuditEntry.Channel.CONSOLE);
        boolean admin = granted.get().stream().anyMatch(roles::contains);
        if (!admin && granted.get().stream().noneMatch(viewerRoles::contains)) {
            LOG.info("Console login refused: {} has none of the roles {}", printable(user), sorted(roles));
            request.abortWith(ApiError.response(403, "user " + user + " has none of the roles " + sorted(roles)
                    + (viewerRoles.isEmpty() ? "" : " (or, to read only, " + sorted(viewerRoles) + ")")));
            return;
        }
        ConsoleSessions.Opened opened = sessions.open(user, admin);
        LOG.info("Console login of {} ({}) from {}", printable(user), admin ? "administrator" : "viewer",
                printable(source));
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        request.abortWith(Response.ok(ConsoleResource.sessionView(opened.session(), "session", sessions.idle()))
                .type(javax.ws.rs.core.MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Set-Cookie", cookie(opened.cookie(), cookiePath(request), secure, -1)).build());
    }

    /**
     * @param value the cookie value (empty to delete it)
     * @param path the cookie's path
     * @param secure whether the connection is HTTPS (the cookie is then Secure)
     * @param maxAge -1 for a browser-session cookie, 0 to delete it
     * @return the {@code Set-Cookie} header value
     */
    static String cookie(String value, String path, boolean secure, int maxAge) {
        return ConsoleSessions.COOKIE + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "") + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }

    /** @return the application's base path (where the cookie is sent), {@code /} when unknown */
    static String cookiePath(ContainerRequestContext request) {
        String path = request.getUriInfo() == null || request.getUriInfo().getBaseUri() == null ? null
                : request.getUriInfo().getBaseUri().getRawPath();
        if (path == null || path.isEmpty() || !path.matches("[A-Za-z0-9/._~-]+")) {
            return "/";
        }
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** @return true when the request was answered 429 because this user name or source must wait */
    private boolean throttled(ContainerRequestContext request, String user, String source) {
        Optional<Duration> wait = throttle.blocked(user, source);
        if (wait.isEmpty()) {
            return false;
        }
        long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
        LOG.debug("REST request refused: {} from {} must wait {} s", printable(user), printable(source), seconds);
        request.abortWith(Response.fromResponse(ApiError.response(429, "too many wrong credentials from this address;"
                + " retry after " + seconds + " s")).header("Retry-After", String.valueOf(seconds)).build());
        return true;
    }

    private String source(ContainerRequestContext request) {
        if (peer != null) {
            return peer.apply(request);
        }
        try {
            return servletRequest == null ? null : servletRequest.getRemoteAddr();
        } catch (RuntimeException e) { // no servlet request bound to this thread
            return null;
        }
    }

    private static String waiting(Duration wait) {
        return wait.isZero() ? "" : "; further attempts wait " + wait.toSeconds() + " s";
    }

    private static String sorted(Set<String> names) {
        return String.join(", ", names.stream().sorted().toList());
    }

    /** @return the text without control characters (no forged log lines), at most 64 characters */
    static String printable(String text) {
        if (text == null) {
            return "(unknown)";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < 64; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return text.length() > 64 ? b + "..." : b.toString();
    }

    private static void refuse(ContainerRequestContext request, String scheme, String message) {
        if ("1".equals(request.getHeaderString(CONSOLE_HEADER))) { // the console shows its own login page
            request.abortWith(ApiError.response(401, message));
            return;
        }
        request.abortWith(javax.ws.rs.core.Response.fromResponse(ApiError.response(401, message))
                .header(HttpHeaders.WWW_AUTHENTICATE, scheme + " realm=\"" + CHALLENGE_REALM + "\"").build());
    }

    /** The role name {@link SecurityContext#isUserInRole} answers for an administrator. */
    static final String ADMIN = "cardinal.admin";

    /** The authenticated operator, for the resources' audit log lines. */
    private static final class Operator implements SecurityContext {
        private final String name;
        private final boolean admin;
        private final boolean secure;

        Operator(String name, boolean admin, SecurityContext container) {
            this.name = name;
            this.admin = admin;
            this.secure = container != null && container.isSecure();
        }

        @Override
        public Principal getUserPrincipal() {
            return () -> name;
        }

        @Override
        public boolean isUserInRole(String role) {
            return admin && ADMIN.equals(role);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return SecurityContext.BASIC_AUTH;
        }
    }

    /**
     * Checks a password against the realm and wipes it; a wrong one counts against the throttle and is logged
     * (user and source, never the password).
     *
     * @param what "REST request" or "Console login", for the log line
     * @return the roles, or empty when the password is wrong
     */
    private Optional<Set<String>> checkPassword(String user, char[] password, String source, String what) {
        Optional<Set<String>> granted;
        try {
            granted = authenticator.authenticate(user, password);
        } finally {
            Arrays.fill(password, '\0');
        }
        if (granted.isEmpty()) {
            Duration wait = throttle.failed(user, source);
            LOG.info("{} refused: wrong credentials for {} from {}{}", what, printable(user), printable(source),
                    waiting(wait));
        }
        return granted;
    }
}
