package org.cardinaldm.server.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.SecurityContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets operators only through, before any resource is matched (so an unknown path is 401 too).
 * <ul>
 * <li>{@link Mode#JAAS}: HTTP Basic checked against a JAAS realm; the user needs one of the configured
 * roles (401 with a {@code WWW-Authenticate} challenge when the credentials are absent or wrong, 403
 * when the role is missing).</li>
 * <li>{@link Mode#TOKEN}: {@code Authorization: Bearer <token>} compared in constant time with the
 * configured token; no token configured refuses everything.</li>
 * <li>{@link Mode#NONE}: open; only when the operator configured it so.</li>
 * </ul>
 * Nothing of the credentials is logged.
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

    private final Mode mode;
    private final Authenticator authenticator;
    private final Set<String> roles;
    private final byte[] token;

    /**
     * @param mode the mode
     * @param authenticator the JAAS check (mode JAAS)
     * @param roles the roles of which the operator needs one (mode JAAS)
     * @param token the bearer token (mode TOKEN), or null/empty for none
     */
    AuthFilter(Mode mode, Authenticator authenticator, Set<String> roles, String token) {
        this.mode = mode;
        this.authenticator = authenticator;
        this.roles = Set.copyOf(roles);
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        switch (mode) {
            case NONE:
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
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (token == null || !MessageDigest.isEqual(token, given)) {
            LOG.info("REST request refused: wrong bearer token");
            refuse(request, "Bearer", "wrong token");
            return;
        }
        request.setSecurityContext(new Operator("token", request.getSecurityContext()));
    }

    private void basic(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
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
        char[] password = decoded.substring(colon + 1).toCharArray();
        Optional<Set<String>> granted;
        try {
            granted = authenticator.authenticate(user, password);
        } finally {
            Arrays.fill(password, '\0');
        }
        if (granted.isEmpty()) {
            LOG.info("REST request refused: wrong credentials for {}", user);
            refuse(request, "Basic", "wrong user name or password");
            return;
        }
        if (granted.get().stream().noneMatch(roles::contains)) {
            LOG.info("REST request refused: {} has none of the roles {}", user, roles);
            request.abortWith(ApiError.response(403, "user " + user + " has none of the roles " + String.join(", ",
                    roles.stream().sorted().toList())));
            return;
        }
        request.setSecurityContext(new Operator(user, request.getSecurityContext()));
    }

    private static void refuse(ContainerRequestContext request, String scheme, String message) {
        request.abortWith(javax.ws.rs.core.Response.fromResponse(ApiError.response(401, message))
                .header(HttpHeaders.WWW_AUTHENTICATE, scheme + " realm=\"" + CHALLENGE_REALM + "\"").build());
    }

    /** The authenticated operator, for the resources' audit log lines. */
    private static final class Operator implements SecurityContext {
        private final String name;
        private final boolean secure;

        Operator(String name, SecurityContext container) {
            this.name = name;
            this.secure = container != null && container.isSecure();
        }

        @Override
        public Principal getUserPrincipal() {
            return () -> name;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
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
}
