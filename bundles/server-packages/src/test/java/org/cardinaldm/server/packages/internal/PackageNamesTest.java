package org.cardinaldm.server.packages.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackageNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"example-mo-1.0.0-SNAPSHOT.jar", "example-mo-1.0.0-SNAPSHOT.jar.manifest.p7", "a",
            "gateway_1.1.0+build7.kar", "X9"})
    void plain_file_names_are_served(String name) {
        assertThat(PackageNames.isSafe(name)).isTrue();
        assertThat(PackageNames.fromRawPath("/" + name)).contains(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", ".hidden", ".manifest.p7", "a/../b", "..%2fetc%2fpasswd", "a%2fb", "a%2Fb",
            "%2e%2e", "a/b", "a\\b", "a..b", "-rf", "_x", "+x", "a b", "a:b", "c:", "a;jsessionid=1", "a\u0000b",
            "a\nb", "caf\u00e9.jar", "a?b", "a*b", "~root"})
    void anything_but_a_plain_file_name_is_refused(String name) {
        assertThat(PackageNames.isSafe(name)).isFalse();
        assertThat(PackageNames.fromRawPath("/" + name)).isEmpty();
    }

    @Test
    void names_up_to_the_limit_are_served_and_longer_ones_refused() {
        assertThat(PackageNames.isSafe("a".repeat(PackageNames.MAX_LENGTH))).isTrue();
        assertThat(PackageNames.isSafe("a".repeat(PackageNames.MAX_LENGTH + 1))).isFalse();
        assertThat(PackageNames.fromRawPath("/" + "a".repeat(100_000))).isEmpty();
    }

    @Test
    void a_path_without_a_name_or_with_a_directory_is_refused() {
        assertThat(PackageNames.fromRawPath(null)).isEmpty();
        assertThat(PackageNames.fromRawPath("")).isEmpty();
        assertThat(PackageNames.fromRawPath("/")).isEmpty();
        assertThat(PackageNames.fromRawPath("x.jar")).isEmpty();
        assertThat(PackageNames.fromRawPath("/sub/x.jar")).isEmpty();
        assertThat(PackageNames.fromRawPath("//x.jar")).isEmpty();
        assertThat(PackageNames.fromRawPath("/x.jar/")).isEmpty();
    }

    @Test
    void media_types_follow_the_suffix() {
        assertThat(PackageNames.contentType("a.jar")).isEqualTo("application/java-archive");
        assertThat(PackageNames.contentType("a.JAR")).isEqualTo("application/java-archive");
        assertThat(PackageNames.contentType("a.jar.manifest.p7")).isEqualTo("application/pkcs7-mime");
        assertThat(PackageNames.contentType("a.kar")).isEqualTo("application/octet-stream");
        assertThat(PackageNames.contentType("firmware.bin")).isEqualTo("application/octet-stream");
    }
}
