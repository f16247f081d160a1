package org.cardinaldm.store.mvstore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree store's file and the folders it creates are the owner's only, whatever the process umask: the
 * build runs with a umask that leaves new files readable by others (022), so a permission that only
 * the umask set would show up here as rw-r--r--.
 */
class OwnerOnlyFilesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posix_only() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void a_new_store_file_and_the_folders_it_creates_are_owner_only() throws Exception {
        Path file = dir.resolve("data/cardinal/tree.mv");
        MvTreeStore store = new MvTreeStore(StoreSettings.of(file));
        try {
            assertThat(mode(file)).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("data/cardinal"))).isEqualTo("rwx------");
            assertThat(mode(dir.resolve("data"))).isEqualTo("rwx------");
        } finally {
            store.close();
        }
        assertThat(mode(file)).as("after the compaction of close()").isEqualTo("rw-------");
    }

    @Test
    void an_existing_store_file_readable_by_others_is_made_owner_only_at_open() throws Exception {
        Path file = dir.resolve("tree.mv");
        new MvTreeStore(StoreSettings.of(file)).close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        MvTreeStore store = new MvTreeStore(StoreSettings.of(file));
        try {
            assertThat(mode(file)).isEqualTo("rw-------");
        } finally {
            store.close();
        }
    }

    @Test
    void an_existing_folder_is_left_as_it_is() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        MvTreeStore store = new MvTreeStore(StoreSettings.of(dir.resolve("tree.mv")));
        store.close();
        assertThat(mode(dir)).isEqualTo("rwxr-xr-x");
    }
}
