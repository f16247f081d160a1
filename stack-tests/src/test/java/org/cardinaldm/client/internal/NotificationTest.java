package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.client.api.NotificationOutcome;
import org.cardinaldm.client.api.SessionListener;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.notification.Initiator;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Package 0 (digest 4): verified before anything else, then the server-initiated session. */
class NotificationTest {
    private static final byte[] NONCE = "srv-nonce-16byte".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final CompletableFuture<SessionResult> ended = new CompletableFuture<>();

    private DeviceRig device() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"DIGEST", "device", "devpass",
            Base64.getEncoder().encodeToString("cl".getBytes())},
                new String[] {"BASIC", "server", "srvpass", Base64.getEncoder().encodeToString(NONCE)});
        d.client().bindListener(new SessionListener() {
            @Override
            public void sessionEnded(SessionResult result) {
                ended.complete(result);
            }
        });
        return d;
    }

    private static byte[] pkg0(String serverId, int session, UiMode ui, String password, byte[] nonce) {
        return new Notification(Notification.VERSION, ui, Initiator.SERVER, session, serverId, new byte[0])
                .encode(password, nonce);
    }

    @Test
    void a_valid_notification_starts_the_server_initiated_session_with_its_session_id() throws Exception {
        DeviceRig d = device();
        FakeServer s = new FakeServer();
        s.thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        NotificationOutcome o = d.client().acceptNotification(pkg0(DeviceRig.SERVER, 0x1A2F, UiMode.BACKGROUND, "srvpass", NONCE));

        assertThat(o).isEqualTo(NotificationOutcome.ACCEPTED);
        SessionResult r = ended.get(10, TimeUnit.SECONDS);
        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(r.initiator()).isEqualTo(SessionRequest.Initiator.SERVER);
        assertThat(s.received.get(0).header().sessionId()).isEqualTo("1A2F");
        assertThat(((Alert) s.received.get(0).commands().get(0)).code()).isEqualTo(1200);
        assertThat(s.received.get(0).header().cred().data().asText())
                .isEqualTo(Credentials.md5Digest("device", "devpass", "cl".getBytes()));
        assertThat(d.client().notificationCounts()).containsEntry(NotificationOutcome.ACCEPTED, 1L);
    }

    @Test
    void tampered_wrong_server_unknown_server_and_garbage_notifications_are_dropped_and_counted() throws Exception {
        DeviceRig d = device();
        FakeServer s = new FakeServer();
        d.transport(s);
        byte[] tampered = pkg0(DeviceRig.SERVER, 0x22, UiMode.BACKGROUND, "srvpass", NONCE);
        tampered[19] ^= 1; // a future-use bit of the trigger: parsed the same, signed differently

        assertThat(d.client().acceptNotification(tampered)).isEqualTo(NotificationOutcome.BAD_DIGEST);
        assertThat(d.client().acceptNotification(pkg0(DeviceRig.SERVER, 0x22, UiMode.BACKGROUND, "guessed", NONCE)))
                .isEqualTo(NotificationOutcome.BAD_DIGEST);
        assertThat(d.client().acceptNotification(pkg0("evil.example.com", 0x22, UiMode.BACKGROUND, "srvpass", NONCE)))
                .isEqualTo(NotificationOutcome.UNKNOWN_SERVER);
        assertThat(d.client().acceptNotification(new byte[] {1, 2, 3})).isEqualTo(NotificationOutcome.MALFORMED);
        assertThat(d.client().acceptNotification(pkg0(DeviceRig.SERVER, 0, UiMode.BACKGROUND, "srvpass", NONCE)))
                .isEqualTo(NotificationOutcome.MALFORMED);
        byte[] flipped = pkg0(DeviceRig.SERVER, 0x22, UiMode.BACKGROUND, "srvpass", NONCE);
        flipped[3] ^= 0x40;
        assertThat(d.client().acceptNotification(flipped)).isEqualTo(NotificationOutcome.BAD_DIGEST);

        assertThat(s.received).isEmpty();
        assertThat(d.client().notificationCounts()).containsEntry(NotificationOutcome.BAD_DIGEST, 3L)
                .containsEntry(NotificationOutcome.UNKNOWN_SERVER, 1L).containsEntry(NotificationOutcome.MALFORMED, 2L)
                .containsEntry(NotificationOutcome.ACCEPTED, 0L);
    }

    @Test
    void a_replayed_notification_is_dropped() throws Exception {
        DeviceRig d = device();
        FakeServer s = new FakeServer();
        s.thenReply(c -> FakeServer.done(c, s));
        d.transport(s);
        byte[] n = pkg0(DeviceRig.SERVER, 0x77, UiMode.BACKGROUND, "srvpass", NONCE);

        assertThat(d.client().acceptNotification(n)).isEqualTo(NotificationOutcome.ACCEPTED);
        ended.get(10, TimeUnit.SECONDS);
        assertThat(d.client().acceptNotification(n)).isEqualTo(NotificationOutcome.REPLAYED);
        assertThat(s.received).hasSize(1);
    }

    @Test
    void the_resynchronisation_nonce_is_accepted_and_the_session_uses_it() throws Exception {
        DeviceRig d = device();
        FakeServer s = new FakeServer();
        s.thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        byte[] resync = pkg0(DeviceRig.SERVER, 0x5, UiMode.NOT_SPECIFIED, "srvpass", new byte[4]);
        // one nonce per arrival: the stored one first, the re-synchronisation nonce when the server sends it again
        assertThat(d.client().acceptNotification(resync)).isEqualTo(NotificationOutcome.BAD_DIGEST);
        assertThat(d.client().acceptNotification(resync)).isEqualTo(NotificationOutcome.ACCEPTED);

        assertThat(ended.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(s.received.get(0).header().cred().data().asText())
                .isEqualTo(Credentials.md5Digest("device", "devpass", new byte[4]));
    }

    @Test
    void a_user_interaction_notification_asks_first_and_a_refusal_means_no_session() throws Exception {
        DeviceRig d = device();
        d.ui(p -> UserResponse.no());
        FakeServer s = new FakeServer();
        d.transport(s);

        assertThat(d.client().acceptNotification(pkg0(DeviceRig.SERVER, 0x9, UiMode.USER_INTERACTION, "srvpass", NONCE)))
                .isEqualTo(NotificationOutcome.ACCEPTED);

        SessionResult r = ended.get(10, TimeUnit.SECONDS);
        assertThat(r.outcome()).isEqualTo(SessionOutcome.ABORTED_BY_USER);
        assertThat(s.received).isEmpty();
        assertThat(d.client().notificationCounts()).containsEntry(NotificationOutcome.REFUSED_BY_USER, 1L);
    }

    @Test
    void an_account_without_server_credentials_cannot_be_notified() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.account("open.example.com", DeviceRig.ADDRESS, new String[] {"BASIC", "device", "devpass"}, null);

        assertThat(d.client().acceptNotification(pkg0("open.example.com", 0x9, UiMode.BACKGROUND, "", new byte[0])))
                .isEqualTo(NotificationOutcome.NO_CREDENTIALS);
    }

    @Test
    void a_second_request_for_a_queued_server_joins_the_queued_session() throws Exception {
        DeviceRig d = device();
        FakeServer s = new FakeServer();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        s.then((c, req, srv) -> {
            release.await(10, TimeUnit.SECONDS);
            return srv.encode(FakeServer.done(c, srv));
        });
        d.transport(s);

        CompletableFuture<SessionResult> a = d.client().startSession(SessionRequest.clientInitiated(DeviceRig.SERVER));
        CompletableFuture<SessionResult> b = d.client().startSession(SessionRequest.clientInitiated(DeviceRig.SERVER));
        assertThat(d.client().acceptNotification(pkg0(DeviceRig.SERVER, 0x31, UiMode.BACKGROUND, "srvpass", NONCE)))
                .isEqualTo(NotificationOutcome.REPLAYED);
        release.countDown();

        assertThat(b).isSameAs(a);
        assertThat(a.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(s.received).hasSize(1);
    }
}
