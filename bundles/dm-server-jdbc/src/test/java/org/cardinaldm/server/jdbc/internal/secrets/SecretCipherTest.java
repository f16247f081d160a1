package org.cardinaldm.server.jdbc.internal.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.cardinaldm.server.api.spi.StoreException;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
    private static final String SECRET = "s3cret-Password";
    private static final String PLACE = "cdm_device/server_password/IMEI:1";
    private final RegistryKey key = RegistryKey.random();
    private final SecretCipher cipher = new SecretCipher(key);

    @Test
    void a_sealed_secret_opens_to_itself_and_does_not_contain_it() {
        String sealed = cipher.seal(SECRET, PLACE);
        assertThat(sealed).doesNotContain(SECRET);
        assertThat(new String(Base64.getDecoder().decode(sealed), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(SECRET);
        assertThat(cipher.open(sealed, key.id(), PLACE)).isEqualTo(SECRET);
    }

    @Test
    void the_same_secret_is_sealed_differently_each_time() {
        assertThat(cipher.seal(SECRET, PLACE)).isNotEqualTo(cipher.seal(SECRET, PLACE));
    }

    @Test
    void null_stays_null() {
        assertThat(cipher.seal(null, PLACE)).isNull();
        assertThat(cipher.open(null, key.id(), PLACE)).isNull();
    }

    @Test
    void a_changed_value_fails_its_check_without_showing_the_secret() {
        byte[] bytes = Base64.getDecoder().decode(cipher.seal(SECRET, PLACE));
        bytes[bytes.length - 20] ^= 1;
        String tampered = Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> cipher.open(tampered, key.id(), PLACE)).isInstanceOf(StoreException.class)
                .hasMessageContaining("fails its integrity check").hasMessageContaining(PLACE)
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> cipher.open("not base64!", key.id(), PLACE))
                .hasMessageContaining("fails its integrity check");
        assertThatThrownBy(() -> cipher.open("AAAA", key.id(), PLACE)).hasMessageContaining("fails its integrity check");
    }

    @Test
    void a_value_moved_to_another_row_or_column_fails_its_check() {
        String sealed = cipher.seal(SECRET, PLACE);
        assertThatThrownBy(() -> cipher.open(sealed, key.id(), "cdm_device/server_password/IMEI:2"))
                .hasMessageContaining("fails its integrity check");
        assertThatThrownBy(() -> cipher.open(sealed, key.id(), "cdm_device/client_digest/IMEI:1"))
                .hasMessageContaining("fails its integrity check");
    }

    @Test
    void a_value_of_a_key_that_is_not_configured_names_both_keys_and_no_secret() {
        RegistryKey other = RegistryKey.random();
        String sealed = new SecretCipher(other).seal(SECRET, PLACE);
        assertThatThrownBy(() -> cipher.open(sealed, other.id(), PLACE)).isInstanceOf(StoreException.class)
                .hasMessageContaining(other.id()).hasMessageContaining(key.id())
                .hasMessageContaining("secrets.key.file").hasMessageNotContaining(SECRET);
    }

    @Test
    void the_same_key_id_with_other_bytes_is_a_failed_check_not_a_secret() {
        // a key file replaced by another key, with the identifier of the old one forged into the rows
        String sealed = new SecretCipher(RegistryKey.random()).seal(SECRET, PLACE);
        assertThatThrownBy(() -> cipher.open(sealed, key.id(), PLACE)).hasMessageContaining("fails its integrity check");
    }

    @Test
    void the_previous_key_still_opens_what_it_sealed_and_the_current_one_seals() {
        String old = new SecretCipher(key).seal(SECRET, PLACE);
        RegistryKey next = RegistryKey.random();
        SecretCipher rotating = new SecretCipher(next, key);
        assertThat(rotating.currentKeyId()).isEqualTo(next.id());
        assertThat(rotating.previousKeyId()).contains(key.id());
        assertThat(rotating.knows(key.id())).isTrue();
        assertThat(rotating.open(old, key.id(), PLACE)).isEqualTo(SECRET);
        assertThat(rotating.open(rotating.seal(SECRET, PLACE), next.id(), PLACE)).isEqualTo(SECRET);
    }

    @Test
    void keys_print_their_identifier_only() {
        byte[] material = new byte[RegistryKey.KEY_BYTES];
        material[0] = 42;
        RegistryKey k = RegistryKey.of(material);
        assertThat(k.id()).matches("[0-9a-f]{16}");
        assertThat(k.toString()).isEqualTo("RegistryKey[" + k.id() + "]");
        assertThat(new SecretCipher(k).toString()).doesNotContain(Base64.getEncoder().encodeToString(material));
        assertThatThrownBy(() -> RegistryKey.of(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
