package org.cardinaldm.syncml.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.notification.Initiator;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.junit.jupiter.api.Test;

class NotificationTest {
    /** The trigger of the OMA example (figure "Example of Trigger Message from Server", digest section 4.3). */
    private static final byte[] OMA_TRIGGER = HexFormat.of()
            .parseHex("02d0000000123412636f6d2e6d676d747372762e6d616e616765");

    @Test
    void the_oma_example_trigger_is_reproduced_bit_for_bit() {
        Notification n = new Notification(11, UiMode.BACKGROUND, Initiator.CLIENT, 0x1234, "com.mgmtsrv.manage",
                new byte[0]);
        assertThat(n.trigger()).isEqualTo(OMA_TRIGGER);
    }

    @Test
    void digest_matches_the_digest_vectors_for_both_resync_nonce_forms() {
        assertThat(HexFormat.of().formatHex(Notification.digest("com.mgmtsrv.manage", "secret", new byte[4], OMA_TRIGGER)))
                .isEqualTo("4e94c58c36a8c50aabcdbe0c296b2ba7");
        assertThat(HexFormat.of().formatHex(Notification.digest("com.mgmtsrv.manage", "secret",
                "AAAAAA==".getBytes(StandardCharsets.US_ASCII), OMA_TRIGGER)))
                .isEqualTo("62835e36b66d5f049462634567c3e9f4");
    }

    @Test
    void parse_decodes_every_field_of_the_oma_example() throws CodecException {
        byte[] pkg0 = concat(HexFormat.of().parseHex("4e94c58c36a8c50aabcdbe0c296b2ba7"), OMA_TRIGGER);
        Notification.Signed s = Notification.parse(pkg0);
        Notification n = s.notification();
        assertThat(n.version()).isEqualTo(11);
        assertThat(n.uiMode()).isEqualTo(UiMode.BACKGROUND);
        assertThat(n.initiator()).isEqualTo(Initiator.CLIENT);
        assertThat(n.sessionId()).isEqualTo(0x1234);
        assertThat(n.sessionIdHex()).isEqualTo("1234");
        assertThat(n.serverId()).isEqualTo("com.mgmtsrv.manage");
        assertThat(n.vendorData()).isEmpty();
        assertThat(s.verify("secret", new byte[4])).isTrue();
        assertThat(s.verify("secret", "AAAAAA==".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(s.verify("wrong", new byte[4])).isFalse();
        assertThat(s.verify("other.server", "secret", new byte[4])).isFalse();
    }

    @Test
    void encode_writes_version_11_and_round_trips_with_vendor_data() throws CodecException {
        Notification n = new Notification(Notification.VERSION, UiMode.USER_INTERACTION, Initiator.SERVER, 0x00A5,
                "srv", new byte[] {1, 2, 3});
        byte[] nonce = {7, 7};
        byte[] bytes = n.encode("pw", nonce);
        Notification.Signed s = Notification.parse(bytes);
        assertThat(s.notification()).isEqualTo(n);
        assertThat(s.notification().sessionIdHex()).isEqualTo("A5");
        assertThat(s.verify("pw", nonce)).isTrue();
        assertThat(bytes[16] & 0xFF).isEqualTo(0x02);
        assertThat(bytes[17] & 0xFF).isEqualTo(0xC0 | 0x30 | 0x08);
    }

    @Test
    void versions_10_to_12_are_read_and_others_rejected() throws CodecException {
        for (int v : new int[] {10, 12}) {
            byte[] b = new Notification(v, UiMode.NOT_SPECIFIED, Initiator.SERVER, 1, "s", new byte[0]).encode("p", new byte[0]);
            assertThat(Notification.parse(b).notification().version()).isEqualTo(v);
        }
        for (int v : new int[] {0, 9, 13, 1023}) {
            byte[] b = new Notification(v, UiMode.NOT_SPECIFIED, Initiator.SERVER, 1, "s", new byte[0]).encode("p", new byte[0]);
            assertThatThrownBy(() -> Notification.parse(b)).isInstanceOfSatisfying(CodecException.class,
                    e -> assertThat(e.error()).isEqualTo(CodecError.UNSUPPORTED_VERSION));
        }
    }

    @Test
    void truncated_or_inconsistent_notifications_fail_with_a_code() {
        byte[] good = Notification.of("com.mgmtsrv.manage", 0x1234, UiMode.BACKGROUND).encode("p", new byte[4]);
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThatThrownBy(() -> Notification.parse(cut)).isInstanceOf(CodecException.class);
        }
        byte[] emptyId = Arrays.copyOf(good, 24);
        emptyId[23] = 0;
        assertThatThrownBy(() -> Notification.parse(emptyId)).isInstanceOfSatisfying(CodecException.class,
                e -> assertThat(e.error()).isEqualTo(CodecError.INCOMPLETE));
        assertThatThrownBy(() -> Notification.parse(new byte[Notification.MAX_BYTES + 1]))
                .isInstanceOfSatisfying(CodecException.class,
                        e -> assertThat(e.error()).isEqualTo(CodecError.MESSAGE_TOO_LARGE));
    }

    @Test
    void a_tampered_trigger_no_longer_verifies() throws CodecException {
        byte[] bytes = Notification.of("srv", 0x42, UiMode.INFORMATIVE).encode("p", new byte[] {1});
        bytes[22] ^= 1;
        assertThat(Notification.parse(bytes).verify("p", new byte[] {1})).isFalse();
    }

    @Test
    void invalid_fields_are_refused_when_building() {
        assertThatThrownBy(() -> Notification.of("", 1, UiMode.BACKGROUND)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Notification.of("x".repeat(256), 1, UiMode.BACKGROUND))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Notification.of("s", 0x10000, UiMode.BACKGROUND))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
