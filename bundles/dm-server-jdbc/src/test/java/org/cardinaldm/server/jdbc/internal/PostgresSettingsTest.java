package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresSettingsTest {

    @Test
    void a_postgresql_url_gets_multi_row_batched_inserts() {
        assertThat(PostgresSettings.tuned("jdbc:postgresql://db:5432/cardinal"))
                .isEqualTo("jdbc:postgresql://db:5432/cardinal?reWriteBatchedInserts=true");
        assertThat(PostgresSettings.tuned("jdbc:postgresql://db/cardinal?user=c&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/cardinal?user=c&ssl=true&reWriteBatchedInserts=true");
    }

    @Test
    void an_explicit_setting_in_the_url_wins() {
        assertThat(PostgresSettings.tuned("jdbc:postgresql://db/cardinal?reWriteBatchedInserts=false"))
                .isEqualTo("jdbc:postgresql://db/cardinal?reWriteBatchedInserts=false");
        assertThat(PostgresSettings.tuned("jdbc:postgresql://db/cardinal?rewritebatchedinserts=true"))
                .isEqualTo("jdbc:postgresql://db/cardinal?rewritebatchedinserts=true");
    }

    @Test
    void other_urls_are_left_alone() {
        assertThat(PostgresSettings.tuned("jdbc:h2:file:/var/cardinal/registry"))
                .isEqualTo("jdbc:h2:file:/var/cardinal/registry");
    }
}
