package org.cardinaldm.client.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.mo.dmacc.api.AuthType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SPI's small shared pieces: the AAuthType mapping, the state file, the credential-source property type. */
class SpiHelpersTest {
    @TempDir
    Path dir;

    @Test
    void a_dmacc_auth_type_maps_to_its_syncml_scheme_and_transport_level_types_to_none() {
        assertThat(AuthScheme.of(AuthType.BASIC)).isEqualTo(AuthScheme.BASIC);
        assertThat(AuthScheme.of(AuthType.DIGEST)).isEqualTo(AuthScheme.MD5);
        assertThat(AuthScheme.of(AuthType.HMAC)).isEqualTo(AuthScheme.HMAC);
        for (AuthType t : AuthType.values()) {
            if (t != AuthType.BASIC && t != AuthType.DIGEST && t != AuthType.HMAC) {
                assertThat(AuthScheme.of(t)).as(t.name()).isEqualTo(AuthScheme.NONE);
            }
        }
    }

    private static List<String> load(StateFile f, long max, List<String> into) {
        f.load(max, "head 1", lines -> into.addAll(List.of(lines).subList(1, lines.length))).ifPresent(e -> {
            throw new AssertionError(e);
        });
        return into;
    }

    @Test
    void a_state_file_is_written_owner_only_read_back_and_absent_reads_empty() throws IOException {
        StateFile f = StateFile.of(dir.resolve("sub/state.txt"));
        assertThat(load(f, 100, new ArrayList<>())).isEmpty();

        f.write("head 1\none\n");
        f.write("head 1\ntwo\nthree\n");

        assertThat(load(f, 100, new ArrayList<>())).containsExactly("two", "three");
        assertThat(dir.resolve("sub/state.txt.tmp")).doesNotExist();
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.path()))).isEqualTo("rw-------");
        }
    }

    @Test
    void a_state_file_over_its_size_without_its_header_or_refused_by_its_reader_is_set_aside() throws IOException {
        StateFile f = StateFile.of(dir.resolve("state.txt"));
        assertThat(f.aside()).isEqualTo(dir.resolve("state.txt.corrupt"));

        f.write("head 1\n0123456789");
        assertThat(f.load(9, "head 1", lines -> { }).orElseThrow()).isInstanceOf(IOException.class)
                .hasMessageContaining("9 bytes");
        assertThat(f.path()).doesNotExist();
        assertThat(f.aside()).hasContent("head 1\n0123456789");

        f.write("other 1\n");
        assertThat(f.load(100, "head 1", lines -> { }).orElseThrow()).hasMessageContaining("head 1");
        assertThat(f.aside()).hasContent("other 1\n");

        f.write("head 1\nbad\n");
        assertThat(f.load(100, "head 1", lines -> {
            throw new IOException("unreadable line 1");
        })).get().extracting(Exception::getMessage).isEqualTo("unreadable line 1");
        assertThat(f.path()).doesNotExist();
        assertThat(load(f, 100, new ArrayList<>())).as("nothing left to read").isEmpty();
    }

    @CredentialSource("hsm")
    private static final class Annotated {
    }

    @Test
    void the_credential_source_is_kept_at_run_time_and_names_the_documented_property() {
        assertThat(Annotated.class.getAnnotation(CredentialSource.class).value()).isEqualTo("hsm");
        assertThat(CredentialSource.PREFIX_ + "credential.source").isEqualTo(CredentialProvider.SOURCE_PROPERTY);
    }
}
