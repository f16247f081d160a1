package org.cardinaldm.fumo.server.api;

import java.util.Objects;

/**
 * The firmware package of a campaign as it was when the campaign was created: what every device is sent.
 *
 * @param fileName the file name in the catalogue
 * @param name the manifest's package name ({@code PkgName})
 * @param version the manifest's version ({@code PkgVersion})
 * @param securityCounter the manifest's anti-rollback counter, or null when it has none
 * @param length the payload's length in bytes
 * @param sha256Hex the payload's SHA-256
 * @param url where devices download it ({@code PkgURL})
 */
public record CampaignPackage(String fileName, String name, String version, Long securityCounter, long length,
        String sha256Hex, String url) {
    /** Checks the mandatory parts. */
    public CampaignPackage {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        Objects.requireNonNull(url, "url");
    }
}
