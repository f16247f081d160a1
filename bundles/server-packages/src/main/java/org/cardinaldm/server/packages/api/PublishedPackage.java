package org.cardinaldm.server.packages.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import org.cardinaldm.pkg.trust.api.PackageKind;

/**
 * One package in the catalogue, as its signed manifest describes it.
 *
 * @param fileName the payload's file name, as served ({@code <path>/<fileName>}; the manifest is
 *        {@code <fileName>.manifest.p7})
 * @param kind application or firmware
 * @param name the manifest's package name
 * @param version the manifest's version text
 * @param deviceClasses the manifest's device classes
 * @param securityCounter the manifest's anti-rollback counter, when it has one
 * @param length the payload's length in bytes
 * @param sha256Hex the payload's SHA-256, lower-case hex
 * @param signerSha256Hex SHA-256 of the signer's SubjectPublicKeyInfo, lower-case hex
 * @param published when it was published (the file's modification time for files put there by hand)
 */
public record PublishedPackage(String fileName, PackageKind kind, String name, String version,
        List<String> deviceClasses, OptionalLong securityCounter, long length, String sha256Hex,
        String signerSha256Hex, Instant published) {
    /** Checks that nothing is null and copies the list. */
    public PublishedPackage {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        deviceClasses = List.copyOf(deviceClasses);
        Objects.requireNonNull(securityCounter, "securityCounter");
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        Objects.requireNonNull(signerSha256Hex, "signerSha256Hex");
        Objects.requireNonNull(published, "published");
    }
}
