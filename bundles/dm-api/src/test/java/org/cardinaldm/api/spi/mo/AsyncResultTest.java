package org.cardinaldm.api.spi.mo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AsyncResultTest {
    private static final String TYPE = "urn:oma:at:scomo:1.0:OperationComplete";

    @Test
    void a_built_result_keeps_every_field_and_defaults_to_chr_with_empty_data() {
        AsyncResult r = AsyncResult.builder("dms.example.com", TYPE).source("./SCOMO/Download/app/Operations/Download")
                .target("./SCOMO/Inventory/Deployed/app").correlator("c-1").mark("critical").format("int").data("1200")
                .build();
        assertThat(r.serverId()).isEqualTo("dms.example.com");
        assertThat(r.type()).isEqualTo(TYPE);
        assertThat(r.format()).isEqualTo("int");
        assertThat(r.mark()).contains("critical");
        assertThat(r.source()).contains("./SCOMO/Download/app/Operations/Download");
        assertThat(r.target()).contains("./SCOMO/Inventory/Deployed/app");
        assertThat(r.correlator()).contains("c-1");
        assertThat(r.data()).isEqualTo("1200");

        AsyncResult bare = AsyncResult.builder("s", TYPE).build();
        assertThat(bare.format()).isEqualTo("chr");
        assertThat(bare.data()).isEmpty();
        assertThat(bare.mark()).isEmpty();
        assertThat(bare.source()).isEmpty();
        assertThat(bare.target()).isEmpty();
        assertThat(bare.correlator()).isEmpty();
    }

    @Test
    void an_empty_correlator_means_none() {
        assertThat(AsyncResult.builder("s", TYPE).correlator("").build().correlator()).isEmpty();
    }

    @Test
    void blank_oversized_or_missing_fields_are_refused() {
        assertThatThrownBy(() -> AsyncResult.builder(" ", TYPE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AsyncResult.builder("s", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AsyncResult.builder("s", TYPE).source("x".repeat(AsyncResult.MAX_FIELD_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AsyncResult.builder("s", TYPE).data("d".repeat(AsyncResult.MAX_DATA_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equal_results_are_equal_and_the_text_form_hides_the_data() {
        AsyncResult a = AsyncResult.builder("s", TYPE).correlator("c").data("secret-ish").build();
        AsyncResult b = AsyncResult.builder("s", TYPE).correlator("c").data("secret-ish").build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(AsyncResult.builder("s", TYPE).correlator("d").data("secret-ish").build());
        assertThat(a.toString()).contains("correlator c").doesNotContain("secret-ish");
    }
}
