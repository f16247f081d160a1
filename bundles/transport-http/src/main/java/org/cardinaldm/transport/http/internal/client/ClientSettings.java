package org.cardinaldm.transport.http.internal.client;

import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP client's settings, independent of OSGi so that tests can build them.
 *
 * @param connectTimeout how long to wait for a TCP (and TLS) connection
 * @param userAgent the User-Agent header value
 * @param http2 whether HTTP/2 may be negotiated (HTTP/1.1 otherwise, the SyncML HTTP binding's version)
 * @param trustStorePath a trust store file for TLS, or empty for the JVM's default trust
 * @param trustStoreType its type, e.g. {@code PKCS12}
 * @param trustStorePassword its password, possibly empty; never logged
 */
record ClientSettings(Duration connectTimeout, String userAgent, boolean http2, String trustStorePath,
        String trustStoreType, String trustStorePassword) {

    /** Defaults: 10 s connect timeout, HTTP/1.1, the JVM's trust. */
    static final ClientSettings DEFAULT = new ClientSettings(Duration.ofSeconds(10), "Cardinal-DM-Client/1.2", false,
            "", "PKCS12", "");

    ClientSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(trustStorePath, "trustStorePath");
        Objects.requireNonNull(trustStoreType, "trustStoreType");
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive");
        }
    }

    static ClientSettings from(HttpClientTransport.Config c) {
        return new ClientSettings(Duration.ofMillis(Math.max(1, c.connect_timeout_ms())), c.user_agent(), c.http2(),
                c.truststore_path().trim(), c.truststore_type().trim(), c._truststore_password());
    }

    ClientSettings withTrustStore(String path, String type, String password) {
        return new ClientSettings(connectTimeout, userAgent, http2, path, type, password);
    }

    ClientSettings withConnectTimeout(Duration value) {
        return new ClientSettings(value, userAgent, http2, trustStorePath, trustStoreType, trustStorePassword);
    }

    /** @return the settings without the trust store password */
    @Override
    public String toString() {
        return "ClientSettings[connectTimeout=" + connectTimeout + ", userAgent=" + userAgent + ", http2=" + http2
                + ", trustStore=" + (trustStorePath.isEmpty() ? "JVM default" : trustStorePath) + "]";
    }
}
