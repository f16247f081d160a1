package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cardinaldm.client.api.NotificationOutcome;
import org.cardinaldm.client.internal.auth.DmAccCredentials;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.notification.Initiator;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 4: what a package 0 from a stranger may cost. One credential check (one card operation) per
 * datagram at most, never the same nonce twice for the same notification, replays free, and all of it kept
 * across a restart of the client.
 */
class NotificationCostTest {
    private static final byte[] NONCE = "srv-nonce-16byte".getBytes(StandardCharsets.US_ASCII);
    private static final String ATTACKER = "udp:198.51.100.9";
    private static final String SERVER_HOST = "udp:192.0.2.1";

    @TempDir
    Path dir;

    private final List<CountingCredentials.Check> checks = CountingCredentials.newLog();

    private DeviceRig device() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"BASIC", "device", "devpass"},
                new String[] {"BASIC", "server", "srvpass", Base64.getEncoder().encodeToString(NONCE)});
        d.client().bindCredentialProvider(
                account -> Optional.of(new CountingCredentials(DmAccCredentials.of(account), checks)), Map.of());
        return d;
    }

    private static byte[] pkg0(int session, String password, byte[] nonce) {
        return new Notification(Notification.VERSION, UiMode.BACKGROUND, Initiator.SERVER, session, DeviceRig.SERVER,
                new byte[0]).encode(password, nonce);
    }

    @Test
    void a_forged_notification_costs_one_credential_check() throws Exception {
        DeviceRig d = device();

        assertThat(d.client().acceptNotification(pkg0(0x10, "guess", NONCE), ATTACKER))
                .isEqualTo(NotificationOutcome.BAD_DIGEST);

        assertThat(checks).hasSize(1);
        assertThat(checks.get(0).nonce()).containsExactly(NONCE);
        assertThat(checks.get(0).source()).isEqualTo(ATTACKER);
    }

    @Test
    void the_same_forged_datagram_again_and_again_is_checked_with_each_nonce_once_then_never() throws Exception {
        DeviceRig d = device();
        byte[] forged = pkg0(0x11, "guess", NONCE);

        for (int i = 0; i < 10; i++) {
            assertThat(d.client().acceptNotification(forged, ATTACKER)).isEqualTo(NotificationOutcome.BAD_DIGEST);
        }

        assertThat(checks).extracting(c -> new String(c.nonce(), StandardCharsets.ISO_8859_1)).containsExactly(
                new String(NONCE, StandardCharsets.ISO_8859_1), "\0\0\0\0", "AAAAAA==", "0x00000000");
    }

    @Test
    void a_genuine_notification_after_a_flood_of_forgeries_from_another_source_is_accepted() throws Exception {
        DeviceRig d = device();
        for (int i = 0; i < 200; i++) {
            d.client().acceptNotification(pkg0(0x100 + i, "guess-" + i, NONCE), ATTACKER);
        }
        assertThat(checks).hasSize(200);

        assertThat(d.client().acceptNotification(pkg0(0x20, "srvpass", NONCE), SERVER_HOST))
                .isEqualTo(NotificationOutcome.ACCEPTED);
    }

    @Test
    void a_resync_notification_is_accepted_when_the_server_sends_it_again() throws Exception {
        DeviceRig d = device();
        byte[] resync = pkg0(0x21, "srvpass", new byte[4]);

        assertThat(d.client().acceptNotification(resync, SERVER_HOST)).isEqualTo(NotificationOutcome.BAD_DIGEST);
        assertThat(d.client().acceptNotification(resync, SERVER_HOST)).isEqualTo(NotificationOutcome.ACCEPTED);
        assertThat(checks).hasSize(2);
    }

    @Test
    void a_forger_cannot_spend_the_resync_tries_of_someone_elses_notification() throws Exception {
        DeviceRig d = device();
        byte[] resync = pkg0(0x22, "srvpass", new byte[4]);
        assertThat(d.client().acceptNotification(resync, SERVER_HOST)).isEqualTo(NotificationOutcome.BAD_DIGEST);
        byte[] sameDigestOtherTrigger = resync.clone();
        sameDigestOtherTrigger[sameDigestOtherTrigger.length - 1] ^= 1;
        for (int i = 0; i < 5; i++) {
            d.client().acceptNotification(sameDigestOtherTrigger, ATTACKER);
        }

        assertThat(d.client().acceptNotification(resync, SERVER_HOST)).isEqualTo(NotificationOutcome.ACCEPTED);
    }

    @Test
    void a_replay_of_an_accepted_notification_costs_no_check() throws Exception {
        DeviceRig d = device();
        byte[] n = pkg0(0x23, "srvpass", NONCE);
        assertThat(d.client().acceptNotification(n, SERVER_HOST)).isEqualTo(NotificationOutcome.ACCEPTED);

        assertThat(d.client().acceptNotification(n, ATTACKER)).isEqualTo(NotificationOutcome.REPLAYED);
        assertThat(checks).hasSize(1);
    }

    @Test
    void the_replay_cache_survives_a_restart_of_the_client() throws Exception {
        byte[] n = pkg0(0x24, "srvpass", NONCE);
        assertThat(device().client().acceptNotification(n, SERVER_HOST)).isEqualTo(NotificationOutcome.ACCEPTED);
        checks.clear();

        DeviceRig restarted = device();

        assertThat(restarted.client().acceptNotification(n, ATTACKER)).isEqualTo(NotificationOutcome.REPLAYED);
        assertThat(checks).isEmpty();
    }

    @Test
    void the_nonces_tried_survive_a_restart_of_the_client() throws Exception {
        byte[] forged = pkg0(0x25, "guess", NONCE);
        DeviceRig first = device();
        for (int i = 0; i < 4; i++) {
            first.client().acceptNotification(forged, ATTACKER);
        }
        checks.clear();

        DeviceRig restarted = device();

        assertThat(restarted.client().acceptNotification(forged, ATTACKER)).isEqualTo(NotificationOutcome.BAD_DIGEST);
        assertThat(checks).isEmpty();
    }

    @Test
    void the_state_file_is_readable_by_its_owner_only_and_holds_no_digest() throws Exception {
        byte[] n = pkg0(0x26, "srvpass", NONCE);
        device().client().acceptNotification(n, SERVER_HOST);
        Path file = dir.resolve(DmClientImpl.NOTIFICATION_STATE_FILE);

        assertThat(file).exists();
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        String text = Files.readString(file);
        assertThat(text).doesNotContain(java.util.HexFormat.of().formatHex(n, 0, 16))
                .doesNotContain(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(n, 16)));
    }

    @Test
    void a_corrupt_state_file_is_moved_aside_and_the_client_starts_empty() throws Exception {
        Files.writeString(dir.resolve(DmClientImpl.NOTIFICATION_STATE_FILE), "garbage\nA zz 1\n");

        DeviceRig d = device();

        assertThat(d.client().acceptNotification(pkg0(0x27, "srvpass", NONCE), SERVER_HOST))
                .isEqualTo(NotificationOutcome.ACCEPTED);
        assertThat(dir.resolve(DmClientImpl.NOTIFICATION_STATE_FILE + ".corrupt")).exists();
    }

    @Test
    void the_state_is_bounded() throws Exception {
        DeviceRig d = device();
        for (int i = 0; i < 1100; i++) {
            d.client().acceptNotification(pkg0(1 + i, "guess-" + i, NONCE), ATTACKER);
        }

        assertThat(Files.readAllLines(dir.resolve(DmClientImpl.NOTIFICATION_STATE_FILE)))
                .hasSizeLessThanOrEqualTo(1 + 2 * org.cardinaldm.client.internal.notify.NotificationVerifier.MAX_REMEMBERED);
    }

    @Test
    void a_check_the_credentials_refuse_to_make_does_not_use_up_a_nonce() throws Exception {
        DeviceRig d = device();
        boolean[] refuse = {true};
        d.client().bindCredentialProvider(account -> Optional.of(new CountingCredentials(DmAccCredentials.of(account),
                checks) {
            @Override
            public boolean verifyNotification(String serverId, byte[] digest, byte[] trigger, byte[] nonce,
                    String source) throws org.cardinaldm.client.api.spi.CredentialException {
                if (refuse[0]) {
                    throw new org.cardinaldm.client.api.spi.CredentialException(
                            org.cardinaldm.client.api.spi.CredentialException.Reason.UNAVAILABLE, "budget used up");
                }
                return super.verifyNotification(serverId, digest, trigger, nonce, source);
            }
        }), Map.of("service.ranking", 10));
        byte[] n = pkg0(0x28, "srvpass", NONCE);

        assertThat(d.client().acceptNotification(n, SERVER_HOST)).isEqualTo(NotificationOutcome.NO_CREDENTIALS);
        refuse[0] = false;

        assertThat(d.client().acceptNotification(n, SERVER_HOST)).isEqualTo(NotificationOutcome.ACCEPTED);
    }
}
