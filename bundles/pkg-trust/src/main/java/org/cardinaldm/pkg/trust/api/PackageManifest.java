package org.cardinaldm.pkg.trust.api;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The content of a signed manifest ({@code CardinalPackageManifest} in {@code docs/signed-packages.md}):
 * what the signer vouches for. Immutable; made with {@link #builder()}.
 */
public final class PackageManifest {
    /** The format version this API reads and writes. */
    public static final int FORMAT_VERSION = 1;
    /** The device class that matches every device; allowed for application packages only. */
    public static final String ANY_DEVICE = "*";
    /** Longest package name and device class. */
    public static final int MAX_NAME = 256;
    /** Most device classes in one manifest. */
    public static final int MAX_DEVICE_CLASSES = 32;

    private final PackageKind kind;
    private final String name;
    private final PackageVersion version;
    private final List<String> deviceClasses;
    private final long payloadLength;
    private final byte[] payloadSha256;
    private final Long securityCounter;

    private PackageManifest(Builder b) {
        this.kind = Objects.requireNonNull(b.kind, "kind");
        this.name = checkText(b.name, "name");
        this.version = Objects.requireNonNull(b.version, "version");
        if (b.deviceClasses.isEmpty() || b.deviceClasses.size() > MAX_DEVICE_CLASSES) {
            throw new IllegalArgumentException("A manifest names 1.." + MAX_DEVICE_CLASSES + " device classes");
        }
        b.deviceClasses.forEach(c -> checkText(c, "device class"));
        if (kind == PackageKind.FIRMWARE && b.deviceClasses.contains(ANY_DEVICE)) {
            throw new IllegalArgumentException("Firmware must name its device classes, not " + ANY_DEVICE);
        }
        this.deviceClasses = List.copyOf(b.deviceClasses);
        if (b.payloadLength < 0) {
            throw new IllegalArgumentException("payload length must be set and non-negative");
        }
        this.payloadLength = b.payloadLength;
        Objects.requireNonNull(b.payloadSha256, "payloadSha256");
        if (b.payloadSha256.length != 32) {
            throw new IllegalArgumentException("payload SHA-256 must have 32 bytes");
        }
        this.payloadSha256 = b.payloadSha256.clone();
        if (b.securityCounter != null && b.securityCounter < 0) {
            throw new IllegalArgumentException("security counter must be non-negative");
        }
        this.securityCounter = b.securityCounter;
    }

    private static String checkText(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isEmpty() || s.length() > MAX_NAME || s.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " must have 1.." + MAX_NAME + " printable characters");
        }
        return s;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the manifest's format version, {@value #FORMAT_VERSION} */
    public int formatVersion() {
        return FORMAT_VERSION;
    }

    /** @return application package or firmware */
    public PackageKind kind() {
        return kind;
    }

    /** @return the package name (a bundle symbolic name, a feature name, a firmware component) */
    public String name() {
        return name;
    }

    /** @return the package version, text and comparable form */
    public PackageVersion version() {
        return version;
    }

    /** @return the device classes the package is for, in signed order; {@value #ANY_DEVICE} matches any */
    public List<String> deviceClasses() {
        return deviceClasses;
    }

    /**
     * @param deviceClass a device's class
     * @return whether the package is for that device: it names the class exactly (case-sensitive), or it is
     *         an application package for {@value #ANY_DEVICE}
     */
    public boolean isFor(String deviceClass) {
        return deviceClasses.contains(deviceClass)
                || kind == PackageKind.APPLICATION && deviceClasses.contains(ANY_DEVICE);
    }

    /** @return the payload's length in bytes */
    public long payloadLength() {
        return payloadLength;
    }

    /** @return a copy of the payload's SHA-256 */
    public byte[] payloadSha256() {
        return payloadSha256.clone();
    }

    /** @return the payload's SHA-256 in lower-case hex */
    public String payloadSha256Hex() {
        return HexFormat.of().formatHex(payloadSha256);
    }

    /** @return the anti-rollback security counter, when the signer set one (FUMO uses it) */
    public OptionalLong securityCounter() {
        return securityCounter == null ? OptionalLong.empty() : OptionalLong.of(securityCounter);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackageManifest m && kind == m.kind && name.equals(m.name) && version.equals(m.version)
                && deviceClasses.equals(m.deviceClasses) && payloadLength == m.payloadLength
                && Arrays.equals(payloadSha256, m.payloadSha256) && Objects.equals(securityCounter, m.securityCounter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, version, deviceClasses, payloadLength, Arrays.hashCode(payloadSha256),
                securityCounter);
    }

    @Override
    public String toString() {
        return "PackageManifest[" + kind + " " + name + " " + version.text() + " for " + deviceClasses + ", "
                + payloadLength + " bytes, sha256 " + payloadSha256Hex()
                + (securityCounter == null ? "" : ", counter " + securityCounter) + "]";
    }

    /** Builds a {@link PackageManifest}; every field but the security counter is required. */
    public static final class Builder {
        private PackageKind kind;
        private String name;
        private PackageVersion version;
        private final LinkedHashSet<String> deviceClasses = new LinkedHashSet<>();
        private long payloadLength = -1;
        private byte[] payloadSha256;
        private Long securityCounter;

        private Builder() {
        }

        /** @param kind application or firmware @return this */
        public Builder kind(PackageKind kind) {
            this.kind = kind;
            return this;
        }

        /** @param name the package name @return this */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** @param version the version @return this */
        public Builder version(PackageVersion version) {
            this.version = version;
            return this;
        }

        /** @param deviceClass one more device class (duplicates are dropped) @return this */
        public Builder deviceClass(String deviceClass) {
            this.deviceClasses.add(Objects.requireNonNull(deviceClass, "deviceClass"));
            return this;
        }

        /**
         * @param length the payload's length
         * @param sha256 the payload's SHA-256 (32 bytes)
         * @return this
         */
        public Builder payload(long length, byte[] sha256) {
            this.payloadLength = length;
            this.payloadSha256 = sha256 == null ? null : sha256.clone();
            return this;
        }

        /** @param counter the anti-rollback counter (non-negative) @return this */
        public Builder securityCounter(long counter) {
            this.securityCounter = counter;
            return this;
        }

        /**
         * @return the manifest
         * @throws IllegalArgumentException or NullPointerException when a field is missing or out of range
         */
        public PackageManifest build() {
            return new PackageManifest(this);
        }
    }
}
