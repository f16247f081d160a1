package org.cardinaldm.server.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The web console's logins: a session is opened by a correct JAAS password ({@code POST
 * console/session}) and named by a random cookie ({@value #COOKIE}, 256 bits, HttpOnly, SameSite=Strict,
 * Secure on HTTPS). Each session has a CSRF token of its own that every write must repeat in the
 * {@value #CSRF_HEADER} header, on top of the {@link CrossSiteCheck}. Sessions end after
 * {@code idle} without a request, after {@code lifetime} in any case, and at logout. The table is
 * bounded: past {@code maxSessions} the least recently used session is dropped. Only a hash of each
 * cookie value is kept, so the table itself holds nothing that logs in. Thread-safe; in memory only
 * (a restart of the bundle logs every console user out).
 */
final class ConsoleSessions {
    /** The session cookie's name. */
    static final String COOKIE = "CardinalSession";
    /** The header that carries the session's CSRF token on writes. */
    static final String CSRF_HEADER = "X-Cardinal-CSRF";
    /** The longest cookie value looked at (the real ones have 43 characters). */
    private static final int MAX_COOKIE_LENGTH = 128;

    /**
     * A console login.
     *
     * @param user the operator's user name
     * @param admin whether the operator may change things (one of the administrator roles)
     * @param csrf the token every write of this session must send in {@value ConsoleSessions#CSRF_HEADER}
     * @param created when the session was opened
     */
    record Session(String user, boolean admin, String csrf, Instant created) {
        Session {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(csrf, "csrf");
            Objects.requireNonNull(created, "created");
        }

        /**
         * @param given the token a request sent, or null
         * @return whether it is this session's token (constant time)
         */
        boolean csrfMatches(String given) {
            return given != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.US_ASCII),
                    given.trim().getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public String toString() { // never the token
            return "Session[" + user + (admin ? ", admin" : ", viewer") + ", since " + created + "]";
        }
    }

    /** A new session and the cookie value that names it (given to the browser only). */
    record Opened(String cookie, Session session) {
        @Override
        public String toString() {
            return "Opened[" + session + "]";
        }
    }

    private static final class Entry {
        final Session session;
        Instant lastUsed;

        Entry(Session session, Instant lastUsed) {
            this.session = session;
            this.lastUsed = lastUsed;
        }
    }

    private final Clock clock;
    private final Duration idle;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> sessions;

    /**
     * @param clock the time
     * @param idle how long a session lives without a request
     * @param lifetime how long a session lives at most
     * @param maxSessions the most sessions kept
     */
    ConsoleSessions(Clock clock, Duration idle, Duration lifetime, int maxSessions) {
        if (idle.isNegative() || idle.isZero() || lifetime.isNegative() || lifetime.isZero() || maxSessions < 1) {
            throw new IllegalArgumentException("console sessions need a positive idle time, lifetime and maximum");
        }
        this.clock = clock;
        this.idle = idle;
        this.lifetime = lifetime;
        this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxSessions;
            }
        };
    }

    /** @return how long a session lives without a request */
    Duration idle() {
        return idle;
    }

    /**
     * @param user the operator
     * @param admin whether the operator is an administrator
     * @return the new session with its cookie value
     */
    Opened open(String user, boolean admin) {
        String cookie = token(32);
        Instant now = clock.instant();
        Session s = new Session(user, admin, token(24), now);
        synchronized (sessions) {
            sessions.put(hash(cookie), new Entry(s, now));
        }
        return new Opened(cookie, s);
    }

    /**
     * @param cookie the cookie value a request sent, or null
     * @return the live session it names (its idle time starts again), or empty when there is none
     */
    Optional<Session> find(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > MAX_COOKIE_LENGTH) {
            return Optional.empty();
        }
        String key = hash(cookie);
        Instant now = clock.instant();
        synchronized (sessions) {
            Entry e = sessions.get(key);
            if (e == null) {
                return Optional.empty();
            }
            if (!now.isBefore(e.lastUsed.plus(idle)) || !now.isBefore(e.session.created().plus(lifetime))) {
                sessions.remove(key);
                return Optional.empty();
            }
            e.lastUsed = now;
            return Optional.of(e.session);
        }
    }

    /**
     * Logs out.
     *
     * @param cookie the cookie value, or null
     * @return whether a session was closed
     */
    boolean close(String cookie) {
        if (cookie == null || cookie.length() > MAX_COOKIE_LENGTH) {
            return false;
        }
        synchronized (sessions) {
            return sessions.remove(hash(cookie)) != null;
        }
    }

    /** @return how many sessions are kept (expired ones included until they are looked up) */
    int size() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    private String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String hash(String cookie) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(cookie.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
