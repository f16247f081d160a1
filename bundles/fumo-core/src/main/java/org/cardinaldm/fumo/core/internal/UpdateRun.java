package org.cardinaldm.fumo.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.function.Supplier;

import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.FumoState;
import org.cardinaldm.fumo.api.spi.Authorisation;
import org.cardinaldm.fumo.api.spi.FirmwarePackage;
import org.cardinaldm.fumo.api.spi.FumoAuthorizer;
import org.cardinaldm.fumo.api.spi.FumoRefusedException;
import org.cardinaldm.fumo.api.spi.UpdateException;
import org.cardinaldm.fumo.api.spi.UpdateGrant;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.Refusal;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.cardinaldm.fumo.core.internal.InstanceRecord.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of one operation, on FUMO's worker thread: fetch and verify the signed manifest against the
 * authority's signers, download the payload (resumable) and check its SHA-256, ask the user when consent is
 * required, get the authority's authorisation bound to a fresh nonce and check it, then apply through the update
 * agent, check its health, and commit (authority first, then agent) or roll back. Each step that fails ends the
 * operation with its {@link Outcome}; {@link FumoEngine#finish} turns that into the final state, the history
 * entry and the alert.
 */
final class UpdateRun {
    private static final Logger LOG = LoggerFactory.getLogger(UpdateRun.class);

    /** A step failed: the outcome to report. */
    static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Outcome outcome;

        Stop(FumoResult result, String detail) {
            super(detail, null, false, false);
            this.outcome = Outcome.fail(result, detail);
        }

        Outcome outcome() {
            return outcome;
        }
    }

    private final Instance i;
    private final Environment env;
    private final Supplier<Settings> settings;
    private final SecureRandom random;

    UpdateRun(Instance i, Environment env, Supplier<Settings> settings, SecureRandom random) {
        this.i = i;
        this.env = env;
        this.settings = settings;
        this.random = random;
    }

    /** A verified package on disk. */
    private record Verified(SignedManifest manifest, byte[] manifestBytes) {
    }

    /**
     * Download (and, for DownloadAndUpdate, update) from state 30, or resumes one after a restart.
     *
     * @param andUpdate whether the update follows at once
     * @return the outcome
     */
    Outcome download(boolean andUpdate) {
        try {
            Verified v = fetchVerified(andUpdate ? i.rec.dluUrl : i.rec.downloadUrl);
            if (!andUpdate) {
                // ask the authority now, so that a refusal (404, 403, 405) is known before the server asks to update
                FumoAuthorizer a = authorizer();
                authorise(a, v);
                release(a);
                synchronized (i) {
                    i.moveTo(FumoState.READY_TO_UPDATE);
                    i.rec.save();
                }
                return Outcome.ok("downloaded and verified " + v.manifest.manifest().name() + " "
                        + v.manifest.manifest().version().text());
            }
            synchronized (i) {
                i.moveTo(FumoState.READY_TO_UPDATE);
                i.rec.save();
            }
            return install(v);
        } catch (Stop s) {
            return s.outcome();
        }
    }

    /**
     * Update from state 50: the package on disk (downloaded earlier or written to PkgData) is verified again,
     * then installed.
     *
     * @return the outcome
     */
    Outcome update() {
        try {
            ManifestVerifier verifier = verifier();
            String deviceClass = deviceClass();
            TrustedSigners signers = signers(authorizer());
            byte[] manifest = read(i.rec.manifestFile());
            Verification v = verifier.verify(manifest, i.rec.payloadFile(), signers, PackageKind.FIRMWARE, deviceClass);
            if (!v.accepted()) {
                throw refused(v);
            }
            SignedManifest sm = v.manifest().orElseThrow();
            requireCounter(sm);
            named(sm);
            return install(new Verified(sm, manifest));
        } catch (Stop s) {
            return s.outcome();
        }
    }

    private Verified fetchVerified(String url) throws Stop {
        ManifestVerifier verifier = verifier();
        String deviceClass = deviceClass();
        TrustedSigners signers = signers(authorizer());
        HttpFetcher http;
        URI uri;
        try {
            http = new HttpFetcher(settings.get());
            uri = HttpFetcher.parse(url);
            byte[] manifest;
            if (Files.exists(i.rec.manifestFile())) {
                manifest = read(i.rec.manifestFile());
            } else {
                try {
                    manifest = http.fetchSmall(HttpFetcher.manifestUrl(url), ManifestVerifier.MAX_MANIFEST_BYTES);
                } catch (FetchException e) {
                    if (!e.notFound()) {
                        throw e;
                    }
                    manifest = new byte[0]; // no sidecar: unsigned
                }
            }
            Verification vm = verifier.verifyManifest(manifest, signers, PackageKind.FIRMWARE, deviceClass);
            if (!vm.accepted()) {
                throw refused(vm);
            }
            SignedManifest sm = vm.manifest().orElseThrow();
            requireCounter(sm);
            long length = sm.manifest().payloadLength();
            if (length > settings.get().maxPackageBytes()) {
                throw new Stop(FumoResult.DOWNLOAD_OUT_OF_MEMORY, "the package has " + length
                        + " bytes, more than the " + settings.get().maxPackageBytes() + " allowed");
            }
            synchronized (i) {
                write(i.rec.manifestFile(), manifest);
                named(sm);
                i.rec.bytesTotal = length;
                if (!url.equals(i.rec.partialUrl)) {
                    delete(i.rec.payloadFile());
                    i.rec.etag = "";
                    i.rec.partialUrl = url;
                }
                i.rec.save();
            }
            http.fetchTo(uri, i.rec.payloadFile(), length, i.rec.etag, etag -> {
                synchronized (i) {
                    if (!etag.equals(i.rec.etag)) {
                        i.rec.etag = etag;
                        i.rec.save();
                    }
                }
            }, n -> {
                i.bytesDone.set(n);
                env.downloaded(i.name, n);
            });
            synchronized (i) {
                if (i.rec.state == FumoState.DOWNLOAD_PROGRESSING) { // 40 already when resumed after a restart
                    i.moveTo(FumoState.DOWNLOAD_COMPLETE);
                    i.rec.save();
                }
            }
            Verification vp;
            try (InputStream in = Files.newInputStream(i.rec.payloadFile())) {
                vp = verifier.verifyPayload(sm, in);
            } catch (IOException e) {
                throw new Stop(FumoResult.UNDEFINED_ERROR, "the downloaded package cannot be read");
            }
            if (!vp.accepted()) {
                throw refused(vp);
            }
            return new Verified(sm, manifest);
        } catch (FetchException e) {
            throw new Stop(e.result(), e.getMessage());
        }
    }

    /** Consent, authorisation, apply, health check, commit or roll back; from state 50. */
    private Outcome install(Verified v) throws Stop {
        String text = "Install firmware " + v.manifest.manifest().name() + " " + v.manifest.manifest().version().text()
                + " on " + i.name + " (now " + i.installedVersion() + ")? The device may restart.";
        if ((settings.get().consentRequired() || i.rec.consentAsked)
                && !env.consent().ask(i.rec.serverId, text, settings.get().consentTimeout())) {
            throw new Stop(FumoResult.USER_CANCELLED, "the user did not agree");
        }
        FumoAuthorizer a = authorizer();
        Authorisation auth = authorise(a, v);
        synchronized (i) {
            i.moveTo(FumoState.UPDATE_PROGRESSING);
            i.rec.step = Step.APPLYING;
            i.rec.save();
        }
        try {
            i.agent.apply(new FirmwarePackage(i.rec.payloadFile(), v.manifest, auth));
        } catch (UpdateException e) {
            rollback();
            return Outcome.fail(e.result(), "the update agent failed: " + e.getMessage());
        }
        if (!healthy()) {
            rollback();
            return Outcome.fail(FumoResult.UPDATE_FAILED, "the new firmware failed its health check; rolled back");
        }
        try {
            a.commit(auth);
        } catch (FumoRefusedException | RuntimeException e) {
            rollback();
            return Outcome.fail(FumoResult.UPDATE_FAILED, "the authority did not record the commit; rolled back");
        }
        synchronized (i) {
            i.rec.step = Step.AUTHORITY_COMMITTED;
            i.rec.save();
        }
        return commitAgent(i);
    }

    /**
     * The agent keeps the new set (the authority has committed its counter).
     *
     * @param i the instance
     * @return 200, or the agent's failure
     */
    static Outcome commitAgent(Instance i) {
        try {
            i.agent.commit();
        } catch (UpdateException e) {
            return Outcome.fail(e.result(), "the update agent could not keep the new firmware: " + e.getMessage());
        }
        return Outcome.ok("updated " + i.rec.pkgName + " to " + i.rec.pkgVersion);
    }

    private boolean healthy() {
        try {
            return i.agent.healthy();
        } catch (RuntimeException e) {
            LOG.debug("FUMO {}: the health check failed ({})", i.name, e.toString());
            return false;
        }
    }

    private void rollback() {
        try {
            i.agent.rollback();
        } catch (UpdateException | RuntimeException e) {
            LOG.error("FUMO {}: the update agent could not roll back ({}); an operator must check the device",
                    i.name, e.getMessage());
        }
    }

    private Authorisation authorise(FumoAuthorizer a, Verified v) throws Stop {
        UpdateGrant grant = i.rec.grant;
        if (grant == null) {
            throw new Stop(FumoResult.NOT_ACCEPTABLE, "no grant of the authority for this operation");
        }
        byte[] nonce = new byte[Authorisation.NONCE_LENGTH];
        random.nextBytes(nonce);
        long counter = v.manifest.manifest().securityCounter().orElseThrow();
        Authorisation auth;
        try {
            auth = a.authorise(grant, v.manifestBytes, nonce, deviceClass());
        } catch (FumoRefusedException e) {
            throw new Stop(e.result(), "the authority refused: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new Stop(FumoResult.UNDEFINED_ERROR, "the authority failed (" + e.getClass().getSimpleName() + ")");
        }
        if (auth == null || !auth.verifies(sha256(v.manifest.encodedManifest()), nonce, counter)) {
            throw new Stop(FumoResult.UNDEFINED_ERROR, "the authority's authorisation does not verify");
        }
        return auth;
    }

    private void release(FumoAuthorizer a) {
        UpdateGrant g;
        synchronized (i) {
            g = i.rec.grant;
            i.rec.grant = null;
            i.rec.save();
        }
        if (g != null) {
            try {
                a.release(g);
            } catch (RuntimeException e) {
                LOG.debug("FUMO {}: releasing the grant failed ({})", i.name, e.toString());
            }
        }
    }

    private void named(SignedManifest sm) {
        synchronized (i) {
            i.rec.pkgName = sm.manifest().name();
            i.rec.pkgVersion = sm.manifest().version().text();
            i.rec.save();
        }
    }

    private static void requireCounter(SignedManifest sm) throws Stop {
        if (sm.manifest().securityCounter().isEmpty()) {
            throw new Stop(FumoResult.NOT_ACCEPTABLE, "the firmware manifest has no security counter");
        }
    }

    private FumoAuthorizer authorizer() throws Stop {
        FumoAuthorizer a = env.authorizer();
        if (a == null) {
            throw new Stop(FumoResult.UNDEFINED_ERROR, "no FUMO authorizer is installed");
        }
        return a;
    }

    private ManifestVerifier verifier() throws Stop {
        ManifestVerifier v = env.verifier();
        if (v == null) {
            throw new Stop(FumoResult.UNDEFINED_ERROR, "no manifest verifier (pkg-trust) is installed");
        }
        return v;
    }

    private String deviceClass() throws Stop {
        String c = env.deviceClass();
        if (c == null || c.isBlank() || c.equals("*")) {
            throw new Stop(FumoResult.UNDEFINED_ERROR, "the device class (DevInfo Man/Mod) is unknown");
        }
        return c;
    }

    private static TrustedSigners signers(FumoAuthorizer a) throws Stop {
        try {
            TrustedSigners s = a.signers();
            return s == null ? TrustedSigners.none() : s;
        } catch (FumoRefusedException e) {
            throw new Stop(e.result(), "the authority cannot name its signers: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new Stop(FumoResult.UNDEFINED_ERROR, "the authority failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** {@code docs/signed-packages.md} §4.2, FUMO column. */
    static Stop refused(Verification v) {
        Refusal r = v.refusal().orElse(Refusal.MALFORMED);
        FumoResult code = switch (r) {
            case UNSUPPORTED_ALGORITHM, BAD_SIGNATURE, UNTRUSTED_SIGNER -> FumoResult.SIGNATURE_FAILED;
            case WRONG_KIND, WRONG_DEVICE_CLASS -> FumoResult.PACKAGE_MISMATCH;
            case PAYLOAD_UNREADABLE -> FumoResult.UNDEFINED_ERROR;
            default -> FumoResult.CORRUPTED_PACKAGE;
        };
        return new Stop(code, r + ": " + v.detail());
    }

    private static byte[] read(java.nio.file.Path p) throws Stop {
        try {
            if (Files.size(p) > ManifestVerifier.MAX_MANIFEST_BYTES) {
                throw new Stop(FumoResult.CORRUPTED_PACKAGE, "the stored manifest is too large");
            }
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new Stop(FumoResult.UNDEFINED_ERROR, "the stored package cannot be read");
        }
    }

    private static void write(java.nio.file.Path p, byte[] data) throws Stop {
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, data);
        } catch (IOException e) {
            throw new Stop(FumoResult.DOWNLOAD_OUT_OF_MEMORY, "the manifest cannot be stored");
        }
    }

    private static void delete(java.nio.file.Path p) throws Stop {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new Stop(FumoResult.DOWNLOAD_OUT_OF_MEMORY, "an old package cannot be removed");
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
