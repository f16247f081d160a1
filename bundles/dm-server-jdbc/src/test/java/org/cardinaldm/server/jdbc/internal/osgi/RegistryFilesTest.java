package org.cardinaldm.server.jdbc.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.StoreException;
import org.h2.util.OsgiDataSourceFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/**
 * The component on an embedded H2 file, as the distribution runs it: the database's folder and files and the
 * key file are owner-only whatever the umask (the build's 022 would leave them readable by others), and the
 * database file on disk holds no device secret in plain text.
 */
class RegistryFilesTest {
    private static final String SERVER_PASSWORD = "basic-Server-Password-7f3a";
    private static final String CLIENT_DIGEST = "Q2xpZW50RGlnZXN0VmFsdWU=";

    @TempDir
    Path dir;

    @BeforeEach
    void posix_only() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
    }

    private JdbcStoreComponent component(Path db, Path key, String previous) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("url", "jdbc:h2:file:" + db);
        props.put("secrets.key.file", key.toString());
        props.put("secrets.key.previous.file", previous);
        JdbcStoreComponent.Config config = Converters.standardConverter().convert(props)
                .to(JdbcStoreComponent.Config.class);
        return new JdbcStoreComponent(new OsgiDataSourceFactory(org.h2.Driver.load()), config);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static DeviceRecord device() {
        return new DeviceRecord("IMEI:42", null, Map.of(), null, null, AuthScheme.MD5, "dev", CLIENT_DIGEST, null,
                AuthScheme.BASIC, "cardinal", "U2VydmVyRGlnZXN0VmFsdWU=", SERVER_PASSWORD, null, true, 0, 0, null,
                null);
    }

    @Test
    void the_database_folder_and_files_and_the_key_file_are_owner_only() throws Exception {
        Path db = dir.resolve("data/cardinal/server-registry");
        Path key = dir.resolve("etc/cardinal-registry.key");
        JdbcStoreComponent store = component(db, key, "");
        try {
            store.insertDevice(device());
            assertThat(mode(dir.resolve("data/cardinal"))).isEqualTo("rwx------");
            assertThat(mode(dir.resolve("data"))).isEqualTo("rwx------");
            assertThat(mode(key)).isEqualTo("rw-------");
            try (Stream<Path> files = Files.list(dir.resolve("data/cardinal"))) {
                List<Path> all = files.toList();
                assertThat(all).contains(dir.resolve("data/cardinal/server-registry.mv.db"));
                for (Path f : all) {
                    assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
                }
            }
        } finally {
            store.deactivate();
        }
        byte[] file = Files.readAllBytes(dir.resolve("data/cardinal/server-registry.mv.db"));
        String text = new String(file, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("IMEI:42").doesNotContain(SERVER_PASSWORD).doesNotContain(CLIENT_DIGEST);
    }

    @Test
    void the_key_file_is_kept_and_a_renamed_old_key_is_the_previous_one_for_a_rotation() throws Exception {
        Path db = dir.resolve("registry");
        Path key = dir.resolve("registry.key");
        JdbcStoreComponent first = component(db, key, "");
        first.insertDevice(device());
        first.deactivate();
        String keyText = Files.readString(key);

        JdbcStoreComponent again = component(db, key, "");
        assertThat(again.device("IMEI:42")).contains(device());
        again.deactivate();
        assertThat(Files.readString(key)).isEqualTo(keyText);

        // the operator's rotation: the old key renamed to <key>.previous, a new key created at start
        Files.move(key, dir.resolve("registry.key.previous"));
        JdbcStoreComponent rotated = component(db, key, "");
        assertThat(rotated.device("IMEI:42")).contains(device());
        rotated.deactivate();
        assertThat(Files.readString(key)).isNotEqualTo(keyText);
        Files.delete(dir.resolve("registry.key.previous"));
        JdbcStoreComponent after = component(db, key, "");
        assertThat(after.device("IMEI:42")).contains(device());
        after.deactivate();
    }

    @Test
    void a_lost_key_file_fails_the_start_and_the_message_has_no_secret() throws Exception {
        Path db = dir.resolve("registry");
        Path key = dir.resolve("registry.key");
        JdbcStoreComponent first = component(db, key, "");
        first.insertDevice(device());
        first.deactivate();
        Files.delete(key);
        assertThatThrownBy(() -> component(db, key, "")).isInstanceOf(StoreException.class)
                .hasMessageContaining("is encrypted with registry key").hasMessageNotContaining(SERVER_PASSWORD)
                .hasMessageNotContaining(CLIENT_DIGEST);
    }

    @Test
    void key_paths_expand_system_properties_and_default_under_karaf_etc() {
        assertThat(SecretFiles.resolve("${java.io.tmpdir}/k")).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"),
                "k").toAbsolutePath().normalize());
        assertThatThrownBy(() -> SecretFiles.resolve("${no.such.property.x}/k"))
                .hasMessageContaining("no.such.property.x");
        assertThat(SecretFiles.h2Base("jdbc:h2:file:/var/x/reg;LOCK_TIMEOUT=1")).contains(Path.of("/var/x/reg"));
        assertThat(SecretFiles.h2Base("jdbc:h2:mem:x")).isEmpty();
        assertThat(SecretFiles.h2Base("jdbc:postgresql://db/x")).isEmpty();
        assertThat(SecretFiles.DEFAULT_KEY_FILE).isEqualTo("${karaf.etc}/cardinal-registry.key");
    }
}
