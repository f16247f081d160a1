package org.cardinaldm.transport.push.server.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * A UDP push address as the registry stores it ({@code udp:host:port}, docs/server.md) or in URL form
 * ({@code udp://host:port}); the port may be left out, IPv6 literals are written in brackets
 * ({@code udp:[2001:db8::7]:2948}). Nothing else (user info, path, query) is accepted.
 *
 * @param host the host name or address literal (without brackets)
 * @param port the port
 */
record PushAddress(String host, int port) {
    /** The scheme this sender serves. */
    static final String SCHEME = "udp";

    PushAddress {
        Objects.requireNonNull(host, "host");
    }

    /**
     * @param address the push address
     * @param defaultPort the port when the address names none
     * @return the parsed address
     * @throws IOException when the address is not a UDP push address
     */
    static PushAddress parse(String address, int defaultPort) throws IOException {
        if (address == null) {
            throw new IOException("no push address");
        }
        String a = address.trim();
        int colon = a.indexOf(':');
        if (colon < 0 || !a.substring(0, colon).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            throw new IOException("not a udp push address: " + address);
        }
        String rest = a.substring(colon + 1);
        if (!rest.startsWith("//")) {
            rest = "//" + rest;
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(SCHEME + ":" + rest);
        } catch (URISyntaxException e) {
            throw new IOException("malformed udp push address: " + address);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty() || uri.getUserInfo() != null || !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IOException("malformed udp push address: " + address);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IOException("port out of range in udp push address: " + address);
        }
        return new PushAddress(host, port);
    }

    @Override
    public String toString() {
        return SCHEME + ":" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
