package org.cardinaldm.mo.scomo.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.function.Supplier;

import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.spi.host.DeviceClass;
import org.cardinaldm.pkg.trust.api.ApplicationSigners;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.Refusal;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust rule for packages: fetches a package's signed manifest and then its payload, verifying both
 * with pkg-trust's {@link ManifestVerifier} against the application signers and the device class, and
 * verifies a delivered package on disk again before it is installed. A refusal is an {@link Outcome}
 * (1407, or 1402/1405 as {@code docs/signed-packages.md} §4.2 says), never an exception.
 */
final class PackageTrust {
    private static final Logger LOG = LoggerFactory.getLogger(PackageTrust.class);

    private final Supplier<ScomoPlugin.Config> config;
    private final Supplier<ManifestVerifier> verifier;
    private final Supplier<ApplicationSigners> signers;
    private final Supplier<DmTree> tree;

    /**
     * @param config the current configuration
     * @param verifier pkg-trust's verifier, or null while there is none
     * @param signers the trusted application signers, or null while there are none
     * @param tree the DM tree (for DevInfo), or null while there is none
     */
    PackageTrust(Supplier<ScomoPlugin.Config> config, Supplier<ManifestVerifier> verifier,
            Supplier<ApplicationSigners> signers, Supplier<DmTree> tree) {
        this.config = config;
        this.verifier = verifier;
        this.signers = signers;
        this.tree = tree;
    }

    /** A fetched and verified package, or why not. */
    static final class Fetched {
        final SignedManifest manifest;
        final byte[] manifestBytes;
        final Outcome failure;

        Fetched(SignedManifest manifest, byte[] manifestBytes, Outcome failure) {
            this.manifest = manifest;
            this.manifestBytes = manifestBytes;
            this.failure = failure;
        }

        static Fetched failed(int code, String pkgId, String detail) {
            return new Fetched(null, null, Outcome.failure(code, pkgId, detail));
        }
    }

    /** Manifest first (verified), then the payload (streamed to file, bounded, verified against it). */
    Fetched fetchVerified(String url, Path file, String pkgId) {
        ManifestVerifier v = verifier.get();
        if (v == null) {
            return Fetched.failed(ScomoCodes.VALIDATION_FAILED, pkgId, "no manifest verifier (pkg-trust is missing)");
        }
        String deviceClass = deviceClass();
        if (deviceClass == null) {
            return Fetched.failed(ScomoCodes.VALIDATION_FAILED, pkgId, "the device class is unknown (DevInfo Man/Mod)");
        }
        ScomoPlugin.Config c = config.get();
        Downloader d;
        try {
            d = new Downloader(new Downloader.Settings(Duration.ofSeconds(Math.max(1, c.download_connect_timeout_seconds())),
                    Duration.ofSeconds(Math.max(1, c.download_timeout_seconds())), c.truststore_path(),
                    c.truststore_type(), c._truststore_password()));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return Fetched.failed(ScomoCodes.DOWNLOAD_FAILED, pkgId, "the trust store cannot be used ("
                    + e.getClass().getSimpleName() + ")");
        }
        byte[] manifest;
        try {
            manifest = d.fetch(Downloader.manifestUrl(url), ManifestVerifier.MAX_MANIFEST_BYTES);
        } catch (Downloader.DownloadException e) {
            if (!e.notFound()) {
                return Fetched.failed(ScomoCodes.DOWNLOAD_FAILED, pkgId, "manifest: " + e.getMessage());
            }
            manifest = new byte[0]; // no sidecar manifest: unsigned
        }
        Verification vm = v.verifyManifest(manifest, trusted(), PackageKind.APPLICATION, deviceClass);
        if (!vm.accepted()) {
            return Fetched.failed(code(vm), pkgId, vm.refusal().orElseThrow() + ": " + vm.detail());
        }
        SignedManifest sm = vm.manifest().orElseThrow();
        long max = config.get().download_max_bytes();
        if (sm.manifest().payloadLength() > max) {
            return Fetched.failed(ScomoCodes.DOWNLOAD_FAILED, pkgId, "the package has " + sm.manifest().payloadLength()
                    + " bytes, more than the " + max + " allowed");
        }
        try {
            d.fetchTo(url, file, max);
        } catch (Downloader.DownloadException e) {
            return Fetched.failed(ScomoCodes.DOWNLOAD_FAILED, pkgId, e.getMessage());
        }
        Verification vp;
        try (InputStream in = Files.newInputStream(file)) {
            vp = v.verifyPayload(sm, in);
        } catch (IOException e) {
            return Fetched.failed(ScomoCodes.INSTALL_FAILED, pkgId, "the downloaded file cannot be read");
        }
        if (!vp.accepted()) {
            return Fetched.failed(code(vp), pkgId, vp.refusal().orElseThrow() + ": " + vp.detail());
        }
        return new Fetched(sm, manifest, null);
    }

    /**
     * Verifies a delivered package again (it may have changed on disk since it was delivered).
     *
     * @return its signed manifest, or the refusal (always 1407 or 1405)
     */
    Fetched verifyStored(Path manifest, Path payload, String pkgId) throws IOException {
        ManifestVerifier v = verifier.get();
        String deviceClass = deviceClass();
        if (v == null || deviceClass == null || !Files.exists(manifest)) {
            return Fetched.failed(ScomoCodes.VALIDATION_FAILED, pkgId, v == null ? "no manifest verifier"
                    : deviceClass == null ? "the device class is unknown" : "no manifest");
        }
        Verification ver = v.verify(Files.readAllBytes(manifest), payload, trusted(), PackageKind.APPLICATION,
                deviceClass);
        if (!ver.accepted()) {
            return Fetched.failed(code(ver), pkgId, ver.refusal().orElseThrow() + ": " + ver.detail());
        }
        return new Fetched(ver.manifest().orElseThrow(), null, null);
    }

    private TrustedSigners trusted() {
        ApplicationSigners s = signers.get();
        return s == null ? TrustedSigners.none() : s.signers();
    }

    /** docs/signed-packages.md §4.2: every refusal is 1407, but a payload the device cannot read is 1405. */
    private static int code(Verification v) {
        return v.refusal().orElse(Refusal.MALFORMED) == Refusal.PAYLOAD_UNREADABLE ? ScomoCodes.INSTALL_FAILED
                : ScomoCodes.VALIDATION_FAILED;
    }

    /** @return the configured device class, else {@code <./DevInfo/Man>/<./DevInfo/Mod>} read as the system, else null */
    String deviceClass() {
        String configured = config.get().device_class();
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        DmTree t = tree.get();
        if (t == null) {
            return null;
        }
        String found = DeviceClass.of(t).orElse(null);
        if (found == null) {
            LOG.debug("SCOMO: DevInfo Man/Mod cannot be read or is empty");
        }
        return found;
    }
}
