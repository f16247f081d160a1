package org.cardinaldm.pkg.trust.internal.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.cardinaldm.pkg.trust.internal.CmsManifestVerifier;

/**
 * The operator's command-line tool (docs/signed-packages.md §6), run with {@code java -cp} over this jar and
 * the three Bouncy Castle jars:
 * <pre>
 * sign   --key FILE [--cert FILE] [--password-env VAR] [--pss] --kind application|firmware --name NAME
 *        --version TEXT [--order 1.2.3] --device-class CLASS... [--counter N] [--out FILE] PAYLOAD
 * verify --manifest FILE --trust HEX[,HEX] --kind application|firmware --device-class CLASS PAYLOAD
 * spki   FILE        (a PEM certificate, a PEM key+certificate file, or a PKCS#12 with --password-env)
 * </pre>
 * Exit status 0 on success, 1 when verification refuses the package, 2 on a usage or input error. Passwords
 * are read from an environment variable, never from the command line (which other users can see).
 */
public final class PackageSignTool {
    private static final Provider BC = new BouncyCastleProvider();
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    PackageSignTool(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /**
     * @param args the command and its options
     */
    public static void main(String[] args) {
        System.exit(new PackageSignTool(System.out, System.err, System.getenv()).run(args));
    }

    int run(String... args) {
        if (args.length == 0) {
            return usage("no command");
        }
        Options o;
        try {
            o = Options.parse(Arrays.copyOfRange(args, 1, args.length));
            return switch (args[0]) {
                case "sign" -> sign(o);
                case "verify" -> verify(o);
                case "spki" -> spki(o);
                default -> usage("unknown command " + args[0]);
            };
        } catch (UsageException e) {
            return usage(e.getMessage());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            err.println("pkg-trust: " + e.getMessage());
            return 2;
        }
    }

    private int usage(String why) {
        err.println("pkg-trust: " + why);
        err.println("usage: sign --key FILE [--cert FILE] [--password-env VAR] [--pss] --kind application|firmware"
                + " --name NAME --version TEXT [--order 1.2.3] --device-class CLASS... [--counter N] [--out FILE] PAYLOAD");
        err.println("       verify --manifest FILE --trust HEX[,HEX] --kind application|firmware --device-class CLASS PAYLOAD");
        err.println("       spki FILE [--password-env VAR]");
        return 2;
    }

    private int sign(Options o) throws IOException, GeneralSecurityException, UsageException {
        Path payload = o.payload();
        Credentials c = load(Path.of(o.required("key")), o.single("cert"), o.single("password-env"));
        if (c.key == null) {
            throw new UsageException("no private key found in " + o.required("key"));
        }
        ManifestSigner signer = ManifestSigner.of(c.key, c.certificate);
        if (o.flag("pss")) {
            signer = signer.withPss();
        }
        PackageManifest.Builder b = ManifestSigner.describe(payload).kind(kind(o.required("kind")))
                .name(o.required("name"));
        String text = o.required("version");
        String order = o.single("order");
        b.version(order == null ? PackageVersion.parse(text) : PackageVersion.of(text, numbers(order)));
        List<String> classes = o.all("device-class");
        if (classes.isEmpty()) {
            throw new UsageException("--device-class is required (use '*' for an application for any device)");
        }
        classes.forEach(b::deviceClass);
        String counter = o.single("counter");
        if (counter != null) {
            b.securityCounter(Long.parseLong(counter));
        }
        PackageManifest manifest = b.build();
        byte[] cms = signer.sign(manifest);
        String outName = o.single("out");
        Path target = outName != null ? Path.of(outName) : payload.resolveSibling(payload.getFileName() + ".manifest.p7");
        Files.write(target, cms);
        out.println("signed " + manifest);
        out.println("signer " + signer.signerSha256());
        out.println("wrote  " + target + " (" + cms.length + " bytes)");
        return 0;
    }

    private int verify(Options o) throws IOException, UsageException {
        byte[] manifest = Files.readAllBytes(Path.of(o.required("manifest")));
        Verification v = new CmsManifestVerifier().verify(manifest, o.payload(),
                TrustedSigners.ofHex(Arrays.asList(o.required("trust").split(","))), kind(o.required("kind")),
                o.required("device-class"));
        if (v.accepted()) {
            out.println("accepted " + v.manifest().orElseThrow());
            return 0;
        }
        out.println("refused " + v.refusal().orElseThrow() + ": " + v.detail());
        return 1;
    }

    private int spki(Options o) throws IOException, GeneralSecurityException, UsageException {
        if (o.positional.size() != 1) {
            throw new UsageException("spki takes one file");
        }
        Credentials c = load(Path.of(o.positional.get(0)), null, o.single("password-env"));
        out.println(TrustedSigners.spkiSha256Hex(c.certificate.getPublicKey()));
        return 0;
    }

    private static PackageKind kind(String s) throws UsageException {
        try {
            return PackageKind.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--kind is application or firmware, not " + s);
        }
    }

    private static List<Long> numbers(String dotted) throws UsageException {
        List<Long> n = new ArrayList<>();
        for (String p : dotted.split("\\.")) {
            try {
                n.add(Long.parseLong(p));
            } catch (NumberFormatException e) {
                throw new UsageException("--order is dot-separated numbers, e.g. 1.4.2");
            }
        }
        return n;
    }

    private record Credentials(PrivateKey key, X509Certificate certificate) {
    }

    /** A PKCS#12 file (by extension .p12/.pfx), or PEM: key and certificate in one file or two. */
    private Credentials load(Path keyFile, String certFile, String passwordEnv)
            throws IOException, GeneralSecurityException, UsageException {
        char[] password = null;
        if (passwordEnv != null) {
            String p = env.get(passwordEnv);
            if (p == null) {
                throw new UsageException("environment variable " + passwordEnv + " is not set");
            }
            password = p.toCharArray();
        }
        String name = keyFile.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            if (password == null) {
                throw new UsageException("a PKCS#12 file needs --password-env");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keyFile)) {
                ks.load(in, password);
            }
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    Key k = ks.getKey(alias, password);
                    Certificate cert = ks.getCertificate(alias);
                    if (k instanceof PrivateKey pk && cert instanceof X509Certificate x) {
                        return new Credentials(pk, x);
                    }
                }
            }
            throw new UsageException(keyFile + " holds no private key with a certificate");
        }
        PrivateKey key = null;
        X509Certificate cert = null;
        List<Path> files = new ArrayList<>(List.of(keyFile));
        if (certFile != null) {
            files.add(Path.of(certFile));
        }
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter().setProvider(BC);
        for (Path f : files) {
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
                for (Object obj; (obj = pem.readObject()) != null;) {
                    if (obj instanceof PEMKeyPair pair) {
                        key = keys.getPrivateKey(pair.getPrivateKeyInfo());
                    } else if (obj instanceof PrivateKeyInfo info) {
                        key = keys.getPrivateKey(info);
                    } else if (obj instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                        if (password == null) {
                            throw new UsageException(f + " holds an encrypted key: give --password-env");
                        }
                        try {
                            key = keys.getPrivateKey(enc.decryptPrivateKeyInfo(
                                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password)));
                        } catch (org.bouncycastle.operator.OperatorCreationException
                                | org.bouncycastle.pkcs.PKCSException e) {
                            throw new GeneralSecurityException("cannot decrypt the key in " + f + " (wrong password?)");
                        }
                    } else if (obj instanceof X509CertificateHolder holder && cert == null) {
                        cert = new JcaX509CertificateConverter().setProvider(BC).getCertificate(holder);
                    }
                }
            }
        }
        if (cert == null) {
            throw new UsageException("no certificate found (give --cert FILE)");
        }
        return new Credentials(key, cert);
    }

    /** Thrown for a command line that cannot be run. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** {@code --name value} options (repeatable), {@code --flag}s and positional arguments. */
    private static final class Options {
        private static final List<String> FLAGS = List.of("pss");
        private final Map<String, List<String>> values = new HashMap<>();
        private final List<String> positional = new ArrayList<>();
        private final java.util.Set<String> flags = new java.util.HashSet<>();

        static Options parse(String[] args) throws UsageException {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.startsWith("--")) {
                    String name = a.substring(2);
                    if (FLAGS.contains(name)) {
                        o.flags.add(name);
                    } else if (i + 1 < args.length) {
                        o.values.computeIfAbsent(name, k -> new ArrayList<>()).add(args[++i]);
                    } else {
                        throw new UsageException(a + " needs a value");
                    }
                } else {
                    o.positional.add(a);
                }
            }
            return o;
        }

        boolean flag(String name) {
            return flags.contains(name);
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }

        String single(String name) throws UsageException {
            List<String> v = all(name);
            if (v.size() > 1) {
                throw new UsageException("--" + name + " given twice");
            }
            return v.isEmpty() ? null : v.get(0);
        }

        String required(String name) throws UsageException {
            String v = single(name);
            if (v == null) {
                throw new UsageException("--" + name + " is required");
            }
            return v;
        }

        Path payload() throws UsageException {
            if (positional.size() != 1) {
                throw new UsageException("give exactly one payload file");
            }
            return Path.of(positional.get(0));
        }
    }
}
