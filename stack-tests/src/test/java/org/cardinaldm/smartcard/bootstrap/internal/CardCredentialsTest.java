package org.cardinaldm.smartcard.bootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.client.api.NotificationOutcome;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.AuthScheme;
import org.cardinaldm.client.api.spi.CredentialException;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.notification.Initiator;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.junit.jupiter.api.Test;

/**
 * Card-held credentials in DM sessions and notifications: the card computes the client's md5 and HMAC digests
 * and checks the server's; a server that knows the secret accepts the first, a wrong server credential is
 * rejected by the card, a card pulled mid-session fails the session, and forged notifications cannot use up the
 * card's server key.
 */
class CardCredentialsTest extends RigTest {
    static final String CARD = "98940000000000000CF3";

    private Rig start(TestServer s, Map<String, Object> config) throws Exception {
        rig = new Rig(dir);
        rig.startSource(config);
        rig.insert(new TestCard(CARD).server(s).policy(CardPolicy.of(false, false, List.of(s.serverId()))));
        assertThat(rig.bootstrap.origins()).containsKey(s.serverId());
        return rig;
    }

    private SessionResult session(String serverId) throws Exception {
        return rig.client.startSession(SessionRequest.clientInitiated(serverId)).get(60, TimeUnit.SECONDS);
    }

    private static Status headerStatus(SyncMessage m) {
        return m.commands().stream().filter(c -> c instanceof Status st && st.cmd().equals("SyncHdr"))
                .map(Status.class::cast).findFirst().orElseThrow();
    }

    @Test
    void hmac_digests_computed_by_the_card_are_accepted_by_a_server_that_knows_the_secret_and_its_mac_is_checked_by_the_card()
            throws Exception {
        server = new ScriptedServer();
        TestServer s = TestCard.server("dms-h", server.address(), "HMAC");
        server.then(c -> {
            HmacHeader h;
            try {
                h = HmacHeader.parse(c.headers().get("x-syncml-hmac"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(h.username()).isEqualTo(s.clientName());
            assertThat(h.verify(s.clientSecret(), new byte[0], c.body())).as("the card's HMAC").isTrue();
            return new ScriptedServer.Reply(server.done(c.message(), null), s.serverName(), s.serverSecret(), new byte[0]);
        });
        // a MAC over the empty nonce is not over the card's challenge: the client gives that, the server signs again
        server.then(c -> new ScriptedServer.Reply(server.done(c.message(), null), s.serverName(), s.serverSecret(),
                server.nonce()));
        start(s, Map.of());

        SessionResult r = session("dms-h");

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(server.received).hasSize(2);
        assertThat(server.nonce()).as("the card's own challenge").hasSize(16);
    }

    @Test
    void a_server_mac_made_with_a_wrong_secret_is_rejected_by_the_card() throws Exception {
        server = new ScriptedServer();
        TestServer s = TestCard.server("dms-h", server.address(), "HMAC");
        for (int i = 0; i < 6; i++) {
            server.then(c -> new ScriptedServer.Reply(server.done(c.message(), null), s.serverName(), "not-the-secret",
                    new byte[0]));
        }
        start(s, Map.of());

        SessionResult r = session("dms-h");

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.AUTHENTICATION_FAILED);
        assertThat(headerStatus(server.received.get(1).message()).code()).isEqualTo(StatusCodes.INVALID_CREDENTIALS);
    }

    @Test
    void a_wrong_md5_server_credential_is_rejected_by_the_card_and_a_right_one_accepted() throws Exception {
        server = new ScriptedServer();
        TestServer s = TestCard.server("dms-a", server.address(), "DIGEST");
        for (int i = 0; i < 6; i++) {
            server.then(c -> ScriptedServer.Reply.of(server.done(c.message(),
                    Credentials.md5(s.serverName(), "not-the-secret", new byte[0]))));
        }
        start(s, Map.of());

        SessionResult r = session("dms-a");

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.AUTHENTICATION_FAILED);
        assertThat(headerStatus(server.received.get(1).message()).code()).isEqualTo(StatusCodes.INVALID_CREDENTIALS);
        // the key is not blocked: the right credential still passes
        AccountCredentials creds = credentials("dms-a");
        byte[] challenge = creds.nextServerNonce().orElseThrow();
        assertThat(creds.verifyServerCredential(AuthScheme.MD5,
                Credentials.md5Digest(s.serverName(), s.serverSecret(), challenge), challenge)).isTrue();
        assertThat(creds.verifyServerCredential(AuthScheme.MD5,
                Credentials.md5Digest(s.serverName(), s.serverSecret(), challenge), challenge))
                .as("a recorded server credential, again").isFalse();
        assertThat(creds.verifyServerCredential(AuthScheme.MD5, "not base64 !", "n".getBytes())).isFalse();
        assertThatThrownBy(() -> creds.verifyServerCredential(AuthScheme.BASIC, "x", new byte[0]))
                .isInstanceOf(CredentialException.class)
                .extracting(e -> ((CredentialException) e).reason()).isEqualTo(CredentialException.Reason.UNSUPPORTED);
    }

    @Test
    void the_card_computes_the_client_md5_credential_the_server_expects_and_never_a_basic_one() throws Exception {
        TestServer s = TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST");
        start(s, Map.of());
        AccountCredentials creds = credentials("dms-a");
        byte[] nonce = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 1, 0x23, 0x45, 0x67, (byte) 0x89};

        assertThat(creds.clientScheme()).isEqualTo(AuthScheme.MD5);
        assertThat(creds.clientName()).isEqualTo(s.clientName());
        assertThat(creds.clientCredential(AuthScheme.MD5, nonce))
                .isEqualTo(Credentials.md5Digest(s.clientName(), s.clientSecret(), nonce));
        assertThat(creds.clientMac(nonce, "body".getBytes()))
                .isEqualTo(HmacHeader.mac(s.clientName(), s.clientSecret(), nonce, "body".getBytes()));
        assertThat(creds.supportsClientScheme(AuthScheme.HMAC)).isTrue();
        assertThat(creds.supportsClientScheme(AuthScheme.BASIC)).isFalse();
        assertThatThrownBy(() -> creds.clientCredential(AuthScheme.BASIC, nonce)).isInstanceOf(CredentialException.class);
        assertThat(creds.toString()).doesNotContain(s.clientSecret()).doesNotContain(s.serverSecret());
    }

