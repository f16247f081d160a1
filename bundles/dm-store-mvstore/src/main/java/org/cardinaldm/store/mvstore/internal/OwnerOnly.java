package org.cardinaldm.store.mvstore.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Owner-only permissions for the store's file and the folders it creates: folders {@code rwx------}, set
 * atomically as the JDK creates them, and the file {@code rw-------}, set explicitly each time the store
 * opens rather than left to the process umask. Folders that already exist keep their permissions (they
 * may be shared). On a file system without POSIX permissions nothing is changed.
 */
final class OwnerOnly {
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /**
     * Creates the missing folders of {@code dir}, each owner-only from the moment it exists: the JDK sets
     * {@link #FOLDER} as it creates each one (the umask may only take bits away, never give any to others).
     * Folders that already exist, including ones created meanwhile by someone else, are left as they are.
     *
     * @param dir a folder
     * @throws IOException when one cannot be created
     */
    static void folders(Path dir) throws IOException {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FOLDER));
        } else {
            Files.createDirectories(dir);
        }
    }

    /**
     * Creates {@code file} empty if it is absent, and makes it owner-only.
     *
     * @param file a file
     * @throws IOException when it cannot be created or restricted
     */
    static void file(Path file) throws IOException {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // an existing store: restricted below as well
        }
        restrict(file, FILE);
    }

    private static void restrict(Path p, Set<PosixFilePermission> permissions) throws IOException {
        if (Files.getFileAttributeView(p, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(p, permissions);
        }
    }
}
