package org.cardinaldm.smartcard.api.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.*;

import org.junit.jupiter.api.Test;

/**
 * The profile's bytes are a wire format that cards in the field carry: they may never change. These values
 * are the ones docs/smartcard-profile.md (A7, A8) publishes.
 */
class CardinalDmProfileTest {
    @Test
    void the_commands_keep_the_bytes_the_profile_document_publishes() {
        assertThat(CLA).isEqualTo(0x80);
        assertThat(new int[] {INS_GET_CHANGE_COUNTER, INS_COMPUTE_DIGEST, INS_VERIFY_SERVER, INS_END_SESSION,
            INS_SERVER_CHALLENGE, INS_VERIFY_DEVICE}).containsExactly(0x30, 0x32, 0x34, 0x36, 0x38, 0x20);
        assertThat(new int[] {ALG_MD5, ALG_HMAC, P1_NOTIFICATION}).containsExactly(0x01, 0x02, 0x12);
        assertThat(new int[] {TAG_NONCE, TAG_BODY_MD5, TAG_DIGEST}).containsExactly(0x80, 0x81, 0x82);
    }

    @Test
    void the_key_usages_and_capability_bits_keep_their_values() {
        assertThat(new String[] {USAGE_CLIENT, USAGE_SERVER, USAGE_DEVICE})
                .containsExactly("dm-client", "dm-server", "dm-device");
        assertThat(new int[] {CAP_MD5, CAP_HMAC, CAP_VERIFY_SERVER, CAP_COUNTERS, CAP_SERVER_CHALLENGE})
                .containsExactly(0x01, 0x02, 0x04, 0x08, 0x10);
    }

    @Test
    void no_two_commands_share_an_instruction_and_the_notification_form_is_no_digest_algorithm() {
        assertThat(new int[] {INS_GET_CHANGE_COUNTER, INS_COMPUTE_DIGEST, INS_VERIFY_SERVER, INS_END_SESSION,
            INS_SERVER_CHALLENGE, INS_VERIFY_DEVICE}).doesNotHaveDuplicates();
        assertThat(P1_NOTIFICATION).isNotIn(ALG_MD5, ALG_HMAC);
    }

    @Test
    void the_fumo_commands_of_profile_1_2_keep_their_bytes_and_share_no_instruction() {
        assertThat(new int[] {INS_FUMO_ADMIT, INS_FUMO_AUTHORISE, INS_FUMO_COMMIT, INS_FUMO_RELEASE,
            INS_FUMO_CHALLENGE, INS_FUMO_POLICY}).containsExactly(0x3A, 0x3C, 0x3E, 0x40, 0x42, 0x44);
        assertThat(new int[] {INS_GET_CHANGE_COUNTER, INS_COMPUTE_DIGEST, INS_VERIFY_SERVER, INS_END_SESSION,
            INS_SERVER_CHALLENGE, INS_VERIFY_DEVICE, INS_FUMO_ADMIT, INS_FUMO_AUTHORISE, INS_FUMO_COMMIT,
            INS_FUMO_RELEASE, INS_FUMO_CHALLENGE, INS_FUMO_POLICY}).doesNotHaveDuplicates();
        assertThat(new int[] {SW_FUMO_MISMATCH, SW_FUMO_SIGNATURE, SW_FUMO_NOT_ACCEPTABLE})
                .containsExactly(0x6F03, 0x6F04, 0x6F05);
        assertThat(P1_MORE).isEqualTo(0x80);
        assertThat(CAP_FUMO).isEqualTo(0x20);
        assertThat(new String[] {USAGE_FUMO_AUTH, USAGE_FUMO_ISSUER}).containsExactly("fumo-auth", "fumo-issuer");
    }
}