    @Test
    void a_card_pulled_in_the_middle_of_a_session_fails_it_as_an_authentication_failure() throws Exception {
        server = new ScriptedServer();
        TestServer s = TestCard.server("dms-a", server.address(), "DIGEST");
        server.then(c -> {
            rig.simBackend().remove(); // the card leaves the reader before the server's answer
            return ScriptedServer.Reply.of(server.reply(c.message(), Credentials.md5(s.serverName(), s.serverSecret(),
                    new byte[0]), StatusCodes.INVALID_CREDENTIALS, ScriptedServer.md5Chal("fresh".getBytes()),
                    StatusCodes.INVALID_CREDENTIALS).build());
        });
        server.then(c -> ScriptedServer.Reply.of(server.done(c.message(), null)));
        start(s, Map.of());

        SessionResult r = session("dms-a");

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.AUTHENTICATION_FAILED);
        assertThat(server.received).as("nothing sent without the card").hasSize(1);
        rig.events.next(DmCardEvent.Type.REMOVED);
        rig.idle();
        assertThat(rig.accountNames()).as("the card's accounts are withdrawn").isEmpty();
    }

    @Test
    void only_accounts_of_a_present_card_that_holds_their_credentials_are_claimed() throws Exception {
        TestServer s = TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST");
        rig = new Rig(dir);
        rig.startSource(Map.of());
        rig.insert(new TestCard(CARD).server(s)
                .bootstrapAccount(TestCard.server("no-key", "http://127.0.0.1:1/dm", "DIGEST"))
                .policy(CardPolicy.of(false, false, List.of())));
        rig.system().add(NodeUri.of("./DMAcc/manual"), NodeValue.interior());
        rig.system().add(NodeUri.of("./DMAcc/manual/AppID"), NodeValue.ofString("w7"));
        rig.system().add(NodeUri.of("./DMAcc/manual/ServerID"), NodeValue.ofString("manual"));

        assertThat(claimed("dms-a")).isTrue();
        assertThat(claimed("no-key")).as("the card holds no key for it").isFalse();
        assertThat(claimed("manual")).as("not card-originated").isFalse();

        DmAccount account = rig.accounts.byServerId("dms-a").orElseThrow();
        rig.simBackend().remove();
        rig.events.next(DmCardEvent.Type.REMOVED);
        assertThat(rig.source.credentialProvider().credentials(account)).as("the card is gone").isEmpty();
    }

    @Test
    void forged_notifications_cannot_use_up_the_card_server_key_and_a_right_one_is_accepted() throws Exception {
        TestServer s = TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST");
        start(s, Map.of("notification.card.attempts", 4));
        byte[] right = new Notification(Notification.VERSION, UiMode.NOT_SPECIFIED, Initiator.SERVER, 0x1234, "dms-a",
                new byte[0]).encode(s.serverSecret(), new byte[0]);

        for (int i = 0; i < 5; i++) {
            byte[] forged = new Notification(Notification.VERSION, UiMode.NOT_SPECIFIED, Initiator.SERVER, 0x100 + i,
                    "dms-a", new byte[0]).encode("guessed-" + i, new byte[0]);
            // two wrong digests reach the card (the strangers' share of 4), then the card is not asked
            assertThat(rig.client.acceptNotification(forged))
                    .isEqualTo(i < 2 ? NotificationOutcome.BAD_DIGEST : NotificationOutcome.NO_CREDENTIALS);
        }
        assertThat(rig.client.acceptNotification(right)).as("the budget is used up: the card is not asked")
                .isEqualTo(NotificationOutcome.NO_CREDENTIALS);

        // the server proves itself to the card (as in a session): the budget is full again, the key was never blocked
        AccountCredentials creds = credentials("dms-a");
        byte[] challenge = creds.nextServerNonce().orElseThrow();
        assertThat(creds.verifyServerCredential(AuthScheme.MD5,
                Credentials.md5Digest(s.serverName(), s.serverSecret(), challenge), challenge)).isTrue();
        assertThat(rig.client.acceptNotification(right)).isEqualTo(NotificationOutcome.ACCEPTED);
        List<SessionResult> sessions = rig.drainSessions();
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).outcome()).as("the card's credentials were usable; the server address is not")
                .isEqualTo(SessionOutcome.UNREACHABLE);
    }

    @Test
    void a_proven_sender_is_still_heard_after_a_flood_of_forgeries_from_another_sender() throws Exception {
        TestServer s = TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST");
        start(s, Map.of("notification.card.attempts", 4));
        String server = "udp:192.0.2.1";
        assertThat(rig.client.acceptNotification(new Notification(Notification.VERSION, UiMode.NOT_SPECIFIED,
                Initiator.SERVER, 0x1234, "dms-a", new byte[0]).encode(s.serverSecret(), new byte[0]), server))
                .isEqualTo(NotificationOutcome.ACCEPTED);

        for (int i = 0; i < 50; i++) {
            byte[] forged = new Notification(Notification.VERSION, UiMode.NOT_SPECIFIED, Initiator.SERVER, 0x100 + i,
                    "dms-a", new byte[0]).encode("guessed-" + i, new byte[0]);
            assertThat(rig.client.acceptNotification(forged, "udp:198.51.100.9"))
                    .isIn(NotificationOutcome.BAD_DIGEST, NotificationOutcome.NO_CREDENTIALS);
        }

        assertThat(rig.client.acceptNotification(new Notification(Notification.VERSION, UiMode.NOT_SPECIFIED,
                Initiator.SERVER, 0x1235, "dms-a", new byte[0]).encode(s.serverSecret(), new byte[0]), server))
                .isEqualTo(NotificationOutcome.ACCEPTED);
        rig.drainSessions();
    }

    private AccountCredentials credentials(String serverId) throws Exception {
        DmAccount account = rig.accounts.byServerId(serverId).orElseThrow();
        return rig.source.credentialProvider().credentials(account).orElseThrow();
    }

    private boolean claimed(String serverId) throws Exception {
        DmAccount account = rig.accounts.byServerId(serverId).orElseThrow();
        return rig.source.credentialProvider().credentials(account).isPresent();
    }

    @SuppressWarnings("unused")
    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
