package org.cardinaldm.benchmarks.robustness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Group 8: secrets at rest in the install directory (--home). */
final class AtRestProbes {
    private static final Set<PosixFilePermission> GROUP_OTHER = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    /** Key material by name: key stores, PEM keys, Karaf's ssh host key and public-key logins. */
    static final Pattern KEY_FILE = Pattern.compile("(?i).*(\\.(p12|pfx|jks|jceks|keystore|key|pem)|keys\\.properties|host\\.key)$");

    private final Suite s;

    AtRestProbes(Suite s) {
        this.s = s;
    }

    void register(List<Robustness.Probe> probes) {
        probes.add(new Robustness.Probe("atrest.files-owner-only",
                "every non-empty file under data/cardinal (tree store, registry, card image), key files under etc/ and data/, and etc/users.properties: no group or other permission bits",
                this::ownerOnly));
        probes.add(new Robustness.Probe("atrest.users-properties-hashed",
                "etc/users.properties: every password hashed (value starts with the JAAS encryption prefix, " + Expect.HASH_PREFIX
                        + " by default), none equal to the REST password given",
                this::usersHashed));
        probes.add(new Robustness.Probe("atrest.no-clear-demo-password",
                "the demo passwords ('" + Expect.DEMO_SERVER_PASSWORD + "', '" + Expect.DEMO_CLIENT_PASSWORD
                        + "') occur 0 times in the files under data/cardinal (registry, tree store; not the card image data/cardinal/smartcard)",
                this::noClearPassword));
    }

    private List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> st = Files.walk(dir)) {
            return st.filter(Files::isRegularFile).toList();
        }
    }

    private Robustness.Result ownerOnly() throws Exception {
        s.requireHome();
        Path home = s.t.home;
        Path cardinal = home.resolve("data/cardinal");
        if (!Files.isDirectory(cardinal)) {
            return new Robustness.Result(false, "no " + cardinal);
        }
        List<Path> checked = new ArrayList<>(files(cardinal));
        for (Path p : files(home.resolve("etc"))) {
            if (KEY_FILE.matcher(p.getFileName().toString()).matches()) {
                checked.add(p);
            }
        }
        for (Path p : files(home.resolve("data"))) {
            if (!p.startsWith(cardinal) && KEY_FILE.matcher(p.getFileName().toString()).matches()) {
                checked.add(p);
            }
        }
        Path users = home.resolve("etc/users.properties");
        if (Files.exists(users)) {
            checked.add(users);
        }
        List<String> open = new ArrayList<>();
        int empty = 0;
        for (Path p : checked) {
            if (Files.size(p) == 0) {
                empty++; // an empty file (a lock) holds nothing to read
                continue;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            perms.retainAll(GROUP_OTHER);
            if (!perms.isEmpty()) {
                open.add(home.relativize(p) + " " + java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        }
        String dirs = "data/cardinal " + java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(cardinal));
        return new Robustness.Result(open.isEmpty(), (checked.size() - empty) + " files checked (" + empty + " empty ones not judged; "
                + dirs + ")" + (open.isEmpty() ? ", all owner-only"
                : ", " + open.size() + " open to group/other: " + String.join(", ", open.subList(0, Math.min(6, open.size())))
                        + (open.size() > 6 ? ", ..." : "")));
    }

    private Robustness.Result usersHashed() throws Exception {
        s.requireHome();
        Path users = s.t.home.resolve("etc/users.properties");
        if (!Files.exists(users)) {
            return new Robustness.Result(true, "no etc/users.properties (no password logins)");
        }
        String prefix = Expect.HASH_PREFIX;
        Path jaas = s.t.home.resolve("etc/org.apache.karaf.jaas.cfg");
        if (Files.exists(jaas)) {
            Properties jp = new Properties();
            try (var in = Files.newInputStream(jaas)) {
                jp.load(in);
            }
            prefix = jp.getProperty("encryption.prefix", prefix).trim();
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(users)) {
            p.load(in);
        }
        List<String> clear = new ArrayList<>();
        int hashed = 0;
        for (String user : p.stringPropertyNames()) {
            if (user.startsWith("_g_:")) {
                continue; // a group: roles, no password
            }
            String value = p.getProperty(user);
            String pw = value.contains(",") ? value.substring(0, value.indexOf(',')).trim() : value.trim();
            boolean isHashed = !prefix.isEmpty() && pw.startsWith(prefix) && pw.length() > prefix.length() + 8;
            if (isHashed && (s.t.restPassword == null || !pw.equals(s.t.restPassword))) {
                hashed++;
            } else {
                clear.add(user + (s.t.restPassword != null && pw.equals(s.t.restPassword) ? " (the REST password in clear)"
                        : " (" + pw.length() + " chars, no " + prefix + ")"));
            }
        }
        return new Robustness.Result(clear.isEmpty(), hashed + " hashed" + (clear.isEmpty() ? "" : ", PLAIN TEXT: "
                + String.join(", ", clear)));
    }

    /** @return how often needle occurs in the file */
    static int occurrences(byte[] hay, byte[] needle) {
        int n = 0;
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            n++;
        }
        return n;
    }

    private Robustness.Result noClearPassword() throws Exception {
        s.requireHome();
        Path cardinal = s.t.home.resolve("data/cardinal");
        if (!Files.isDirectory(cardinal)) {
            return new Robustness.Result(false, "no " + cardinal);
        }
        byte[][] needles = {Expect.DEMO_SERVER_PASSWORD.getBytes(StandardCharsets.UTF_8),
            Expect.DEMO_CLIENT_PASSWORD.getBytes(StandardCharsets.UTF_8),
            Expect.DEMO_SERVER_PASSWORD.getBytes(StandardCharsets.UTF_16BE),
            Expect.DEMO_CLIENT_PASSWORD.getBytes(StandardCharsets.UTF_16BE)};
        List<String> hits = new ArrayList<>();
        int files = 0;
        for (Path p : files(cardinal)) {
            if (p.startsWith(cardinal.resolve("smartcard")) || Files.size(p) > 256L << 20) {
                continue; // the software card's image holds the card's secrets, as a card does
            }
            files++;
            byte[] b = Files.readAllBytes(p);
            int c = 0;
            for (byte[] n : needles) {
                c += occurrences(b, n);
            }
            if (c > 0) {
                hits.add(cardinal.relativize(p) + " x" + c);
            }
        }
        return new Robustness.Result(hits.isEmpty(), files + " files searched" + (hits.isEmpty() ? ", 0 occurrences"
                : ", found in " + String.join(", ", hits)));
    }
}
