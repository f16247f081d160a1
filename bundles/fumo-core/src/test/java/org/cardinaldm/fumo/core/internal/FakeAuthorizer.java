package org.cardinaldm.fumo.core.internal;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.Authorisation;
import org.cardinaldm.fumo.api.spi.FumoAuthorizer;
import org.cardinaldm.fumo.api.spi.FumoRefusedException;
import org.cardinaldm.fumo.api.spi.UpdateGrant;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;

/** A software authority: an anti-rollback counter, a list of servers, a signing key; records every call. */
final class FakeAuthorizer implements FumoAuthorizer {
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final ManifestVerifier verifier;
    private final KeyPair key;
    volatile TrustedSigners signers;
    volatile long counter;
    volatile List<String> allowedServers = List.of();
    volatile FumoResult refuseAdmit;
    volatile FumoResult refuseAuthorise;
    volatile boolean forgeAuthorisation;
    volatile boolean failCommit;
    volatile String deviceClass = "Cardinal/Gateway";

    FakeAuthorizer(ManifestVerifier verifier, TrustedSigners signers) throws Exception {
        this.verifier = verifier;
        this.signers = signers;
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        this.key = g.generateKeyPair();
    }

    @Override
    public UpdateGrant admit(String serverId, String instance) throws FumoRefusedException {
        calls.add("admit " + serverId);
        if (refuseAdmit != null) {
            throw new FumoRefusedException(refuseAdmit, "not allowed");
        }
        if (!allowedServers.isEmpty() && !allowedServers.contains(serverId)) {
            throw new FumoRefusedException(FumoResult.NOT_ACCEPTABLE, "server not allowed");
        }
        return new UpdateGrant(serverId, instance, "g" + calls.size(), Instant.now());
    }

    @Override
    public TrustedSigners signers() {
        calls.add("signers");
        return signers;
    }

    @Override
    public Authorisation authorise(UpdateGrant grant, byte[] signedManifest, byte[] installerNonce,
            String deviceClass) throws FumoRefusedException {
        calls.add("authorise");
        if (refuseAuthorise != null) {
            throw new FumoRefusedException(refuseAuthorise, "refused");
        }
        Verification v = verifier.verifyManifest(signedManifest, signers, PackageKind.FIRMWARE, deviceClass);
        if (!v.accepted()) {
            throw new FumoRefusedException(FumoResult.SIGNATURE_FAILED, v.detail());
        }
        SignedManifest sm = v.manifest().orElseThrow();
        long c = sm.manifest().securityCounter().orElseThrow();
        if (c < counter) {
            throw new FumoRefusedException(FumoResult.NOT_ACCEPTABLE, "rollback");
        }
        byte[] sha = UpdateRun.sha256(sm.encodedManifest());
        byte[] mine = new byte[16];
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key.getPrivate());
            s.update(Authorisation.signedBytes(sha, c, installerNonce, mine));
            byte[] sig = s.sign();
            if (forgeAuthorisation) {
                sig[sig.length - 1] ^= 1;
            }
            return new Authorisation(sha, c, installerNonce, mine, "SHA256withECDSA", sig, key.getPublic());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void commit(Authorisation authorisation) throws FumoRefusedException {
        calls.add("commit");
        if (failCommit) {
            throw new FumoRefusedException(FumoResult.UNDEFINED_ERROR, "card gone");
        }
        counter = Math.max(counter, authorisation.securityCounter());
    }

    @Override
    public void release(UpdateGrant grant) {
        calls.add("release");
    }
}
