package org.cardinaldm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void password_parameters_of_a_jdbc_url_are_masked() {
        assertThat(Secrets.mask("jdbc:postgresql://127.0.0.1:55432/t?user=cardinal&password=s3cr&ssl=false"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:55432/t?user=cardinal&password=***&ssl=false");
        assertThat(Secrets.mask("jdbc:h2:mem:x;PASSWORD=abc;LOCK_TIMEOUT=1")).isEqualTo("jdbc:h2:mem:x;PASSWORD=***;LOCK_TIMEOUT=1");
    }

    @Test
    void the_password_of_url_user_info_is_masked() {
        assertThat(Secrets.mask("postgresql://cardinal:s3cr@db:5432/t")).isEqualTo("postgresql://cardinal:***@db:5432/t");
    }

    @Test
    void text_without_a_password_is_unchanged() {
        assertThat(Secrets.mask("jdbc:postgresql://127.0.0.1:5432/t?user=cardinal")).isEqualTo(
                "jdbc:postgresql://127.0.0.1:5432/t?user=cardinal");
        assertThat(Secrets.mask(null)).isNull();
    }
}
