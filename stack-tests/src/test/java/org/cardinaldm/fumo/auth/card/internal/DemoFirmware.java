package org.cardinaldm.fumo.auth.card.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.FumoRefusedException;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.cardinaldm.smartcard.dm.api.CardFumo;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.syncml.api.auth.Credentials;

/**
 * What the card FUMO stack tests share: the demo firmware manifests (signed by the demo FUMO signer of
 * smartcard-sim's {@code demo-fumo-signer.pem}, or by a fresh key the card does not know), the demo server's
 * authentication to the card, and the result code of a refusal. Public for smartcard-dm's {@code ApduTraceTest}
 * (the worked FUMO trace).
 */
public final class DemoFirmware {
    /** The demo gateway's device class. */
    static final String CLASS = "Cardinal/Gateway";
    /** The demo DM server's ServerID. */
    static final String SERVER = "cardinal-dms";

    private DemoFirmware() {
    }

    /** A step that is expected to be refused. */
    interface Call {
        void run() throws Exception;
    }

    /** @return the result code of the refusal; fails the test when {@code call} is not refused */
    static FumoResult code(Call call) throws Exception {
        try {
            call.run();
        } catch (FumoRefusedException e) {
            return e.result();
        }
        throw new AssertionError("not refused");
    }

    /** The demo server authenticates itself to the card (GET SERVER CHALLENGE, VERIFY SERVER DIGEST). */
    static void authenticate(DmCard card) throws Exception {
        byte[] challenge = card.serverChallenge(SERVER).orElseThrow();
        byte[] digest = Base64.getDecoder().decode(Credentials.md5Digest(SERVER, "cardinal-dms-demo-secret", challenge));
        assertThat(card.verifyServer(SERVER, DigestType.MD5, challenge, null, digest)).isTrue();
    }

    /** @return a firmware manifest "gateway 1.{counter}.0" for {@code deviceClass} with that security counter */
    static PackageManifest firmware(long counter, String deviceClass) throws Exception {
        byte[] payload = "gateway-firmware".getBytes(StandardCharsets.US_ASCII);
        return PackageManifest.builder().kind(PackageKind.FIRMWARE).name("gateway")
                .version(PackageVersion.parse("1." + counter + ".0")).deviceClass(deviceClass)
                .payload(payload.length, MessageDigest.getInstance("SHA-256").digest(payload)).securityCounter(counter)
                .build();
    }

    /** @return the CMS of a demo-class firmware manifest signed by the demo FUMO signer */
    public static byte[] demoSigned(long counter) throws Exception {
        return demoSigned(counter, CLASS);
    }

    /** @return the CMS of a firmware manifest for that class, signed by the demo FUMO signer */
    static byte[] demoSigned(long counter, String deviceClass) throws Exception {
        PrivateKey key = null;
        X509Certificate cert = null;
        for (Object o : pem("demo-fumo-signer.pem")) {
            if (o instanceof PrivateKeyInfo k) {
                key = new JcaPEMKeyConverter().getPrivateKey(k);
            } else if (o instanceof X509CertificateHolder h) {
                cert = new JcaX509CertificateConverter().getCertificate(h);
            }
        }
        return ManifestSigner.of(key, cert).sign(firmware(counter, deviceClass));
    }

    /** @return the CMS of a demo-class firmware manifest signed by a fresh key the card does not hold */
    static byte[] strangerSigned(long counter) throws Exception {
        KeyPair k = CardFumoAuthorizerTestKeys.ec();
        return ManifestSigner.of(k.getPrivate(), CardFumoAuthorizerTestKeys.certificate(k)).sign(firmware(counter, CLASS));
    }

    /**
     * The CMS split as fumo-auth-card splits it for the card ({@link CmsSplit}).
     *
     * @param cms a signed manifest whose signers are all the demo card's signers, in the card's order
     * @return the manifest's DER (the CMS eContent)
     */
    public static byte[] manifestOf(byte[] cms) {
        return CmsSplit.split(cms).manifest();
    }

    /**
     * @param cms a signed manifest whose SignerInfos are the demo card's signers, in the card's order
     * @return the signers' parts for FUMO AUTHORISE, the i-th SignerInfo as card signer i
     */
    public static List<CardFumo.ManifestSignature> cardSignatures(byte[] cms) {
        List<CmsSplit.Signer> signers = CmsSplit.split(cms).signers();
        return java.util.stream.IntStream.range(0, signers.size()).mapToObj(i -> new CardFumo.ManifestSignature(i,
                signers.get(i).signedAttributes(), signers.get(i).signature())).toList();
    }

    /** @return the private key of the demo card issuer ({@code demo-fumo-issuer.pem}, a published demo key) */
    static PrivateKey issuerKey() throws Exception {
        for (Object o : pem("demo-fumo-issuer.pem")) {
            if (o instanceof PrivateKeyInfo k) {
                return new JcaPEMKeyConverter().getPrivateKey(k);
            }
            if (o instanceof PEMKeyPair p) {
                return new JcaPEMKeyConverter().getKeyPair(p).getPrivate();
            }
        }
        throw new IllegalStateException("no private key in demo-fumo-issuer.pem");
    }

    /** @return the demo FUMO signer's certificate */
    static X509Certificate signerCertificate() throws Exception {
        for (Object o : pem("demo-fumo-signer.pem")) {
            if (o instanceof X509CertificateHolder h) {
                return new JcaX509CertificateConverter().getCertificate(h);
            }
        }
        throw new IllegalStateException("no certificate in demo-fumo-signer.pem");
    }

    private static java.util.List<Object> pem(String resource) throws Exception {
        java.util.List<Object> objects = new java.util.ArrayList<>();
        try (Reader r = new InputStreamReader(SimCardHandle.class.getResourceAsStream(resource),
                StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            for (Object o; (o = p.readObject()) != null;) {
                objects.add(o);
            }
        }
        return objects;
    }
}
