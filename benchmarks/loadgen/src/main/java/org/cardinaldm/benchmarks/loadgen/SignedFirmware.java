package org.cardinaldm.benchmarks.loadgen;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.cardinaldm.pkg.trust.standalone.StandaloneVerifier;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.server.packages.internal.CatalogComponent;
import org.cardinaldm.server.packages.internal.PackagesComponent;

/**
 * The campaign variant's firmware package: a throw-away EC P-256 test key with a self-signed certificate (made
 * for this run, never written to disk), the payload's FIRMWARE manifest signed with pkg-trust's
 * {@link ManifestSigner} and stored next to it as {@code <file>.manifest.p7}, and server-packages' catalogue
 * ({@link CatalogComponent}, as its DS component is built, with a configuration that trusts that key) over the
 * directory the package servlet serves.
 */
final class SignedFirmware {
    /** The package's file name in the catalogue. */
    static final String FILE = "gateway-fw-2.0.0.bin";
    static final String NAME = "org.cardinaldm.loadgen.gateway";
    static final String VERSION = "2.0.0";
    static final long SECURITY_COUNTER = 2;

    private SignedFirmware() {
    }

    /**
     * Writes {@code payload} and its signed manifest into {@code directory} and opens the catalogue over it.
     *
     * @param directory the package servlet's directory
     * @param payload the firmware bytes
     * @return the catalogue, trusting only this run's key
     * @throws IOException when the files cannot be written
     * @throws GeneralSecurityException when the key cannot be made
     */
    static PackageCatalog publish(Path directory, byte[] payload) throws IOException, GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        ManifestSigner signer = ManifestSigner.of(pair.getPrivate(), selfSigned(pair));
        Path file = directory.resolve(FILE);
        Files.write(file, payload);
        PackageManifest.Builder m = ManifestSigner.describe(file).kind(PackageKind.FIRMWARE).name(NAME)
                .version(PackageVersion.parse(VERSION)).securityCounter(SECURITY_COUNTER);
        for (int i = 0; i < SimDevice.MODELS; i++) { // firmware names its device classes: <Man>/<Mod> of SimDevice
            m.deviceClass(SimDevice.MANUFACTURER + "/" + SimDevice.MODEL_PREFIX + i);
        }
        byte[] manifest = signer.sign(m.build());
        Files.write(directory.resolve(FILE + ".manifest.p7"), manifest);
        PackagesComponent.Config config = annotation(PackagesComponent.Config.class, Map.of(
                "directory", directory.toAbsolutePath().toString(),
                "trusted_firmware_signers", new String[] {signer.signerSha256()}));
        PackageCatalog catalog = new CatalogComponent(config, StandaloneVerifier.create());
        if (catalog.find(FILE).isEmpty()) {
            throw new IllegalStateException("the catalogue does not list the package just signed");
        }
        return catalog;
    }

    private static X509Certificate selfSigned(KeyPair pair) throws GeneralSecurityException {
        X500Name subject = new X500Name("CN=Cardinal loadgen test firmware signer");
        Instant now = Instant.now();
        try {
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(1))), subject, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot self-sign the test certificate", e);
        }
    }

    /**
     * A DS configuration annotation outside OSGi: the given values by method name, the metatype defaults otherwise.
     */
    static <A> A annotation(Class<A> type, Map<String, Object> values) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            String key = method.getName();
            if (key.equals("annotationType")) {
                return type;
            }
            Object v = values.containsKey(key) ? values.get(key) : method.getDefaultValue();
            if (v == null) {
                throw new UnsupportedOperationException(type.getSimpleName() + "." + key);
            }
            return v;
        });
        return type.cast(proxy);
    }
}
