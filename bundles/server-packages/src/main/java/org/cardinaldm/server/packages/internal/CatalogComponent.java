package org.cardinaldm.server.packages.internal;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.server.packages.api.PackageRejectedException;
import org.cardinaldm.server.packages.api.PublishedPackage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PackageCatalog} service over the package servlet's directory (same PID and configuration as
 * {@link PackagesComponent}): a {@link DirectoryCatalog} trusting the configured firmware signers (with their
 * threshold) and application signers. A change of configuration restarts it with the new trust; a signer value
 * that is not a SHA-256 in hex is dropped with a WARN (dropping only narrows trust). One INFO line per publication
 * and removal, one DEBUG line per refusal; never key material.
 */
@Component(service = PackageCatalog.class, configurationPid = "org.cardinaldm.server.packages")
public final class CatalogComponent implements PackageCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogComponent.class);
    private final DirectoryCatalog catalog;

    /**
     * @param config the package downloads' configuration
     * @param verifier pkg-trust's verifier
     */
    @Activate
    public CatalogComponent(PackagesComponent.Config config, @Reference ManifestVerifier verifier) {
        TrustedSigners firmware = signers(config.trusted_firmware_signers(), "trusted.firmware.signers");
        TrustedSigners applications = signers(config.trusted_application_signers(), "trusted.application.signers");
        int threshold = Math.max(1, config.firmware_signer_threshold());
        this.catalog = new DirectoryCatalog(PackagesComponent.directory(config.directory(),
                System.getProperty("karaf.home")), PackagesComponent.path(config.path()),
                new CatalogTrust(verifier, firmware, threshold, applications), Math.max(1, config.max_package_bytes()));
        int leftovers = catalog.deleteLeftovers();
        if (leftovers > 0) {
            LOG.info("Deleted {} temporary file(s) of interrupted uploads", leftovers);
        }
        if (firmware.sha256Hex().size() < threshold) {
            LOG.warn("{} firmware signer(s) trusted but {} required: no firmware can be published",
                    firmware.sha256Hex().size(), threshold);
        }
        LOG.info("Package catalogue: {} firmware signer(s) (threshold {}), {} application signer(s)",
                firmware.sha256Hex().size(), threshold, applications.sha256Hex().size());
    }

    /** @return the trusted signers of a configuration value; bad values dropped with a WARN */
    static TrustedSigners signers(String[] values, String key) {
        List<String> good = new ArrayList<>();
        for (String raw : values == null ? new String[0] : values) {
            for (String value : raw.split(",")) {
                if (value.isBlank()) {
                    continue;
                }
                try {
                    good.add(TrustedSigners.normalize(value));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Ignoring a {} value: not a SHA-256 in hex (64 digits)", key);
                }
            }
        }
        return TrustedSigners.ofHex(good);
    }

    @Override
    public List<PublishedPackage> list() {
        return catalog.list();
    }

    @Override
    public Optional<PublishedPackage> find(String fileName) {
        return catalog.find(fileName);
    }

    @Override
    public PublishedPackage publish(String fileName, InputStream payload, byte[] signedManifest, boolean replace)
            throws PackageRejectedException {
        try {
            PublishedPackage p = catalog.publish(fileName, payload, signedManifest, replace);
            LOG.info("Published {} ({} {} {}, {} bytes)", p.fileName(), p.kind(), p.name(), p.version(), p.length());
            return p;
        } catch (PackageRejectedException e) {
            LOG.debug("Upload of {} refused: {}", PackageNames.isSafe(fileName) ? fileName : "(bad name)",
                    e.getMessage());
            throw e;
        }
    }

    @Override
    public boolean remove(String fileName) {
        boolean removed = catalog.remove(fileName);
        if (removed) {
            LOG.info("Removed package {}", fileName);
        }
        return removed;
    }

    @Override
    public String path() {
        return catalog.path();
    }
}
