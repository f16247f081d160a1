package org.cardinaldm.server.rest.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down repeated wrong passwords (or bearer tokens). Two counters are kept: one per user name
 * and source, one per source. The source is the peer address of the connection, an IPv6 address
 * reduced to its /64 network (one host usually owns a whole /64). After {@code userFree} wrong
 * passwords for one user name from one source, or {@code sourceFree} wrong passwords of any user
 * names from one source, the next attempt must wait 1 s, then 2, 4, 8 ... up to {@code maxLock}. While
 * a source or a user name at that source waits, no password is checked at all (so a correct guess is
 * not told apart from a wrong one). There is no per-user lock across sources: a stranger cannot lock
 * the administrator out from elsewhere.
 * <p>
 * A correct password resets the counter of that user name at that source. The per-source counter is
 * not reset by a success (else one valid account would let an address try any number of other names);
 * every counter is forgotten once it saw no failure for an hour (or twice {@code maxLock} if longer).
 * Memory is bounded: each of the two tables keeps at most {@code maxEntries} counters, dropping the
 * least recently used, and a user name counts by its first {@link #MAX_USER_KEY} characters plus a
 * hash of the rest. Thread-safe; the password check itself runs outside the lock.
 */
final class LoginThrottle {
    /** The characters of a user name kept as they are in a key; longer names are hashed. */
    static final int MAX_USER_KEY = 128;

    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration QUIET = Duration.ofHours(1);

    private final Clock clock;
    private final int userFree;
    private final int sourceFree;
    private final Duration maxLock;
    private final Duration forgetAfter;
    private final Map<String, Counter> pairs;
    private final Map<String, Counter> sources;

    /**
     * @param clock the time source
     * @param userFree wrong passwords for one user name from one source before the first wait
     * @param sourceFree wrong passwords from one source before the first wait
     * @param maxLock the longest wait
     * @param maxEntries the most counters per table
     */
    LoginThrottle(Clock clock, int userFree, int sourceFree, Duration maxLock, int maxEntries) {
        if (userFree < 0 || sourceFree < 0 || maxEntries < 1 || maxLock.compareTo(FIRST_WAIT) < 0) {
            throw new IllegalArgumentException("throttle.free.failures and throttle.source.free.failures must be at "
                    + "least 0, throttle.max.lock.seconds at least 1 and throttle.max.entries at least 1");
        }
        this.clock = clock;
        this.userFree = userFree;
        this.sourceFree = sourceFree;
        this.maxLock = maxLock;
        this.forgetAfter = maxLock.multipliedBy(2).compareTo(QUIET) > 0 ? maxLock.multipliedBy(2) : QUIET;
        this.pairs = lru(maxEntries);
        this.sources = lru(maxEntries);
    }

    private static Map<String, Counter> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Counter> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * @param user the user name given
     * @param source the peer address
     * @return how long this user name from this source must still wait, or empty when its password may
     *         be checked now
     */
    synchronized Optional<Duration> blocked(String user, String source) {
        Instant now = clock.instant();
        String s = sourceKey(source);
        Duration wait = max(remaining(pairs, pairKey(user, s), now), remaining(sources, s, now));
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    /**
     * Counts a wrong password.
     *
     * @param user the user name given
     * @param source the peer address
     * @return how long the next attempt of this user name from this source must wait (zero: none)
     */
    synchronized Duration failed(String user, String source) {
        Instant now = clock.instant();
        String s = sourceKey(source);
        Duration a = count(pairs, pairKey(user, s), userFree, now);
        Duration b = count(sources, s, sourceFree, now);
        return max(a, b);
    }

    /**
     * Forgets the wrong passwords of this user name from this source.
     *
     * @param user the user name
     * @param source the peer address
     */
    synchronized void succeeded(String user, String source) {
        pairs.remove(pairKey(user, sourceKey(source)));
    }

    /** @return the number of counters held */
    synchronized int size() {
        return pairs.size() + sources.size();
    }

    private Duration remaining(Map<String, Counter> table, String key, Instant now) {
        Counter c = table.get(key);
        if (c == null) {
            return Duration.ZERO;
        }
        if (!now.isBefore(c.lastFailure.plus(forgetAfter))) {
            table.remove(key);
            return Duration.ZERO;
        }
        return c.lockedUntil == null || !now.isBefore(c.lockedUntil) ? Duration.ZERO
                : Duration.between(now, c.lockedUntil);
    }

    private Duration count(Map<String, Counter> table, String key, int free, Instant now) {
        remaining(table, key, now); // drops a forgotten counter
        Counter c = table.computeIfAbsent(key, k -> new Counter());
        c.failures = Math.min(c.failures + 1, Integer.MAX_VALUE - 1);
        c.lastFailure = now;
        int beyond = c.failures - free;
        if (beyond <= 0) {
            return Duration.ZERO;
        }
        Duration wait = beyond - 1 >= 30 ? maxLock : FIRST_WAIT.multipliedBy(1L << (beyond - 1));
        if (wait.compareTo(maxLock) > 0) {
            wait = maxLock;
        }
        c.lockedUntil = now.plus(wait);
        return wait;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * @param user a user name
     * @param sourceKey a {@link #sourceKey(String) source key}
     * @return the bounded key of the pair
     */
    static String pairKey(String user, String sourceKey) {
        String u = user == null ? "" : user;
        if (u.length() > MAX_USER_KEY) {
            u = u.substring(0, MAX_USER_KEY) + "#" + sha256(u);
        }
        return sourceKey + " " + u;
    }

    /**
     * @param address a peer address as the servlet container gives it (a literal), or null
     * @return the address, an IPv6 address as its /64 network, or {@code unknown}
     */
    static String sourceKey(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        String a = address.trim();
        if (a.indexOf(':') < 0) {
            return a.length() > 64 ? a.substring(0, 64) : a;
        }
        try {
            // an IPv6 literal (it has a colon), so no name is looked up
            InetAddress ip = InetAddress.getByName(a.startsWith("[") ? a.substring(1, a.length() - 1) : a);
            if (ip instanceof Inet6Address) {
                byte[] b = ip.getAddress();
                return HexFormat.of().formatHex(b, 0, 8) + "::/64";
            }
            return ip.getHostAddress();
        } catch (UnknownHostException | StringIndexOutOfBoundsException e) {
            return "unparsable";
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The wrong passwords of one key. */
    private static final class Counter {
        int failures;
        Instant lastFailure;
        Instant lockedUntil;
    }
}
