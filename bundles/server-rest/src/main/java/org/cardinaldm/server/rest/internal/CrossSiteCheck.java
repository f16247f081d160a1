package org.cardinaldm.server.rest.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses cross-site writes; {@link AuthFilter} asks it first, before any credential is looked at.
 * A browser sends the operator's Basic credentials with any request to the API, also one a foreign
 * page makes it send, so every request other than GET, HEAD and OPTIONS must pass two checks:
 * <ol>
 * <li><b>Origin.</b> When the request has an {@code Origin} header, it must be the API's own origin
 * (the request's scheme with its {@code Host} header: what the browser connected to) or one of
 * {@code allowed.origins}; {@code null}
 * and anything unparsable are refused. Without {@code Origin}, a {@code Referer} is checked the same
 * way. Without either (curl, scripts) the request passes this check. Refused: 403.</li>
 * <li><b>Content type.</b> POST, PUT and PATCH must say {@code Content-Type: application/json} (a
 * charset parameter is allowed), also when they have no body. HTML forms can only send
 * {@code application/x-www-form-urlencoded}, {@code multipart/form-data} and {@code text/plain}, and
 * a script on a foreign page cannot send {@code application/json} without a CORS preflight, which this
 * API never grants. Refused: 415. Every other method except DELETE needs it too. DELETE needs no content
 * type: no form can send it, and a foreign script needs a preflight for it as well.</li>
 * </ol>
 * The answers are JSON errors; nothing of the request is echoed.
 */
final class CrossSiteCheck {
    private static final Logger LOG = LoggerFactory.getLogger(CrossSiteCheck.class);

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final Set<String> allowed;

    /**
     * @param allowedOrigins origins besides the API's own that may send writes
     *        ({@code https://console.example.org}); a malformed one is an {@link IllegalArgumentException}
     */
    CrossSiteCheck(Collection<String> allowedOrigins) {
        Set<String> a = new LinkedHashSet<>();
        for (String o : allowedOrigins) {
            if (o == null || o.isBlank()) {
                continue;
            }
            a.add(origin(o.trim()).orElseThrow(() -> new IllegalArgumentException(
                    "allowed.origins must hold origins such as https://console.example.org, not " + o)));
        }
        this.allowed = Set.copyOf(a);
    }

    /**
     * @param request the request
     * @return the refusal (403 or 415, JSON), or empty when the request may go on
     */
    Optional<Response> refusal(ContainerRequestContext request) {
        String method = request.getMethod() == null ? "" : request.getMethod().toUpperCase(Locale.ROOT);
        if (READS.contains(method)) {
            return Optional.empty();
        }
        String origin = request.getHeaderString("Origin");
        String header = "Origin";
        if (origin == null) {
            origin = request.getHeaderString("Referer");
            header = "Referer";
        }
        if (origin != null && !permitted(origin, request)) {
            LOG.info("REST {} refused: cross-site request ({} is neither this server nor in allowed.origins)",
                    method, header);
            return Optional.of(ApiError.response(403, "cross-site request refused: the " + header
                    + " is neither this server nor one of allowed.origins"));
        }
        if (!method.equals("DELETE")) {
            MediaType type = contentType(request);
            if (type == null || !type.getType().equalsIgnoreCase("application")
                    || !type.getSubtype().equalsIgnoreCase("json")) {
                return Optional.of(ApiError.response(415, "send Content-Type: application/json, also with an empty"
                        + " body (or {})"));
            }
        }
        return Optional.empty();
    }

    private static MediaType contentType(ContainerRequestContext request) {
        try {
            return request.getMediaType();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private boolean permitted(String given, ContainerRequestContext request) {
        Optional<String> o = origin(given.trim());
        if (o.isEmpty()) {
            return false;
        }
        if (allowed.contains(o.get())) {
            return true;
        }
        return own(request).equals(o);
    }

    /**
     * @return the origin the client used to reach the API: the request's scheme (secure or not) and its
     *         {@code Host} header, which a browser sets to the host it connects to; without a
     *         {@code Host} header, the base URI of the application
     */
    private static Optional<String> own(ContainerRequestContext request) {
        URI base = request.getUriInfo() == null ? null : request.getUriInfo().getBaseUri();
        String host = request.getHeaderString("Host");
        SecurityContext sc = request.getSecurityContext();
        String scheme = sc != null ? (sc.isSecure() ? "https" : "http") : base != null ? base.getScheme() : null;
        if (host == null || host.isBlank() || scheme == null) {
            return base == null ? Optional.empty() : origin(base.toString());
        }
        return origin(scheme + "://" + host.trim());
    }

    /**
     * @param url an origin or a URL
     * @return {@code scheme://host:port} in lower case with the port made explicit, or empty when it is
     *         not an absolute http(s) URL
     */
    static Optional<String> origin(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null || u.getRawUserInfo() != null) {
                return Optional.empty();
            }
            int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
            return Optional.of(scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
