package org.cardinaldm.fumo.core.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * FUMO's settings, read from the component's configuration ({@link FumoComponent.Config}); immutable.
 *
 * @param root the MO root, e.g. {@code ./FUMO}
 * @param maxPackageBytes the largest payload accepted (a manifest announcing more is refused with 501)
 * @param connectTimeout the HTTP connect time-out
 * @param readTimeout the longest silence while reading (407 after it)
 * @param retries how many times one download resumes after a cut before it fails (503)
 * @param deviceClass the configured device class, or empty for DevInfo Man/Mod
 * @param consentRequired whether the user is asked before every update, whatever the server says
 * @param consentTimeout how long the user has to answer (no answer: 401)
 * @param username user name for downloads the server protects with HTTP Basic (empty: none)
 * @param password its password (never logged)
 * @param authOverHttp whether credentials may be sent over plain http (off: https only)
 * @param truststorePath a trust store for https downloads (empty: the JVM's)
 * @param truststoreType its type
 * @param truststorePassword its password
 */
record Settings(String root, long maxPackageBytes, Duration connectTimeout, Duration readTimeout, int retries,
        String deviceClass, boolean consentRequired, Duration consentTimeout, String username, String password,
        boolean authOverHttp, String truststorePath, String truststoreType, String truststorePassword) {
    /** Longest PkgURL accepted, in characters. */
    static final int MAX_URL = 2048;

    Settings {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(deviceClass, "deviceClass");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(truststorePath, "truststorePath");
        Objects.requireNonNull(truststoreType, "truststoreType");
        Objects.requireNonNull(truststorePassword, "truststorePassword");
        if (maxPackageBytes < 1 || retries < 0 || connectTimeout.isNegative() || connectTimeout.isZero()
                || readTimeout.isNegative() || readTimeout.isZero() || consentTimeout.isNegative()
                || consentTimeout.isZero()) {
            throw new IllegalArgumentException("FUMO settings out of range");
        }
    }

    /** @return the defaults of {@link FumoComponent.Config} */
    static Settings defaults() {
        return new Settings("./FUMO", 256L * 1024 * 1024, Duration.ofSeconds(20), Duration.ofSeconds(60), 3, "",
                false, Duration.ofMinutes(5), "", "", false, "", "PKCS12", "");
    }

    /** @return a copy with another root */
    Settings withRoot(String value) {
        return new Settings(value, maxPackageBytes, connectTimeout, readTimeout, retries, deviceClass,
                consentRequired, consentTimeout, username, password, authOverHttp, truststorePath, truststoreType,
                truststorePassword);
    }

    /** Never prints the passwords. */
    @Override
    public String toString() {
        return "Settings[root " + root + ", max " + maxPackageBytes + " bytes, connect " + connectTimeout + ", read "
                + readTimeout + ", retries " + retries + ", consent " + (consentRequired ? "always" : "on request")
                + (username.isEmpty() ? "" : ", download user set") + "]";
    }
}
