package org.cardinaldm.server.packages.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.cardinaldm.pkg.trust.api.Verification;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.server.packages.api.PackageRejectedException;
import org.cardinaldm.server.packages.api.PublishedPackage;

/**
 * The catalogue kept in the package servlet's directory: each package is its payload {@code <name>} and its
 * signed manifest {@code <name>.manifest.p7} (docs/signed-packages.md §5). Plain Java; {@link CatalogComponent}
 * wires it.
 *
 * <p><b>Publishing</b> verifies the manifest first (nothing of the payload is read for a refused manifest), then
 * streams the payload into a hidden temporary file of the same directory ({@code .upload-<uuid>}, never served:
 * {@link PackageNames} refuses names that do not start with a letter or digit) while pkg-trust hashes it, bounded
 * by {@code max.package.bytes} and by the signed length. Only a payload that matches moves into place, the
 * manifest first and then the payload, each with an atomic rename, so a reader (the servlet, {@link #list()})
 * never sees a payload without its manifest. Replacing removes the old payload before the new manifest arrives
 * (a download already running keeps reading the old, open file). A refused upload leaves nothing; temporary
 * files of a crash are deleted when the catalogue starts.
 *
 * <p><b>Reading</b> lists the directory and verifies each package (manifest and payload), remembering the result
 * per (length, modification time) of both files, so an unchanged package is verified once. Only packages that
 * verify are listed; files copied in by hand count as published when they verify. Thread-safe: publications and
 * removals are serialised (the upload's streaming is not).
 */
final class DirectoryCatalog implements PackageCatalog {
    /** Prefix of the temporary upload files (hidden, never served, never listed). */
    static final String TEMP_PREFIX = ".upload-";
    /** Most packages listed; past it the directory is not read further (a WARN in the component). */
    static final int MAX_LISTED = 10_000;

    private final Path directory;
    private final String path;
    private final CatalogTrust trust;
    private final long maxPackageBytes;
    private final Object moves = new Object();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** What the last verification of a package found, for the file states it saw. */
    private record Cached(Stamp payload, Stamp manifest, Optional<PublishedPackage> published) {
    }

