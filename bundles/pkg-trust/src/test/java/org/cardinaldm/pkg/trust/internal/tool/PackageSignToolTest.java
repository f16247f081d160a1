package org.cardinaldm.pkg.trust.internal.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's command-line tool, run in-process: sign, verify, spki, and its errors. */
class PackageSignToolTest {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    @TempDir
    static Path dir;
    private static Path keyPem;
    private static Path certPem;
    private static Path payload;
    private static String spki;
    private static KeyPair pair;
    private static X509Certificate cert;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, String> env = new HashMap<>();

    @BeforeAll
    static void make_a_signer() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec("secp256r1"));
        pair = g.generateKeyPair();
        X500Name name = new X500Name("O=Example,CN=Example package signer");
        cert = new JcaX509CertificateConverter().setProvider(BC).getCertificate(new JcaX509v3CertificateBuilder(name,
                java.math.BigInteger.ONE, java.util.Date.from(Instant.now()),
                java.util.Date.from(Instant.now().plus(Duration.ofDays(30))), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(pair.getPrivate())));
        keyPem = write("signer.key", pair.getPrivate());
        certPem = write("signer.crt", cert);
        payload = dir.resolve("hello-1.0.0.jar");
        Files.write(payload, "a jar".getBytes(StandardCharsets.US_ASCII));
        spki = TrustedSigners.spkiSha256Hex(cert.getPublicKey());
    }

    private static Path write(String file, Object pemObject) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(pemObject);
        }
        return Files.writeString(dir.resolve(file), w.toString());
    }

    private int run(String... args) {
        return new PackageSignTool(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sign_writes_the_manifest_next_to_the_package_and_verify_accepts_it() {
        int signed = run("sign", "--key", keyPem.toString(), "--cert", certPem.toString(), "--kind", "application",
                "--name", "org.example.hello", "--version", "1.0.0", "--device-class", "*", payload.toString());
        assertThat(signed).as(err()).isZero();
        Path manifest = dir.resolve("hello-1.0.0.jar.manifest.p7");
        assertThat(manifest).exists();
        assertThat(out()).contains("signer " + spki);

        int verified = run("verify", "--manifest", manifest.toString(), "--trust", spki, "--kind", "application",
                "--device-class", "Cardinal/Gateway", payload.toString());
        assertThat(verified).as(out() + err()).isZero();
        assertThat(out()).contains("accepted");
    }

    @Test
    void verify_exits_1_with_the_reason_when_refused() {
        Path m = dir.resolve("fw.p7");
        assertThat(run("sign", "--key", keyPem.toString(), "--cert", certPem.toString(), "--kind", "firmware",
                "--name", "gw", "--version", "2.0", "--order", "2.0.7", "--device-class", "Cardinal/Gateway",
                "--counter", "9", "--out", m.toString(), payload.toString())).as(err()).isZero();

        int refused = run("verify", "--manifest", m.toString(), "--trust", "00".repeat(32), "--kind", "firmware",
                "--device-class", "Cardinal/Gateway", payload.toString());
        assertThat(refused).isEqualTo(1);
        assertThat(out()).contains("refused UNTRUSTED_SIGNER");
        assertThat(run("verify", "--manifest", m.toString(), "--trust", spki, "--kind", "application",
                "--device-class", "Cardinal/Gateway", payload.toString())).isEqualTo(1);
        assertThat(out()).contains("refused WRONG_KIND");
    }

    @Test
    void spki_prints_the_value_for_the_trust_list() {
        assertThat(run("spki", certPem.toString())).isZero();
        assertThat(out().strip()).isEqualTo(spki);
    }

    @Test
    void a_pkcs12_file_with_its_password_from_the_environment_signs() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("signer", pair.getPrivate(), "s3cret".toCharArray(), new Certificate[] {cert});
        Path p12 = dir.resolve("signer.p12");
        try (var o = Files.newOutputStream(p12)) {
            ks.store(o, "s3cret".toCharArray());
        }
        env.put("SIGNER_PASSWORD", "s3cret");
        assertThat(run("sign", "--key", p12.toString(), "--password-env", "SIGNER_PASSWORD", "--kind", "application",
                "--name", "p12", "--version", "1", "--device-class", "*", "--out", dir.resolve("p12.p7").toString(),
                payload.toString())).as(err()).isZero();
        assertThat(out()).contains(spki);
        assertThat(run("spki", p12.toString())).as("no password given").isEqualTo(2);
        assertThat(err()).doesNotContain("s3cret");
    }

    @Test
    void usage_errors_exit_2_with_one_line_of_explanation() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("sign", "--key", keyPem.toString(), "--cert", certPem.toString(), "--kind", "application",
                "--name", "n", "--version", "1", payload.toString())).isEqualTo(2);
        assertThat(err()).contains("--device-class is required");
        assertThat(run("sign", "--key", certPem.toString(), "--kind", "application", "--name", "n", "--version", "1",
                "--device-class", "*", payload.toString())).isEqualTo(2);
        assertThat(err()).contains("no private key");
        assertThat(run("sign", "--key", keyPem.toString(), "--cert", certPem.toString(), "--kind", "bios",
                "--name", "n", "--version", "1", "--device-class", "x", payload.toString())).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
    }

    private static KeyPair p384() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair kp, String cn) throws Exception {
        X500Name name = new X500Name("O=Example,CN=" + cn);
        return new JcaX509CertificateConverter().setProvider(BC).getCertificate(new JcaX509v3CertificateBuilder(name,
                java.math.BigInteger.TWO, java.util.Date.from(Instant.now()),
                java.util.Date.from(Instant.now().plus(Duration.ofDays(30))), name, kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(kp.getPrivate())));
    }

    /** A PKCS#12 store with two key entries, "release" and "qa", both under the store password. */
    private static Path twoKeyStore(KeyPair release, KeyPair qa) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("release", release.getPrivate(), "pw-2".toCharArray(),
                new Certificate[] {selfSigned(release, "release")});
        ks.setKeyEntry("qa", qa.getPrivate(), "pw-2".toCharArray(), new Certificate[] {selfSigned(qa, "qa")});
        Path p12 = dir.resolve("signers-" + System.nanoTime() + ".p12");
        try (var o = Files.newOutputStream(p12)) {
            ks.store(o, "pw-2".toCharArray());
        }
        return p12;
    }

    @Test
    void firmware_signed_by_a_pem_key_and_a_pkcs12_alias_verifies_with_a_threshold_of_two() throws Exception {
        KeyPair release = p384();
        KeyPair qa = p384();
        Path p12 = twoKeyStore(release, qa);
        env.put("STORE_PW", "pw-2");
        Path m = dir.resolve("fw2.p7");
        int signed = run("sign", "--key", keyPem.toString(), "--cert", certPem.toString(), "--pkcs12", p12.toString(),
                "--alias", "qa", "--password-env", "STORE_PW", "--kind", "firmware", "--name", "gw", "--version", "3.0",
                "--device-class", "Cardinal/Gateway", "--counter", "3", "--out", m.toString(), payload.toString());
        assertThat(signed).as(err()).isZero();
        String qaHash = TrustedSigners.spkiSha256Hex(qa.getPublic());
        assertThat(out()).contains("signer " + spki, "signer " + qaHash)
                .doesNotContain("signer " + TrustedSigners.spkiSha256Hex(release.getPublic()));
        assertThat(out() + err()).doesNotContain("pw-2");

        assertThat(run("verify", "--manifest", m.toString(), "--trust", spki + "," + qaHash, "--threshold", "2",
                "--kind", "firmware", "--device-class", "Cardinal/Gateway", payload.toString())).as(out()).isZero();
        assertThat(out()).contains("signed by trusted " + qaHash);
        assertThat(run("verify", "--manifest", m.toString(), "--trust", spki, "--threshold", "2", "--kind", "firmware",
                "--device-class", "Cardinal/Gateway", payload.toString())).isEqualTo(1);
        assertThat(out()).contains("refused UNTRUSTED_SIGNER");
    }

    @Test
    void pkcs12_errors_exit_2_and_never_print_the_password() throws Exception {
        Path p12 = twoKeyStore(p384(), p384());
        String[] tail = {"--kind", "firmware", "--name", "gw", "--version", "3.0", "--device-class", "Cardinal/Gateway",
            "--out", dir.resolve("never.p7").toString(), payload.toString()};
        env.put("STORE_PW", "pw-2");
        env.put("WRONG_PW", "not-the-password");
        assertThat(run(concat(new String[] {"sign", "--pkcs12", p12.toString(), "--password-env", "STORE_PW"}, tail)))
                .isEqualTo(2);
        assertThat(err()).contains("choose one with --alias", "qa", "release");
        assertThat(run(concat(new String[] {"sign", "--pkcs12", p12.toString(), "--alias", "nobody", "--password-env",
            "STORE_PW"}, tail))).isEqualTo(2);
        assertThat(err()).contains("no key entry named 'nobody'");
        assertThat(run(concat(new String[] {"sign", "--pkcs12", p12.toString(), "--alias", "qa", "--password-env",
            "WRONG_PW"}, tail))).isEqualTo(2);
        assertThat(err()).contains("wrong password");
        assertThat(run(concat(new String[] {"sign", "--pkcs12", p12.toString(), "--alias", "qa"}, tail))).isEqualTo(2);
        assertThat(err()).contains("needs --password-env");
        assertThat(run(concat(new String[] {"sign", "--pkcs12", p12.toString(), "--alias", "qa", "--password-env",
            "UNSET_VARIABLE"}, tail))).isEqualTo(2);
        assertThat(err()).contains("UNSET_VARIABLE is not set");
        assertThat(run(concat(new String[] {"sign", "--alias", "qa", "--pkcs12", p12.toString()}, tail))).isEqualTo(2);
        assertThat(err()).contains("--alias must follow");
        assertThat(run(concat(new String[] {"sign", "--pkcs12", p12.toString(), "--alias", "qa", "--alias", "release",
            "--password-env", "STORE_PW"}, tail))).isEqualTo(2);
        assertThat(err()).contains("given twice for one signer");
        assertThat(dir.resolve("never.p7")).doesNotExist();
        assertThat(out() + err()).doesNotContain("pw-2", "not-the-password");
    }

    @Test
    void an_application_cannot_be_signed_by_several_keys() throws Exception {
        Path p12 = twoKeyStore(p384(), p384());
        env.put("STORE_PW", "pw-2");
        assertThat(run("sign", "--key", keyPem.toString(), "--cert", certPem.toString(), "--pkcs12", p12.toString(),
                "--alias", "qa", "--password-env", "STORE_PW", "--kind", "application", "--name", "a", "--version", "1",
                "--device-class", "*", "--out", dir.resolve("app2.p7").toString(), payload.toString())).isEqualTo(2);
        assertThat(err()).contains("only a firmware manifest may be signed by several keys");
        assertThat(dir.resolve("app2.p7")).doesNotExist();
        assertThat(run("verify", "--manifest", dir.resolve("app2.p7").toString(), "--trust", spki, "--threshold", "2",
                "--kind", "application", "--device-class", "x", payload.toString())).isEqualTo(2);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
