package org.cardinaldm.smartcard.dm.internal.mo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.reflect.Method;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.dm.internal.CardStackAccess;
import org.cardinaldm.smartcard.dm.internal.DemoCardAccess;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** ./SmartCard through the real tree engine, on the software card. */
class SmartCardPluginTest {
    private static final String SERVER = "cardinal-dms";
    private static final byte[] NONCE = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    private final CardStackAccess stack;
    private final SmartCardPlugin plugin;
    private final DmTreeImpl tree;
    private final TreeAccess server;
    private final TreeAccess admin;

    SmartCardPluginTest() throws Exception {
        stack = new CardStackAccess();
        plugin = new SmartCardPlugin(stack.access(), Converters.standardConverter().convert(Map.of())
                .to(SmartCardPlugin.Config.class));
        Map<String, Object> config = new HashMap<>();
        config.put("root.acl", "Add=*&Get=*&Replace=*&Delete=*");
        tree = new DmTreeImpl(stack.treeStore(), Converters.standardConverter().convert(config).to(DmTreeImpl.Config.class));
        Method mount = DmTreeImpl.class.getDeclaredMethod("mountPlugin", ManagementObjectPlugin.class, Map.class, String.class);
        mount.setAccessible(true);
        mount.invoke(tree, plugin, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, SmartCardPlugin.ROOT,
                ManagementObjectPlugin.ID_PROPERTY, SmartCardPlugin.MO_ID), "org.cardinaldm.smartcard.dm");
        server = tree.as(Principal.server(SERVER));
        admin = tree.as(Principal.localAdmin());
    }

    @AfterEach
    void stop() throws Exception {
        stack.close();
    }

    private static NodeUri u(String s) {
        return NodeUri.of("./SmartCard/" + s);
    }

    private String get(String s) throws DmException {
        return server.get(u(s)).asString();
    }

    private DmCard insert() throws Exception {
        return stack.insert().card().orElseThrow();
    }

    private void authenticate(DmCard card) throws Exception {
        byte[] challenge = card.serverChallenge(SERVER).orElseThrow();
        byte[] digest = Base64.getDecoder().decode(Credentials.md5Digest(SERVER, "cardinal-dms-demo-secret", challenge));
        assertThat(card.verifyServer(SERVER, DigestType.MD5, challenge, null, digest)).isTrue();
    }

    private static void assertStatus(StatusCode status, Action action) {
        try {
            action.run();
            fail("expected " + status);
        } catch (DmException e) {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    @Test
    void info_and_policy_describe_the_card() throws Exception {
        insert();
        assertThat(server.children(NodeUri.of("./SmartCard"))).containsExactly("Info", "Policy", "MO");
        assertThat(get("Info/CardId")).isEqualTo("989400000000000010F2");
        assertThat(get("Info/Reader")).isEqualTo("Sim 0");
        assertThat(get("Info/ATR")).isEqualTo(DemoCardAccess.HEX.formatHex(stack.atr()));
        assertThat(get("Info/ProfileVersion")).isEqualTo("1.2");
        assertThat(get("Info/Capabilities")).isEqualTo("md5,hmac,verify-server,change-counter,server-challenge,fumo,mo-store");
        assertThat(get("Info/ChangeCounter")).isEqualTo("0");
        assertThat(Long.parseLong(get("Info/FreeSpace"))).isEqualTo(2048 - DemoCardAccess.moStoreWbxml().length);
        assertThat(get("Policy/UserConfirmation")).isEqualTo("false");
        assertThat(get("Policy/AutoConnect")).isEqualTo("true");
        assertThat(get("Policy/AllowedServers")).isEqualTo(SERVER);
        assertThat(get("Policy/FUMO/AntiRollbackCounter")).isEqualTo("1");
        assertThat(get("Policy/FUMO/TrustedSigners")).hasSize(64);
        assertThat(server.describe(u("Policy/AutoConnect")).format()).isEqualTo(Format.BOOL);
        assertStatus(StatusCode.NOT_FOUND, () -> server.get(u("Info/Nothing")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> server.replace(u("Policy/AutoConnect"), NodeValue.ofBool(false)));
        TreeAccess system = tree.as(Principal.system());
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> system.replace(u("Policy/AutoConnect"), NodeValue.ofBool(false)));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> system.delete(u("Info")));
    }

    @Test
    void card_resident_mos_are_read_from_the_store() throws Exception {
        insert();
        assertThat(server.children(u("MO"))).containsExactly("Operator");
        assertThat(server.children(u("MO/Operator"))).containsExactly("Name", "Support", "PollMinutes");
        assertThat(get("MO/Operator/Name")).isEqualTo("Cardinal Demo Telecom");
        assertThat(server.describe(u("MO/Operator/PollMinutes")).format()).isEqualTo(Format.INT);
        assertThat(server.describe(u("MO/Operator")).type()).isEqualTo("urn:x-cardinaldm:mo:operator:1.0");
    }

    @Test
    void a_cached_get_costs_one_apdu_and_sees_changes_made_behind_its_back() throws Exception {
        insert();
        get("MO/Operator/Name");
        stack.stats().reset();
        get("MO/Operator/Support");
        assertThat(stack.stats().apdus()).isEqualTo(1);
        stack.writeMoBehindTheBack("Operator/Name", "Changed elsewhere");
        stack.stats().reset();
        assertThat(get("MO/Operator/Name")).isEqualTo("Changed elsewhere");
        // GET CHANGE COUNTER, SELECT, MO control, MO slot
        assertThat(stack.stats().apdus()).isEqualTo(4);
    }

    @Test
    void a_change_without_the_cards_authorisation_is_refused_by_the_card() throws Exception {
        insert();
        assertStatus(StatusCode.PERMISSION_DENIED, () -> server.replace(u("MO/Operator/Name"), NodeValue.ofString("X")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> admin.replace(u("MO/Operator/Name"), NodeValue.ofString("X")));
        assertThat(get("MO/Operator/Name")).isEqualTo("Cardinal Demo Telecom");
    }

    @Test
    void a_server_the_card_policy_does_not_allow_is_refused_by_the_device() throws Exception {
        authenticate(insert());
        TreeAccess other = tree.as(Principal.server("other-dms"));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> other.replace(u("MO/Operator/Name"), NodeValue.ofString("X")));
    }

    @Test
    void an_authenticated_server_changes_the_card_and_the_change_survives_a_power_cycle() throws Exception {
        authenticate(insert());
        server.replace(u("MO/Operator/Name"), NodeValue.ofString("Renamed Telecom"));
        server.add(u("MO/Operator/Apn"), NodeValue.ofString("internet.example"));
        server.add(u("MO/Gateway"), NodeValue.interior());
        server.add(u("MO/Gateway/Key"), NodeValue.ofBinary(new byte[] {1, 2, 3}, "application/octet-stream"));
        server.delete(u("MO/Operator/Support"));
        assertThat(get("MO/Operator/Name")).isEqualTo("Renamed Telecom");
        stack.remove();
        insert();
        assertThat(get("MO/Operator/Name")).isEqualTo("Renamed Telecom");
        assertThat(get("MO/Operator/Apn")).isEqualTo("internet.example");
        assertThat(server.children(u("MO/Operator"))).containsExactly("Name", "PollMinutes", "Apn");
        assertThat(server.get(u("MO/Gateway/Key")).data()).containsExactly(1, 2, 3);
        assertThat(server.get(u("MO/Gateway/Key")).format()).isEqualTo(Format.BIN);
        assertThat(Long.parseLong(get("Info/ChangeCounter"))).isPositive();
        // the security state went with the power: the card refuses again
        assertStatus(StatusCode.PERMISSION_DENIED, () -> server.replace(u("MO/Operator/Name"), NodeValue.ofString("Y")));
    }

    @Test
    void the_local_administrator_cannot_ride_on_the_servers_proof_during_its_dm_session() throws Exception {
        DmCard card = insert();
        authenticate(card);
        // the card's dm state is open now, for the server's session: the administrator's write never reaches it
        long before = Long.parseLong(get("Info/ChangeCounter"));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> admin.replace(u("MO/Operator/Name"), NodeValue.ofString("Intruder")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> admin.add(u("MO/Operator/Apn"), NodeValue.ofString("x.example")));
        assertThat(get("MO/Operator/Name")).isEqualTo("Cardinal Demo Telecom");
        assertThat(Long.parseLong(get("Info/ChangeCounter"))).isEqualTo(before);
        // the server whose digest the card verified still writes
        server.replace(u("MO/Operator/Name"), NodeValue.ofString("Renamed Telecom"));
        assertThat(get("MO/Operator/Name")).isEqualTo("Renamed Telecom");
        // once the session ends, the card itself refuses everyone again
        card.endDmSession();
        assertStatus(StatusCode.PERMISSION_DENIED, () -> server.replace(u("MO/Operator/Name"), NodeValue.ofString("Y")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> admin.replace(u("MO/Operator/Name"), NodeValue.ofString("Y")));
    }

    @Test
    void adding_what_exists_or_below_a_leaf_and_deleting_what_does_not_are_refused() throws Exception {
        authenticate(insert());
        assertStatus(StatusCode.ALREADY_EXISTS, () -> server.add(u("MO/Operator/Name"), NodeValue.ofString("X")));
        assertStatus(StatusCode.NOT_FOUND, () -> server.delete(u("MO/Nothing")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> server.delete(u("MO")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> server.replace(u("MO/Operator"), NodeValue.ofString("X")));
    }

    @Test
    void a_change_that_does_not_fit_the_store_is_refused_with_device_full() throws Exception {
        authenticate(insert());
        assertStatus(StatusCode.DEVICE_FULL, () -> server.add(u("MO/Operator/Blob"),
                NodeValue.ofBinary(new byte[4000], "application/octet-stream")));
        assertThat(get("MO/Operator/Name")).isEqualTo("Cardinal Demo Telecom");
    }

    @Test
    void a_removed_card_leaves_an_empty_smartcard_node() throws Exception {
        insert();
        get("Info/CardId");
        stack.remove();
        assertThat(server.children(NodeUri.of("./SmartCard"))).isEmpty();
        assertStatus(StatusCode.NOT_FOUND, () -> server.get(u("Info/CardId")));
        assertStatus(StatusCode.NOT_FOUND, () -> server.get(u("MO/Operator/Name")));
    }

    @Test
    void an_mo_store_write_torn_at_any_command_leaves_the_old_or_the_new_store() throws Exception {
        String newName = "Torn? Never: " + "x".repeat(300); // makes the store take two UPDATE BINARY chunks
        DmCard card = insert();
        authenticate(card);
        // count the image saves of the untorn changes, both ways
        stack.memory().tearAt(0, false);
        server.replace(u("MO/Operator/Name"), NodeValue.ofString(newName));
        int saves = stack.memory().saves();
        stack.memory().tearAt(0, false);
        server.replace(u("MO/Operator/Name"), NodeValue.ofString("Cardinal Demo Telecom"));
        assertThat(saves).as("slot chunks + control").isGreaterThanOrEqualTo(3);
        saves = Math.max(saves, stack.memory().saves());
        int sawOld = 0;
        int sawNew = 0;
        for (int n = 1; n <= saves + 1; n++) {
            for (boolean afterStoring : new boolean[] {false, true}) {
                String old = get("MO/Operator/Name");
                stack.clearEvents();
                String next = old.equals(newName) ? "Cardinal Demo Telecom" : newName;
                stack.memory().tearAt(n, afterStoring);
                try {
                    server.replace(u("MO/Operator/Name"), NodeValue.ofString(next));
                } catch (DmException e) {
                    assertThat(e.status()).isEqualTo(StatusCode.COMMAND_FAILED);
                }
                stack.memory().tearAt(0, false);
                stack.reinsertIfPulled();
                String now = get("MO/Operator/Name");
                assertThat(now).as("torn at save %d (%s storing)", n, afterStoring ? "after" : "before").isIn(old, next);
                if (now.equals(next)) {
                    sawNew++;
                } else {
                    sawOld++;
                }
                assertThat(stack.problems()).as("no slot that does not match its control").isEmpty();
                card = stack.dm().cards().get(0);
                authenticate(card);
            }
        }
        assertThat(sawOld).isPositive();
        assertThat(sawNew).isPositive();
    }
}
