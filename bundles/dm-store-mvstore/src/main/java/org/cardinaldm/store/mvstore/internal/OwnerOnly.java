package org.cardinaldm.store.mvstore.internal;

import java.io.IOException;
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
 * Owner-only permissions for the store's file and the folders it creates, set explicitly rather than
 * left to the process umask: folders {@code rwx------}, the file {@code rw-------}. Folders that
 * already exist keep their permissions (they may be shared); the file is made owner-only each time.
 * On a file system without POSIX permissions nothing is changed.
 */
final class OwnerOnly {
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /**
     * Creates the missing folders of {@code dir}, each owner-only.
     *
     * @param dir a folder
     * @throws IOException when one cannot be created or restricted
     */
    static void folders(Path dir) throws IOException {
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
