package org.cardinaldm.smartcard.bootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.smartcard.bootstrap.internal.CardBootstrapSource.Outcome;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.stacktest.card.CardStack;
import org.junit.jupiter.api.Test;

/**
 * The smart-card bootstrap flows of RD 6.1.4 with the real software card, card stack and device agent: confirm
 * accepted and refused, autonomous connection on (a session over loopback HTTP) and off, the key-only card,
 * the re-configured card, the card replaced and removed, the card present at power-on, and the card policy's
 * allowed servers. Written once against a {@link CardStack}: {@link CardBootstrapFlowTest} runs them with the
 * simulated reader in the JVM, {@link PcscBootstrapFlowTest} through the real pcscd and vpcd.
 */
abstract class CardBootstrapFlows extends RigTest {
    static final String CARD_A = "98940000000000000AF1";
    static final String CARD_B = "98940000000000000BF2";

    /** @return the card stack (its reader) for one test's rig */
    abstract CardStack.Builder cards() throws Exception;

    private Rig rig() throws Exception {
        rig = new Rig(dir, cards());
        return rig;
    }

    private static TestCard card(String id, TestServer s, boolean confirm, boolean connect) {
        return new TestCard(id).server(s).policy(CardPolicy.of(confirm, connect, List.of(s.serverId())));
    }

    @Test
    void a_card_that_asks_for_confirmation_is_applied_when_the_user_accepts_and_the_accounts_are_marked_card() throws Exception {
        Rig r = rig();
        r.startSource(Map.of());
        TestServer s = TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST");

        r.insert(card(CARD_A, s, true, false));

        assertThat(r.user.prompts).hasSize(1);
        assertThat(r.user.prompts.get(0).text()).contains(CARD_A).contains("dms-a").contains(r.reader());
        assertThat(r.accountNames()).containsExactly("dmsa");
        assertThat(r.get("./DMAcc/dmsa/ServerID")).isEqualTo("dms-a");
        assertThat(r.get("./DMAcc/dmsa/Ext/Cardinal/Origin")).isEqualTo("card:" + CARD_A);
        assertThat(r.bootstrap.origins()).containsEntry("dms-a", "card:" + CARD_A);
        assertThat(r.source.outcome(CARD_A)).contains(Outcome.APPLIED);
        assertThat(r.drainSessions()).as("autonomous connection is off").isEmpty();

        // a change of the card that leaves its bootstrap and policy as they were (e.g. its MO store) changes nothing
        r.source.dmCardChanged(org.cardinaldm.smartcard.dm.api.DmCardEvent.of(
                org.cardinaldm.smartcard.dm.api.DmCardEvent.Type.CHANGED, r.dm.card(r.reader()).orElseThrow()));
        r.idle();
        assertThat(r.user.prompts).hasSize(1);
        assertThat(r.source.outcome(CARD_A)).contains(Outcome.UNCHANGED);
    }

