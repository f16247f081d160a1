package org.cardinaldm.transport.http.server.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides which address a request comes from: the TCP peer, or, only when that peer is a configured
 * trusted proxy, the rightmost hop of the forwarding header that is not itself a trusted proxy.
 *
 * <p>Exactly one forwarding header is read, the one the operator's proxy writes ({@code X-Forwarded-For}
 * or RFC 7239 {@code Forwarded}): a proxy that appends to one header usually passes the other through
 * unchanged from the client, so reading both would let a client choose its own address. Walking from
 * the right makes whatever a client puts in front of the proxy's own entry irrelevant.
 *
 * <p>Every address is an IP literal, parsed without name lookups. A header that is too long, has too many
 * hops, or contains anything that is not an address (a host name, {@code unknown}, an obfuscated
 * identifier, a {@code Forwarded} element without {@code for}) is ignored as a whole: the request then
 * counts as coming from the peer, the proxy. Immutable and thread-safe.
 */
final class SourceAddress {
    /** Longest forwarding header considered, all instances together; longer ones are ignored. */
    static final int MAX_HEADER_CHARS = 2048;
    /** Most hops considered; a longer chain is ignored. */
    static final int MAX_HOPS = 32;
    /** The header names that may be configured. */
    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED = "Forwarded";

    /** Nobody trusted: every request is attributed to its TCP peer. */
    static final SourceAddress PEER_ONLY = new SourceAddress(List.of(), X_FORWARDED_FOR);

    private final List<Cidr> trusted;
    private final String header;

    private SourceAddress(List<Cidr> trusted, String header) {
        this.trusted = List.copyOf(trusted);
        this.header = header;
    }

    /**
     * @param trustedProxies IP addresses or CIDR blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) of the
     *        proxies whose forwarding header is believed
     * @param header {@value #X_FORWARDED_FOR} or {@value #FORWARDED} (case-insensitive)
     * @return the policy
     * @throws IllegalArgumentException naming the first entry that is not an address or block, or an
     *         unknown header
     */
    static SourceAddress of(List<String> trustedProxies, String header) {
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        String h = header == null ? "" : header.trim();
        String name;
        if (h.equalsIgnoreCase(X_FORWARDED_FOR)) {
            name = X_FORWARDED_FOR;
        } else if (h.equalsIgnoreCase(FORWARDED)) {
            name = FORWARDED;
        } else {
            throw new IllegalArgumentException("forwarded header must be X-Forwarded-For or Forwarded, not '" + h
                    + "'");
        }
        List<Cidr> blocks = new ArrayList<>();
        for (String entry : trustedProxies) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            blocks.add(Cidr.parse(entry.trim()));
        }
        return new SourceAddress(blocks, name);
    }

    /** @return the name of the forwarding header read from trusted proxies */
    String header() {
        return header;
    }

    /** @return whether any proxy is trusted (otherwise the header is never read) */
    boolean trustsAnyProxy() {
        return !trusted.isEmpty();
    }

    /**
     * @param peer the TCP peer's address as the container gives it ({@code getRemoteAddr()})
     * @param headerValues every instance of the configured header, in order (empty when absent)
     * @return the source address, normalised ({@link InetAddress#getHostAddress()}); the peer as given when
     *         it is not an IP literal
     */
    String resolve(String peer, List<String> headerValues) {
        InetAddress peerAddress = peer == null ? null : literal(peer);
        if (peerAddress == null) {
            return peer;
        }
        String normalisedPeer = peerAddress.getHostAddress();
        if (!isTrusted(peerAddress) || headerValues == null || headerValues.isEmpty()) {
            return normalisedPeer;
        }
        List<InetAddress> hops = hops(headerValues);
        if (hops == null || hops.isEmpty()) {
            return normalisedPeer;
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!isTrusted(hops.get(i))) {
                return hops.get(i).getHostAddress();
            }
        }
        // every hop is a trusted proxy: the furthest one is the best we know
        return hops.get(0).getHostAddress();
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr c : trusted) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** @return the hops, left to right, or null when the header is malformed or too large */
    private List<InetAddress> hops(List<String> values) {
        int chars = 0;
        List<String> elements = new ArrayList<>();
        for (String v : values) {
            if (v == null) {
                continue;
            }
            chars += v.length();
            if (chars > MAX_HEADER_CHARS) {
                return null;
            }
            for (String e : v.split(",", -1)) {
                elements.add(e.trim());
            }
        }
        if (elements.size() > MAX_HOPS) {
            return null;
        }
        List<InetAddress> hops = new ArrayList<>(elements.size());
        for (String e : elements) {
            String node = header.equals(FORWARDED) ? forNode(e) : e;
            InetAddress a = node == null ? null : literal(node);
            if (a == null) {
                return null;
            }
            hops.add(a);
        }
        return hops;
    }

    /** @return the {@code for} node of an RFC 7239 forwarded-element, unquoted, or null */
    private static String forNode(String element) {
        String found = null;
        for (String pair : element.split(";", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            String name = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = pair.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (name.equals("for")) {
                if (found != null) {
                    return null;
                }
                found = value;
            }
        }
        return found;
    }

    /**
     * Parses an IP literal, optionally with a port: {@code 192.0.2.1}, {@code 192.0.2.1:80},
     * {@code 2001:db8::1}, {@code [2001:db8::1]}, {@code [2001:db8::1]:80}. Never looks a name up.
     *
     * @return the address, or null when the text is anything else
     */
    static InetAddress literal(String text) {
        String s = text.trim();
        if (s.isEmpty() || s.length() > 64) {
            return null;
        }
        if (s.charAt(0) == '[') {
            int end = s.indexOf(']');
            if (end < 0 || !isPortOrEmpty(s.substring(end + 1))) {
                return null;
            }
            return ipv6(s.substring(1, end));
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && colon != s.lastIndexOf(':')) {
            return ipv6(s);
        }
        if (colon >= 0) {
            if (!isPortOrEmpty(s.substring(colon))) {
                return null;
            }
            s = s.substring(0, colon);
        }
        return ipv4(s);
    }

    private static boolean isPortOrEmpty(String s) {
        if (s.isEmpty()) {
            return true;
        }
        if (s.charAt(0) != ':' || s.length() < 2 || s.length() > 6) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(s.substring(1)) <= 65535;
    }

    private static InetAddress ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            for (int j = 0; j < p.length(); j++) {
                if (p.charAt(j) < '0' || p.charAt(j) > '9') {
                    return null;
                }
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress ipv6(String s) {
        if (s.isEmpty() || s.length() > 45 || s.indexOf(':') < 0) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                return null;
            }
        }
        try {
            // in brackets the JDK parses a literal or throws; it never asks a name service
            return InetAddress.getByName("[" + s + "]");
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address block. */
    private static final class Cidr {
        private final byte[] network;
        private final int bits;

        private Cidr(byte[] network, int bits) {
            this.network = network;
            this.bits = bits;
        }

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            InetAddress a = address.indexOf(':') >= 0 ? ipv6(address.startsWith("[") && address.endsWith("]")
                    ? address.substring(1, address.length() - 1) : address) : ipv4(address);
            if (a == null) {
                throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
            }
            byte[] b = a.getAddress();
            int max = b.length * 8;
            int n = max;
            if (slash >= 0) {
                String suffix = text.substring(slash + 1);
                if (suffix.isEmpty() || suffix.length() > 3 || !suffix.chars().allMatch(c -> c >= '0' && c <= '9')
                        || Integer.parseInt(suffix) > max) {
                    throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
                }
                n = Integer.parseInt(suffix);
            }
            return new Cidr(b, n);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
