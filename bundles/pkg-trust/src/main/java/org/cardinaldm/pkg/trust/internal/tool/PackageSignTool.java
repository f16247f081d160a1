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
import org.cardinaldm.pkg.trust.api.Refusal;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.cardinaldm.pkg.trust.internal.CmsManifestVerifier;

/**
 * The operator's command-line tool (docs/signed-packages.md §6), run with {@code java -cp} over this jar and
 * the three Bouncy Castle jars:
 * <pre>
 * sign   SIGNER... [--pss] --kind application|firmware --name NAME
 *        --version TEXT [--order 1.2.3] --device-class CLASS... [--counter N] [--out FILE] PAYLOAD
 *   where SIGNER is  --key FILE [--cert FILE] [--password-env VAR]
 *                or  --pkcs12 FILE [--alias ALIAS] --password-env VAR
 *   (several SIGNERs for a firmware manifest signed by several keys, M-of-N)
 * verify --manifest FILE --trust HEX[,HEX] [--threshold M] --kind application|firmware --device-class CLASS PAYLOAD
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
        err.println("usage: sign SIGNER... [--pss] --kind application|firmware"
                + " --name NAME --version TEXT [--order 1.2.3] --device-class CLASS... [--counter N] [--out FILE] PAYLOAD");
        err.println("         SIGNER: --key FILE [--cert FILE] [--password-env VAR]"
                + " | --pkcs12 FILE [--alias ALIAS] --password-env VAR (several: firmware signed by several keys)");
        err.println("       verify --manifest FILE --trust HEX[,HEX] [--threshold M] --kind application|firmware"
                + " --device-class CLASS PAYLOAD");
        err.println("       spki FILE [--password-env VAR]");
        return 2;
    }

    private int sign(Options o) throws IOException, GeneralSecurityException, UsageException {
        Path payload = o.payload();
        if (o.signers.isEmpty()) {
            throw new UsageException("--key FILE or --pkcs12 FILE is required");
        }
        List<ManifestSigner> signers = new ArrayList<>();
        for (Map<String, String> spec : o.signers) {
            ManifestSigner signer = signer(spec);
            signers.add(o.flag("pss") ? signer.withPss() : signer);
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
        if (signers.size() > 1 && manifest.kind() != PackageKind.FIRMWARE) {
            throw new UsageException("only a firmware manifest may be signed by several keys");
        }
        byte[] cms = ManifestSigner.signJointly(manifest, signers);
        String outName = o.single("out");
        Path target = outName != null ? Path.of(outName) : payload.resolveSibling(payload.getFileName() + ".manifest.p7");
        Files.write(target, cms);
        out.println("signed " + manifest);
        for (ManifestSigner signer : signers) {
            out.println("signer " + signer.signerSha256());
        }
        out.println("wrote  " + target + " (" + cms.length + " bytes)");
        return 0;
    }

    /** One signer from its options: {@code key} (+ {@code cert}, {@code password-env}) or {@code pkcs12}. */
    private ManifestSigner signer(Map<String, String> spec)
            throws IOException, GeneralSecurityException, UsageException {
        Credentials c;
        if (spec.containsKey("pkcs12")) {
            if (spec.containsKey("cert")) {
                throw new UsageException("--cert does not go with --pkcs12 (the key store holds the certificate)");
            }
            String env = spec.get("password-env");
            if (env == null) {
                throw new UsageException("--pkcs12 " + spec.get("pkcs12") + " needs --password-env VAR");
            }
            c = pkcs12(Path.of(spec.get("pkcs12")), spec.get("alias"), password(env));
        } else {
            if (spec.containsKey("alias")) {
                throw new UsageException("--alias goes with --pkcs12");
            }
            c = load(Path.of(spec.get("key")), spec.get("cert"), spec.get("password-env"));
            if (c.key == null) {
                throw new UsageException("no private key found in " + spec.get("key"));
            }
        }
        return ManifestSigner.of(c.key, c.certificate);
    }

    private char[] password(String variable) throws UsageException {
        String p = env.get(variable);
        if (p == null) {
            throw new UsageException("environment variable " + variable + " is not set");
        }
        return p.toCharArray();
    }

    /** The key entry {@code alias} of a PKCS#12 file, or its only key entry when no alias is given. */
    private static Credentials pkcs12(Path file, String alias, char[] password)
            throws IOException, GeneralSecurityException, UsageException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            ks.load(in, password);
        } catch (IOException e) {
            // the JDK says "keystore password was incorrect" or names the format problem; never the password
            throw new GeneralSecurityException("cannot open the PKCS#12 file " + file + " (wrong password or not"
                    + " PKCS#12)");
        }
        List<String> keyAliases = new ArrayList<>();
        for (String a : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(a)) {
                keyAliases.add(a);
            }
        }
        String chosen;
        if (alias != null) {
            if (!ks.isKeyEntry(alias)) {
                throw new UsageException(file + " has no key entry named '" + alias + "' (key entries: " + keyAliases
                        + ")");
            }
            chosen = alias;
        } else if (keyAliases.size() == 1) {
            chosen = keyAliases.get(0);
        } else {
            throw new UsageException(keyAliases.isEmpty() ? file + " holds no private key"
                    : file + " holds several keys " + keyAliases + ": choose one with --alias");
        }
        Key k = ks.getKey(chosen, password);
        Certificate cert = ks.getCertificate(chosen);
        if (k instanceof PrivateKey pk && cert instanceof X509Certificate x) {
            return new Credentials(pk, x);
        }
        throw new UsageException(file + " entry '" + chosen + "' is not a private key with an X.509 certificate");
    }

    private int verify(Options o) throws IOException, UsageException {
        byte[] manifest = Files.readAllBytes(Path.of(o.required("manifest")));
        String t = o.single("threshold");
        int threshold;
        try {
            threshold = t == null ? 1 : Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new UsageException("--threshold is a number of trusted signers, e.g. 2");
        }
        PackageKind kind = kind(o.required("kind"));
        if (threshold < 1 || threshold > 1 && kind != PackageKind.FIRMWARE) {
            throw new UsageException("--threshold is at least 1, and only firmware may need more than 1");
        }
        CmsManifestVerifier verifier = new CmsManifestVerifier();
        Verification v = verifier.verifyManifest(manifest,
                TrustedSigners.ofHex(Arrays.asList(o.required("trust").split(","))), threshold, kind,
                o.required("device-class"));
        if (v.accepted()) {
            try (var in = Files.newInputStream(o.payload())) {
                v = verifier.verifyPayload(v.manifest().orElseThrow(), in);
            } catch (IOException e) {
                v = Verification.refuse(Refusal.PAYLOAD_UNREADABLE, "payload file cannot be opened: "
                        + e.getClass().getSimpleName(), v.manifest().orElseThrow());
            }
        }
        if (v.accepted()) {
            out.println("accepted " + v.manifest().orElseThrow());
            v.manifest().orElseThrow().signatures().forEach(sig -> out.println("signed by " + sig));
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
        char[] password = passwordEnv == null ? null : password(passwordEnv);
        String name = keyFile.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            if (password == null) {
                throw new UsageException("a PKCS#12 file needs --password-env");
            }
            return pkcs12(keyFile, null, password);
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
        private static final List<String> SIGNER_OPTIONS = List.of("cert", "alias", "password-env");
        private final Map<String, List<String>> values = new HashMap<>();
        private final List<String> positional = new ArrayList<>();
        private final java.util.Set<String> flags = new java.util.HashSet<>();
        /** The signers in command-line order: each starts at --key or --pkcs12 and takes the options after it. */
        private final List<Map<String, String>> signers = new ArrayList<>();

        static Options parse(String[] args) throws UsageException {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.startsWith("--")) {
                    String name = a.substring(2);
                    if (FLAGS.contains(name)) {
                        o.flags.add(name);
                    } else if (i + 1 < args.length) {
                        String value = args[++i];
                        o.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                        o.signerOption(name, value);
                    } else {
                        throw new UsageException(a + " needs a value");
                    }
                } else {
                    o.positional.add(a);
                }
            }
            return o;
        }

        private void signerOption(String name, String value) throws UsageException {
            if (name.equals("key") || name.equals("pkcs12")) {
                signers.add(new HashMap<>(Map.of(name, value)));
            } else if (SIGNER_OPTIONS.contains(name)) {
                if (signers.isEmpty()) {
                    if (name.equals("password-env")) {
                        return; // spki FILE --password-env VAR: not a signer's
                    }
                    throw new UsageException("--" + name + " must follow the --key or --pkcs12 it belongs to");
                }
                if (signers.get(signers.size() - 1).putIfAbsent(name, value) != null) {
                    throw new UsageException("--" + name + " given twice for one signer");
                }
            }
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