    /** A file's identity for the cache. */
    private record Stamp(long length, long modifiedNanos, Object key) {
        static Stamp of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                throw new NoSuchFileException(file.toString());
            }
            return new Stamp(a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.fileKey());
        }
    }

    /**
     * @param directory the served directory
     * @param path the servlet path devices download from
     * @param trust whom the operator trusts
     * @param maxPackageBytes the largest payload accepted
     */
    DirectoryCatalog(Path directory, String path, CatalogTrust trust, long maxPackageBytes) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.path = Objects.requireNonNull(path, "path");
        this.trust = Objects.requireNonNull(trust, "trust");
        if (maxPackageBytes < 1) {
            throw new IllegalArgumentException("max.package.bytes must be at least 1");
        }
        this.maxPackageBytes = maxPackageBytes;
    }

    /**
     * Deletes the temporary files an interrupted upload left.
     *
     * @return how many were deleted
     */
    int deleteLeftovers() {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, TEMP_PREFIX + "*")) {
            for (Path p : ds) {
                if (Files.deleteIfExists(p)) {
                    n++;
                }
            }
        } catch (IOException e) {
            // no directory yet: nothing left over
        }
        return n;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<PublishedPackage> list() {
        List<PublishedPackage> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!PackageNames.isSafe(name) || name.endsWith(PackageNames.MANIFEST_SUFFIX)) {
                    continue;
                }
                if (seen.size() >= MAX_LISTED) {
                    break;
                }
                seen.add(name);
                find(name).ifPresent(out::add);
            }
        } catch (IOException e) {
            return List.of();
        }
        cache.keySet().retainAll(seen);
        out.sort(Comparator.comparing(PublishedPackage::fileName));
        return List.copyOf(out);
    }

    @Override
    public Optional<PublishedPackage> find(String fileName) {
        Objects.requireNonNull(fileName, "fileName");
        if (!PackageNames.isSafe(fileName) || fileName.endsWith(PackageNames.MANIFEST_SUFFIX)) {
            return Optional.empty();
        }
        Path payload = directory.resolve(fileName);
        Path manifest = directory.resolve(fileName + PackageNames.MANIFEST_SUFFIX);
        Stamp ps;
        Stamp ms;
        try {
            ps = Stamp.of(payload);
            ms = Stamp.of(manifest);
        } catch (IOException e) {
            cache.remove(fileName);
            return Optional.empty();
        }
        Cached c = cache.get(fileName);
        if (c != null && c.payload.equals(ps) && c.manifest.equals(ms)) {
            return c.published;
        }
        Optional<PublishedPackage> found = verifyInPlace(fileName, payload, manifest, ps);
        cache.put(fileName, new Cached(ps, ms, found));
        return found;
    }

    private Optional<PublishedPackage> verifyInPlace(String fileName, Path payload, Path manifest, Stamp ps) {
        try {
            if (Files.size(manifest) > ManifestVerifier.MAX_MANIFEST_BYTES) {
                return Optional.empty();
            }
            Verification v = trust.verify(Files.readAllBytes(manifest));
            if (!v.accepted()) {
                return Optional.empty();
            }
            SignedManifest sm = v.manifest().orElseThrow();
            try (InputStream in = Files.newInputStream(payload, LinkOption.NOFOLLOW_LINKS)) {
                if (!trust.verifier().verifyPayload(sm, in).accepted()) {
                    return Optional.empty();
                }
            }
            return Optional.of(describe(fileName, sm, Files.getLastModifiedTime(payload).toInstant()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static PublishedPackage describe(String fileName, SignedManifest sm, java.time.Instant published) {
        PackageManifest m = sm.manifest();
        return new PublishedPackage(fileName, m.kind(), m.name(), m.version().text(), m.deviceClasses(),
                m.securityCounter(), m.payloadLength(), m.payloadSha256Hex(), sm.signerSha256(), published);
    }

    @Override
    public PublishedPackage publish(String fileName, InputStream payload, byte[] signedManifest, boolean replace)
            throws PackageRejectedException {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(signedManifest, "signedManifest");
        if (fileName == null || !PackageNames.isSafe(fileName) || fileName.endsWith(PackageNames.MANIFEST_SUFFIX)
                || fileName.length() + PackageNames.MANIFEST_SUFFIX.length() > PackageNames.MAX_LENGTH) {
            throw new PackageRejectedException("the name must be 1 to "
                    + (PackageNames.MAX_LENGTH - PackageNames.MANIFEST_SUFFIX.length())
                    + " characters of A-Z a-z 0-9 . _ + -, start with a letter or digit, have no '..' and not end in "
                    + PackageNames.MANIFEST_SUFFIX);
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new PackageRejectedException("the package directory " + directory + " does not exist");
        }
        Path target = directory.resolve(fileName);
        if (!replace && exists(target)) {
            throw new PackageRejectedException(fileName + " is already published (replace it explicitly)");
        }
        Verification v = trust.verify(signedManifest);
        if (!v.accepted()) {
            throw new PackageRejectedException("manifest refused: " + v.refusal().orElseThrow() + " (" + v.detail() + ")");
        }
        SignedManifest sm = v.manifest().orElseThrow();
        long length = sm.manifest().payloadLength();
        if (length > maxPackageBytes) {
            throw new PackageRejectedException("the manifest announces " + length + " bytes, at most " + maxPackageBytes
                    + " accepted (max.package.bytes)");
        }
        try {
            long free = Files.getFileStore(directory).getUsableSpace();
            if (free >= 0 && free < length) {
                throw new PackageRejectedException("no room: " + length + " bytes announced, " + free + " free");
            }
        } catch (IOException e) {
            // the store cannot say: the write below will tell
        }
        String tmp = TEMP_PREFIX + UUID.randomUUID();
        Path tmpPayload = directory.resolve(tmp);
        Path tmpManifest = directory.resolve(tmp + ".m");
        try {
            Verification p;
            Tee tee;
            try (OutputStream out = Files.newOutputStream(tmpPayload, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                tee = new Tee(payload, out, maxPackageBytes);
                p = trust.verifier().verifyPayload(sm, tee);
            }
            if (tee.exceeded) {
                throw new PackageRejectedException("payload longer than max.package.bytes (" + maxPackageBytes + ")");
            }
            if (tee.writeFailure != null) {
                throw new PackageRejectedException("the package could not be stored ("
                        + tee.writeFailure.getClass().getSimpleName() + ": no room?); nothing was kept");
            }
            if (!p.accepted()) {
                throw new PackageRejectedException("payload refused: " + p.refusal().orElseThrow() + " (" + p.detail()
                        + ")");
            }
            Files.write(tmpManifest, signedManifest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            synchronized (moves) {
                if (!replace && exists(target)) {
                    throw new PackageRejectedException(fileName + " was published meanwhile (replace it explicitly)");
                }
                Files.deleteIfExists(target);
                move(tmpManifest, directory.resolve(fileName + PackageNames.MANIFEST_SUFFIX));
                move(tmpPayload, target);
            }
            PublishedPackage published = describe(fileName, sm, Files.getLastModifiedTime(target).toInstant());
            cache.remove(fileName);
            return published;
        } catch (IOException e) {
            throw new PackageRejectedException("the package could not be stored (" + e.getClass().getSimpleName()
                    + "; no room?); nothing was kept");
        } finally {
            deleteQuietly(tmpPayload);
            deleteQuietly(tmpManifest);
        }
    }

    @Override
    public boolean remove(String fileName) {
        Objects.requireNonNull(fileName, "fileName");
        if (!PackageNames.isSafe(fileName) || fileName.endsWith(PackageNames.MANIFEST_SUFFIX)) {
            return false;
        }
        synchronized (moves) {
            try {
                // payload first: a reader never sees a payload without its manifest
                boolean had = Files.deleteIfExists(directory.resolve(fileName));
                boolean hadManifest = Files.deleteIfExists(directory.resolve(fileName + PackageNames.MANIFEST_SUFFIX));
                cache.remove(fileName);
                return had || hadManifest;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            throw new IOException("atomic rename refused in the package directory", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // deleted at the next start (deleteLeftovers)
        }
    }

    /**
     * Copies what is read to a file, and fails (an I/O error for the verifier reading it) past a bound or when the
     * copy cannot be written; the flags tell which.
     */
    private static final class Tee extends FilterInputStream {
        private final OutputStream copy;
        private final long bound;
        private long count;
        boolean exceeded;
        IOException writeFailure;

        Tee(InputStream in, OutputStream copy, long bound) {
            super(in);
            this.copy = copy;
            this.bound = bound;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > bound) {
                    exceeded = true;
                    throw new IOException("payload too large");
                }
                try {
                    copy.write(b, off, n);
                } catch (IOException e) {
                    writeFailure = e;
                    throw e;
                }
            }
            return n;
        }

        @Override
        public long skip(long n) {
            return 0; // every byte must be hashed and copied
        }

        @Override
        public void close() {
            // the caller closes its upload stream; the copy is closed by its own try
        }
    }
}