    @Test
    void nothing_is_incorporated_when_the_user_refuses_and_the_user_is_not_asked_again_for_the_same_content() throws Exception {
        Rig r = rig();
        r.user.accept = false;
        r.startSource(Map.of());

        r.insert(card(CARD_A, TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST"), true, true));

        assertThat(r.user.prompts).hasSize(1);
        assertThat(r.accountNames()).isEmpty();
        assertThat(r.source.outcome(CARD_A)).contains(Outcome.REFUSED_BY_USER);
        assertThat(r.drainSessions()).as("no connection without the user's consent").isEmpty();

        r.dm.refresh(r.reader()); // an unchanged card: no event, no question
        r.source.dmCardChanged(org.cardinaldm.smartcard.dm.api.DmCardEvent.of(
                org.cardinaldm.smartcard.dm.api.DmCardEvent.Type.CHANGED, r.dm.card(r.reader()).orElseThrow()));
        r.idle();
        assertThat(r.user.prompts).hasSize(1);
        assertThat(r.accountNames()).isEmpty();
    }

    @Test
    void autonomous_connection_opens_a_session_in_which_the_card_computes_and_checks_the_md5_credentials() throws Exception {
        server = new ScriptedServer();
        TestServer s = TestCard.server("dms-a", server.address(), "DIGEST");
        byte[] n1 = "server-nonce-1".getBytes();
        // package 1: the device's md5 credential over the empty first nonce; the server asks for a fresh one
        server.then(c -> {
            assertThat(Credentials.verify(c.message().header().cred(), s.clientName(), s.clientSecret(), new byte[0]))
                    .as("the card's md5 digest over the empty nonce").isTrue();
            return ScriptedServer.Reply.of(server.reply(c.message(), Credentials.md5(s.serverName(), s.serverSecret(),
                    new byte[0]), StatusCodes.INVALID_CREDENTIALS, ScriptedServer.md5Chal(n1),
                    StatusCodes.INVALID_CREDENTIALS).build());
        });
        server.then(c -> {
            boolean ok = Credentials.verify(c.message().header().cred(), s.clientName(), s.clientSecret(), n1);
            // the card refused the credential over the empty nonce (not its challenge) and gave its own challenge
            SyncMessage.Builder b = server.reply(c.message(), Credentials.md5(s.serverName(), s.serverSecret(),
                    server.nonce()), ok ? StatusCodes.AUTHENTICATION_ACCEPTED
                    : StatusCodes.INVALID_CREDENTIALS, null, StatusCodes.OK);
            b.add(Add.of(b.nextCmdId(), Item.builder().target("./DMAcc/dmsa/PrefConRef").meta(Meta.of("chr", "text/plain"))
                    .data("provisioned-by-server").build()));
            return ScriptedServer.Reply.of(b.build());
        });
        server.then(c -> ScriptedServer.Reply.of(server.done(c.message(), null)));
        Rig r = rig();
        r.startSource(Map.of());

        r.insert(card(CARD_A, s, false, true));
        List<SessionResult> sessions = r.drainSessions();

        assertThat(r.user.prompts).as("the policy asks for no confirmation").isEmpty();
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).outcome()).as(sessions.get(0).toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(server.received).hasSize(3);
        assertThat(server.received.get(0).message().header().source().locName()).isEqualTo(s.clientName());
        assertThat(r.get("./DMAcc/dmsa/PrefConRef")).isEqualTo("provisioned-by-server");
    }

    @Test
    void without_autonomous_connection_the_accounts_are_written_and_no_session_starts() throws Exception {
        Rig r = rig();
        r.startSource(Map.of());

        r.insert(card(CARD_A, TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST"), false, false));

        assertThat(r.user.prompts).isEmpty();
        assertThat(r.accountNames()).containsExactly("dmsa");
        assertThat(r.drainSessions()).isEmpty();
    }

    @Test
    void a_key_only_card_gets_a_minimal_account_at_the_configured_address_and_the_server_provisions_the_rest()
            throws Exception {
        server = new ScriptedServer();
        TestServer s = TestCard.server("dms-k", "unused", "DIGEST");
        String account = CardPlan.accountName(CARD_A, "dms-k");
        server.then(c -> {
            boolean ok = Credentials.verify(c.message().header().cred(), s.clientName(), s.clientSecret(), new byte[0]);
            SyncMessage.Builder b = server.reply(c.message(), Credentials.md5(s.serverName(), s.serverSecret(),
                    new byte[0]), ok ? StatusCodes.AUTHENTICATION_ACCEPTED : StatusCodes.INVALID_CREDENTIALS, null,
                    StatusCodes.OK);
            b.add(Replace.of(b.nextCmdId(), Item.builder().target("./DMAcc/" + account + "/Name")
                    .meta(Meta.of("chr", "text/plain")).data("Provisioned by dms-k").build()));
            return ScriptedServer.Reply.of(b.build());
        });
        // the card refused the server's credential over the empty nonce (not its own challenge) and the client gave
        // the card's challenge: the server answers again with a credential over it
        server.then(c -> {
            SyncMessage.Builder b = server.reply(c.message(), Credentials.md5(s.serverName(), s.serverSecret(),
                    server.nonce()), StatusCodes.OK, null, StatusCodes.OK);
            b.add(Replace.of(b.nextCmdId(), Item.builder().target("./DMAcc/" + account + "/Name")
                    .meta(Meta.of("chr", "text/plain")).data("Provisioned by dms-k").build()));
            return ScriptedServer.Reply.of(b.build());
        });
        server.then(c -> ScriptedServer.Reply.of(server.done(c.message(), null)));
        Rig r = rig();
        r.startSource(Map.of("key.only.address", "http://127.0.0.1:1/unused",
                "key.only.addresses", new String[] {"dms-k=" + server.address()}));

        r.insert(card(CARD_A, s, false, true).keyOnly());
        List<SessionResult> sessions = r.drainSessions();

        assertThat(r.accountNames()).containsExactly(account);
        String a = "./DMAcc/" + account;
        assertThat(r.get(a + "/ServerID")).isEqualTo("dms-k");
        assertThat(r.get(a + "/AppAddr/Primary/Addr")).isEqualTo(server.address());
        assertThat(r.get(a + "/AppAuth/Client/AAuthName")).isEqualTo(s.clientName());
        assertThat(r.system().exists(NodeUri.of(a + "/AppAuth/Client/AAuthSecret"))).as("no secret leaves the card")
                .isFalse();
        assertThat(r.get(a + "/Ext/Cardinal/Origin")).isEqualTo("card:" + CARD_A);
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).outcome()).as(sessions.get(0).toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(r.get(a + "/Name")).isEqualTo("Provisioned by dms-k");
    }

    @Test
    void a_key_only_card_without_a_configured_address_creates_nothing() throws Exception {
        Rig r = rig();
        r.startSource(Map.of("key.only.address", ""));

        r.insert(card(CARD_A, TestCard.server("dms-k", "unused", "DIGEST"), false, true).keyOnly());

        assertThat(r.accountNames()).isEmpty();
        assertThat(r.source.outcome(CARD_A)).contains(Outcome.NOTHING_TO_APPLY);
    }

    @Test
    void a_reconfigured_card_is_applied_again_and_its_old_accounts_are_replaced() throws Exception {
        Rig r = rig();
        r.startSource(Map.of());
        TestServer s = TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST");
        r.insert(card(CARD_A, s, false, false));
        assertThat(r.get("./DMAcc/dmsa/AppAddr/Primary/Addr")).isEqualTo("http://127.0.0.1:1/dm");

        // the issuer rewrites the bootstrap file with its ADM key (RD 6.1.4 alternative flow b)
        TestServer moved = TestCard.server("dms-a", "http://127.0.0.1:2/moved", "DIGEST");
        CardWriter.writeBootstrap(r.cardService, r.reader(), TestCard.bootstrap(List.of(moved)));
        r.dm.refresh(r.reader());
        r.events.next(org.cardinaldm.smartcard.dm.api.DmCardEvent.Type.CHANGED);
        r.idle();

        assertThat(r.accountNames()).containsExactly("dmsa");
        assertThat(r.get("./DMAcc/dmsa/AppAddr/Primary/Addr")).isEqualTo("http://127.0.0.1:2/moved");
        assertThat(r.source.outcome(CARD_A)).contains(Outcome.APPLIED);
    }

    @Test
    void a_card_replaced_by_another_takes_its_accounts_away_and_brings_the_new_ones() throws Exception {
        Rig r = rig();
        r.startSource(Map.of());
        r.insert(card(CARD_A, TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST"), false, false));
        assertThat(r.accountNames()).containsExactly("dmsa");

        r.remove();
        r.insert(card(CARD_B, TestCard.server("dms-b", "http://127.0.0.1:1/dm", "HMAC"), false, false));

        assertThat(r.accountNames()).containsExactly("dmsb");
        assertThat(r.bootstrap.origins()).containsOnly(Map.entry("dms-b", "card:" + CARD_B));
    }

    @Test
    void a_removed_card_takes_its_accounts_away_and_leaves_other_accounts_alone() throws Exception {
        Rig r = rig();
        r.startSource(Map.of());
        r.insert(card(CARD_A, TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST"), false, false));
        r.system().add(NodeUri.of("./DMAcc/manual"), org.cardinaldm.api.NodeValue.interior());
        r.system().add(NodeUri.of("./DMAcc/manual/ServerID"), org.cardinaldm.api.NodeValue.ofString("manual"));

        r.remove();

        assertThat(r.accountNames()).containsExactly("manual");
        assertThat(r.source.outcome(CARD_A)).contains(Outcome.WITHDRAWN);
    }

    @Test
    void a_card_present_at_power_on_is_applied_and_accounts_of_absent_cards_are_withdrawn() throws Exception {
        Rig r = rig();
        // the tree still holds an account of a card that was taken out while the device was off
        r.bootstrap.apply(org.cardinaldm.client.api.BootstrapPackage.builder("card:" + CARD_B,
                TestCard.bootstrap(List.of(TestCard.server("dms-b", "http://127.0.0.1:1/dm", "DIGEST"))),
                org.cardinaldm.syncml.api.MediaTypes.DM_WBXML).build());
        r.insert(card(CARD_A, TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST"), false, false));
        // the DM card service has read the card before the source starts
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> r.dm.card(r.reader()).isPresent());

        r.startSource(Map.of());
        r.awaitInserted();

        assertThat(r.accountNames()).containsExactly("dmsa");
        assertThat(r.bootstrap.origins()).containsOnly(Map.entry("dms-a", "card:" + CARD_A));
    }

    @Test
    void a_card_already_applied_is_not_applied_again_at_power_on() throws Exception {
        Rig r = rig();
        r.startSource(Map.of());
        r.insert(card(CARD_A, TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST"), true, false));
        assertThat(r.user.prompts).hasSize(1);
        r.system().add(NodeUri.of("./DMAcc/dmsa/PrefConRef"), org.cardinaldm.api.NodeValue.ofString("server-made"));

        // a restart: a new source meets the same card and the same tree
        r.source.deactivate();
        r.dm.removeListener(r.source, Map.of());
        r.startSource(Map.of());
        r.awaitInserted();

        assertThat(r.user.prompts).as("not asked again").hasSize(1);
        assertThat(r.source.outcome(CARD_A)).contains(Outcome.UNCHANGED);
        assertThat(r.get("./DMAcc/dmsa/PrefConRef")).as("what the server changed is kept").isEqualTo("server-made");
    }

    @Test
    void a_bootstrap_for_a_server_the_card_policy_does_not_allow_is_refused_whole_without_asking() throws Exception {
        Rig r = rig();
        r.startSource(Map.of());
        TestCard card = new TestCard(CARD_A).server(TestCard.server("dms-a", "http://127.0.0.1:1/dm", "DIGEST"))
                .bootstrapAccount(TestCard.server("intruder", "http://127.0.0.1:1/evil", "DIGEST"))
                .policy(CardPolicy.of(true, true, List.of("dms-a")));

        r.insert(card);

        assertThat(r.source.outcome(CARD_A)).contains(Outcome.REFUSED_BY_POLICY);
        assertThat(r.user.prompts).isEmpty();
        assertThat(r.accountNames()).isEmpty();
        assertThat(r.drainSessions()).isEmpty();
    }
}
