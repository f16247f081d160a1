package org.cardinaldm.server.jdbc.internal.secrets;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Owner-only permissions, set explicitly rather than left to the process umask: folders
 * {@code rwx------}, files {@code rw-------}. Folders that already exist keep their permissions (they may
 * be shared). On a file system without POSIX permissions nothing is changed.
 */
public final class OwnerOnly {
    /** A folder's permissions. */
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    /** A file's permissions. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /**
     * Creates the missing folders of {@code dir}, each owner-only.
     *
     * @param dir a folder
     * @throws IOException when one cannot be created or restricted
     */
    public static void folders(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                continue; // created meanwhile by someone else: theirs
            }
            restrict(p, FOLDER);
        }
    }

    /**
     * Creates {@code file} empty when it is absent, then makes it owner-only.
     *
     * @param file a file
     * @throws IOException when it cannot be created or restricted
     */
    public static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // restricted below as well
        }
        restrictFile(file);
    }

    /**
     * @param file an existing file
     * @throws IOException when it cannot be restricted
     */
    public static void restrictFile(Path file) throws IOException {
        restrict(file, FILE);
    }

    /**
     * Makes every file of {@code dir} whose name starts with {@code prefix} owner-only.
     *
     * @param dir a folder
     * @param prefix a name prefix
     * @throws IOException when one cannot be restricted
     */
    public static void restrictFiles(Path dir, String prefix) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> p.getFileName().toString()
                .startsWith(prefix) && Files.isRegularFile(p))) {
            for (Path f : files) {
                restrictFile(f);
            }
        }
    }

    /**
     * @param p a file
     * @return its permissions, or null without POSIX permissions
     * @throws IOException when they cannot be read
     */
    public static Set<PosixFilePermission> permissions(Path p) throws IOException {
        return Files.getFileAttributeView(p, PosixFileAttributeView.class) == null ? null
                : Files.getPosixFilePermissions(p);
    }

    private static void restrict(Path p, Set<PosixFilePermission> permissions) throws IOException {
        if (Files.getFileAttributeView(p, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(p, permissions);
        }
    }
}
