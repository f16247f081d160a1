package org.cardinaldm.smartcard.dm.internal.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;

import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Exception;
import org.junit.jupiter.api.Test;

/** EF.DMSTATE as GET CHANGE COUNTER returns it. */
class DmStateTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String HEADER = "01 01 00 0F 03 AABBCC" + "00".repeat(13) + " 00000005";

    private static byte[] h(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    @Test
    void full_state_gives_card_counters_and_sfis() throws Exception {
        DmState s = DmState.parse(h(HEADER + " 02  2F00 1E 00000001  6431 02 00000004"));
        assertThat(s.cardIdHex()).isEqualTo("AABBCC");
        assertThat(s.profileVersion()).isEqualTo("1.0");
        assertThat(s.counter()).isEqualTo(5);
        assertThat(s.capabilities()).containsExactly("md5", "hmac", "verify-server", "change-counter");
        assertThat(s.sfi(0x6431)).contains(2);
        assertThat(s.sfi(0x1234)).isEmpty();
        assertThat(s.isComplete()).isTrue();
    }

    @Test
    void header_only_form_has_no_file_table() throws Exception {
        DmState s = DmState.parse(h(HEADER + " 02"));
        assertThat(s.isComplete()).isFalse();
        assertThat(s.files()).isEmpty();
    }

    @Test
    void changes_and_predicted_writes() throws Exception {
        DmState before = DmState.parse(h(HEADER + " 02  2F00 1E 00000001  6431 02 00000004"));
        DmState after = DmState.parse(h(HEADER.replace("00000005", "00000007") + " 02  2F00 1E 00000001  6431 02 00000006"));
        assertThat(after.changedSince(before)).containsExactly(0x6431);
        assertThat(before.afterWrites(List.of(0x6431, 0x6431, 0x9999)).changedSince(after)).isEmpty();
        assertThat(before.afterWrites(List.of(0x6431, 0x6431)).counter()).isEqualTo(7);
        assertThat(after.sameAs(before)).isFalse();
        DmState fewer = DmState.parse(h(HEADER + " 01  2F00 1E 00000001"));
        assertThat(fewer.changedSince(before)).containsExactly(0x6431);
    }

    @Test
    void malformed_states_are_refused() {
        assertThatThrownBy(() -> DmState.parse(h("01 01 00"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> DmState.parse(h(HEADER.replaceFirst("01", "02") + " 00"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> DmState.parse(h(HEADER.replace("03 AABBCC", "11 AABBCC") + " 00")))
                .isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> DmState.parse(h(HEADER + " 02 2F00 1E 00000001"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> DmState.parse(h(HEADER + " 01 2F00 1F 00000001"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> DmState.parse(h(HEADER + " 02 2F00 1E 00000001 2F00 1E 00000001")))
                .isInstanceOf(Pkcs15Exception.class);
    }
}
