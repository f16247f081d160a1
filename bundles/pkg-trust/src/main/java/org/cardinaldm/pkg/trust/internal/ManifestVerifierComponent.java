package org.cardinaldm.pkg.trust.internal;

import java.io.InputStream;
import java.nio.file.Path;

import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link ManifestVerifier} service: {@link CmsManifestVerifier} with one DEBUG line per verification. */
@Component(service = ManifestVerifier.class, configurationPid = "org.cardinaldm.pkg.trust.verifier")
public final class ManifestVerifierComponent implements ManifestVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestVerifierComponent.class);
    private final CmsManifestVerifier verifier = new CmsManifestVerifier();

    @Override
    public Verification verifyManifest(byte[] manifest, TrustedSigners signers, PackageKind kind, String deviceClass) {
        return logged("manifest", verifier.verifyManifest(manifest, signers, kind, deviceClass));
    }

    @Override
    public Verification verifyManifest(byte[] manifest, TrustedSigners signers, int threshold, PackageKind kind,
            String deviceClass) {
        return logged("manifest", verifier.verifyManifest(manifest, signers, threshold, kind, deviceClass));
    }

    @Override
    public Verification verifyPayload(SignedManifest manifest, InputStream payload) {
        return logged("payload", verifier.verifyPayload(manifest, payload));
    }

    @Override
    public Verification verify(byte[] manifest, InputStream payload, TrustedSigners signers, PackageKind kind,
            String deviceClass) {
        return logged("package", verifier.verify(manifest, payload, signers, kind, deviceClass));
    }

    @Override
    public Verification verify(byte[] manifest, Path payload, TrustedSigners signers, PackageKind kind,
            String deviceClass) {
        return logged("package", verifier.verify(manifest, payload, signers, kind, deviceClass));
    }

    private static Verification logged(String what, Verification v) {
        LOG.debug("Verified {}: {}", what, v);
        return v;
    }
}
