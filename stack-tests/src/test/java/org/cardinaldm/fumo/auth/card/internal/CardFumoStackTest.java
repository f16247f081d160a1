package org.cardinaldm.fumo.auth.card.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.Authorisation;
import org.cardinaldm.fumo.api.spi.FumoRefusedException;
import org.cardinaldm.fumo.api.spi.UpdateGrant;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.internal.CardStackAccess;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.stacktest.card.CardStack;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card decides, end to end in the JVM: the demo card (smartcard-sim, profile 1.2), the card service, the DM
 * card service (smartcard-dm) and the card authorizer (fumo-auth-card) with pkg-trust's verifier, in the order
 * FUMO calls them. Counts the APDUs of one authorisation (admit + authorise + commit), the figure in
 * docs/fumo-card-authorisation.md, and runs the demo's three packages: counter 2 accepted, counter 1 refused
 * (405), an unknown signer refused (404).
 */
class CardFumoStackTest {
    private static final String CLASS = "Cardinal/Gateway";

    @TempDir
    Path dir;

    @Test
    void the_demo_rollout_upgrade_accepted_downgrade_405_unknown_signer_404_and_the_apdu_count() throws Exception {
        try (CardStackAccess stack = new CardStackAccess()) {
            stack.insert();
            CardFumoAuthorizer authorizer = new CardFumoAuthorizer(stack.dm(), org.cardinaldm.pkg.trust.standalone.StandaloneVerifier.create(), "",
                    new KeyPins(dir.resolve("card-keys.properties")), Clock.systemUTC());
            DmCard card = stack.dm().card(CardStack.SIM_READER).orElseThrow();
            assertThat(card.capabilities()).contains(DmCard.CAPABILITY_FUMO);
            assertThat(card.profileVersion()).isEqualTo("1.2");
            assertThat(authorizer.signers().sha256Hex()).containsExactly(
                    "7fb1ea7ad6b51ecf2ba63cd7ab925adb9e73c59011c790f63216b01a170c23f0");

            // the server's DM session: the card verifies it, then FUMO admits while processing its Exec
            authenticate(card);
            stack.stats().reset();
            UpdateGrant grant = authorizer.admit("cardinal-dms", "Gateway");
            long admitApdus = stack.stats().apdus();
            card.endDmSession(); // the session ends; download and update come later

            byte[] cms = demoSigned(2);
            byte[] nonce = new byte[16];
            new SecureRandom().nextBytes(nonce);
            stack.stats().reset();
            Authorisation a = authorizer.authorise(grant, cms, nonce, CLASS);
            long authoriseApdus = stack.stats().apdus();
            assertThat(a.verifies(a.manifestSha256(), nonce, 2)).isTrue();
            stack.stats().reset();
            authorizer.commit(a);
            long commitApdus = stack.stats().apdus();
            authorizer.commit(a); // a device that crashed before its bookkeeping commits again: no error
            assertThat(stack.dm().refresh(CardStack.SIM_READER).orElseThrow().fumoPolicy().orElseThrow()
                    .antiRollbackCounter()).isEqualTo(2);
            System.out.printf("APDUs of one card authorisation: admit %d, authorise %d (manifest %d bytes), commit %d%n",
                    admitApdus, authoriseApdus, cms.length, commitApdus);
            assertThat(admitApdus).isEqualTo(1);
            assertThat(commitApdus).isEqualTo(1);
            assertThat(authoriseApdus).isBetween(2L, 4L); // VERIFY device key + the blocks of AUTHORISE

            // the demo's downgrade: counter 1 below the card's 2
            card = stack.dm().card(CardStack.SIM_READER).orElseThrow();
            authenticate(card);
            UpdateGrant g2 = authorizer.admit("cardinal-dms", "Gateway");
            assertThat(code(() -> authorizer.authorise(g2, demoSigned(1), nonce, CLASS))).isEqualTo(FumoResult.NOT_ACCEPTABLE);
            // the demo's unknown signer
            assertThat(code(() -> authorizer.authorise(g2, strangerSigned(3), nonce, CLASS)))
                    .isEqualTo(FumoResult.SIGNATURE_FAILED);
            // a server the card did not authenticate in this session cannot be admitted
            card.endDmSession();
            assertThat(code(() -> authorizer.admit("cardinal-dms", "Gateway"))).isEqualTo(FumoResult.UNDEFINED_ERROR);
            authorizer.release(g2);
        }
    }

    private static void authenticate(DmCard card) throws Exception {
        byte[] challenge = card.serverChallenge("cardinal-dms").orElseThrow();
        byte[] digest = Base64.getDecoder().decode(Credentials.md5Digest("cardinal-dms", "cardinal-dms-demo-secret", challenge));
        assertThat(card.verifyServer("cardinal-dms", DigestType.MD5, challenge, null, digest)).isTrue();
    }

    private interface Call {
        void run() throws Exception;
    }

    private static FumoResult code(Call call) throws Exception {
        try {
            call.run();
        } catch (FumoRefusedException e) {
            return e.result();
        }
        throw new AssertionError("not refused");
    }

    static PackageManifest firmware(long counter) throws Exception {
        byte[] payload = "gateway-firmware".getBytes(StandardCharsets.US_ASCII);
        return PackageManifest.builder().kind(PackageKind.FIRMWARE).name("gateway")
                .version(PackageVersion.parse("1." + counter + ".0")).deviceClass(CLASS)
                .payload(payload.length, MessageDigest.getInstance("SHA-256").digest(payload)).securityCounter(counter)
                .build();
    }

    /** Signed by the demo FUMO signer of smartcard-sim's demo-fumo-signer.pem (key and certificate). */
    static byte[] demoSigned(long counter) throws Exception {
        PrivateKey key = null;
        X509Certificate cert = null;
        try (Reader r = new InputStreamReader(SimCardHandle.class.getResourceAsStream("demo-fumo-signer.pem"),
                StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            for (Object o; (o = p.readObject()) != null;) {
                if (o instanceof PrivateKeyInfo k) {
                    key = new JcaPEMKeyConverter().getPrivateKey(k);
                } else if (o instanceof X509CertificateHolder h) {
                    cert = new JcaX509CertificateConverter().getCertificate(h);
                }
            }
        }
        return ManifestSigner.of(key, cert).sign(firmware(counter));
    }

    static byte[] strangerSigned(long counter) throws Exception {
        java.security.KeyPair k = org.cardinaldm.fumo.auth.card.internal.CardFumoAuthorizerTestKeys.ec();
        return ManifestSigner.of(k.getPrivate(), CardFumoAuthorizerTestKeys.certificate(k)).sign(firmware(counter));
    }

}
