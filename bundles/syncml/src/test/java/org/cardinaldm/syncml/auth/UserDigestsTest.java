package org.cardinaldm.syncml.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.auth.UserDigests;
import org.cardinaldm.syncml.api.notification.Notification;
import org.junit.jupiter.api.Test;

/** The digests made from a stored user digest equal the ones made from the password. */
class UserDigestsTest {
    private static final byte[] NONCE = "Nonce".getBytes(StandardCharsets.US_ASCII);
    private static final String BRUCE = UserDigests.of("Bruce2", "OhBehave");

    @Test
    void md5_digest_from_the_user_digest_reproduces_the_specification_example() {
        assertThat(UserDigests.md5Digest(BRUCE, NONCE)).isEqualTo("Zz6EivR3yeaaENcRN6lpAQ==")
                .isEqualTo(Credentials.md5Digest("Bruce2", "OhBehave", NONCE));
        assertThat(UserDigests.md5Digest(UserDigests.of("Bruce2", "other"), NONCE))
                .isNotEqualTo("Zz6EivR3yeaaENcRN6lpAQ==");
    }

    @Test
    void mac_from_the_user_digest_reproduces_the_digest_vector() {
        byte[] body = "<SyncML xmlns=\"SYNCML:SYNCML1.2\"></SyncML>".getBytes(StandardCharsets.UTF_8);
        assertThat(UserDigests.mac(BRUCE, NONCE, body)).isEqualTo("aSBvnDHzBa7JhdjeEEUR2g==")
                .isEqualTo(HmacHeader.mac("Bruce2", "OhBehave", NONCE, body));
    }

    @Test
    void notification_digest_from_the_user_digest_equals_the_one_from_the_password() {
        byte[] trigger = {0x02, 0x38, 0x00, 0x00, 0x00, 0x01, 0x07, 'c', 'a', 'r', 'd', 'i', 'n', 'a'};
        assertThat(UserDigests.notificationDigest(UserDigests.of("cardinal", "spw"), NONCE, trigger))
                .hasSize(16).isEqualTo(Notification.digest("cardinal", "spw", NONCE, trigger));
    }

    @Test
    void a_missing_nonce_or_digest_is_refused() {
        assertThatThrownBy(() -> UserDigests.md5Digest(BRUCE, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> UserDigests.mac(null, NONCE, new byte[0])).isInstanceOf(NullPointerException.class);
    }
}
