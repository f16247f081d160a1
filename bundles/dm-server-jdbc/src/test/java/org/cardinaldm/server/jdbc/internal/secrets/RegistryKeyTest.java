package org.cardinaldm.server.jdbc.internal.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.cardinaldm.server.api.spi.StoreException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key file: created at first use, owner-only whatever the umask (the build's 022 would give rw-r--r--). */
class RegistryKeyTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posix_only() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void the_first_use_creates_an_owner_only_key_file_in_owner_only_folders_and_later_uses_read_it() throws Exception {
        Path file = dir.resolve("etc/keys/cardinal-registry.key");
        RegistryKey created = RegistryKey.loadOrCreate(file);
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("etc/keys"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("etc"))).isEqualTo("rwx------");
        assertThat(Files.readAllLines(file)).hasSize(2).first().asString().startsWith("#");
        assertThat(RegistryKey.loadOrCreate(file).id()).isEqualTo(created.id());
        assertThat(RegistryKey.read(file).id()).isEqualTo(created.id());
        try (var files = Files.list(dir.resolve("etc/keys"))) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void an_existing_key_file_readable_by_others_is_made_owner_only() throws Exception {
        Path file = dir.resolve("k");
        RegistryKey.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        RegistryKey.read(file);
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void a_file_without_a_key_is_refused_without_quoting_it() throws Exception {
        Path file = dir.resolve("k");
        Files.writeString(file, "# comment\nhunter2-is-not-a-key\n", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> RegistryKey.loadOrCreate(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("holds no 32-byte base64 key").hasMessageNotContaining("hunter2");
        Files.writeString(file, "AAAA\n", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> RegistryKey.read(file)).hasMessageContaining("holds no 32-byte base64 key");
    }
}
