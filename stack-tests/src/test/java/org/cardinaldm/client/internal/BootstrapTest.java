package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.client.api.BootstrapPackage;
import org.cardinaldm.client.api.BootstrapResult.Outcome;
import org.cardinaldm.client.api.BootstrapResult;
import org.cardinaldm.client.api.SessionListener;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.client.internal.session.Bootstrapper;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** DM-profile bootstrap (digest 8): all or nothing, marked with its origin, withdrawn by it, SEC/MAC. */
class BootstrapTest {
    @TempDir
    Path dir;

    private DeviceRig device;
    private DmBootstrapImpl bootstrap;

    private DmBootstrapImpl start(Object... kv) throws Exception {
        device = DeviceRig.builder(dir).build();
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        bootstrap = new DmBootstrapImpl(device.tree(), device.client(),
                Converters.standardConverter().convert(m).to(DmBootstrapImpl.Config.class));
        bootstrap.bindSerialization(device.tree());
        return bootstrap;
    }

    private static Item leaf(String uri, String value) {
        return Item.builder().target(uri).meta(Meta.of("chr", "text/plain")).data(value).build();
    }

    /** A bootstrap message creating one account (node {@code node}, ServerID {@code serverId}). */
    static byte[] message(String node, String serverId, String address) throws Exception {
        String a = "./DMAcc/" + node;
        SyncHeader h = SyncHeader.builder().sessionId("0").msgId("1").target("IMEI:493005100592800")
                .source("bootstrap").build();
        SyncMessage m = SyncMessage.builder(h)
                .add(Add.of("1", Item.builder().target(a).meta(Meta.of("node", null)).build()))
                .add(Add.of("2", leaf(a + "/AppID", "w7"), leaf(a + "/ServerID", serverId),
                        leaf(a + "/AppAddr/srv/Addr", address), leaf(a + "/AppAddr/srv/AddrType", "URI"),
                        leaf(a + "/AppAuth/cl/AAuthLevel", "CLCRED"), leaf(a + "/AppAuth/cl/AAuthType", "BASIC"),
                        leaf(a + "/AppAuth/cl/AAuthName", "device"), leaf(a + "/AppAuth/cl/AAuthSecret", "devpass"),
                        leaf(a + "/AppAuth/sv/AAuthLevel", "SRVCRED"), leaf(a + "/AppAuth/sv/AAuthType", "BASIC"),
                        leaf(a + "/AppAuth/sv/AAuthName", "server"), leaf(a + "/AppAuth/sv/AAuthSecret", "srvpass")))
                .build();
        return SyncML.wbxml().encode(m);
    }

    @Test
    void a_card_bootstrap_creates_marked_accounts_connects_and_is_withdrawn_on_removal() throws Exception {
        start();
        CompletableFuture<SessionResult> ended = new CompletableFuture<>();
        device.client().bindListener(new SessionListener() {
            @Override
            public void sessionEnded(SessionResult result) {
                ended.complete(result);
            }
        });
        FakeServer s = new FakeServer();
        s.thenReply(c -> FakeServer.done(c, s));
        device.transport(s);

        BootstrapResult r = bootstrap.apply(BootstrapPackage.builder("card:8944001", message("card1", "op.example.com",
                DeviceRig.ADDRESS), MediaTypes.DM_WBXML).connect(true).build());

        assertThat(r.outcome()).as(r.detail()).isEqualTo(Outcome.APPLIED);
        assertThat(r.serverIds()).containsExactly("op.example.com");
        assertThat(device.accounts().byServerId("op.example.com")).isPresent();
        assertThat(bootstrap.origins()).containsEntry("op.example.com", "card:8944001");
        assertThat(ended.get(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(s.received.get(0).header().target().locUri()).isEqualTo(DeviceRig.ADDRESS);

        assertThat(bootstrap.withdraw("card:other")).isZero();
        assertThat(bootstrap.withdraw("card:8944001")).isEqualTo(1);
        assertThat(device.accounts().byServerId("op.example.com")).isEmpty();
        assertThat(bootstrap.origins()).isEmpty();
    }

    @Test
    void the_fingerprint_of_a_package_is_given_back_for_its_origin_until_it_is_withdrawn() throws Exception {
        start();
        assertThat(bootstrap.appliedFingerprint("card:1")).isEmpty();
        bootstrap.apply(BootstrapPackage.builder("card:1", message("card1", "op.example.com", DeviceRig.ADDRESS),
                MediaTypes.DM_WBXML).fingerprint("f1").build());
        bootstrap.apply(BootstrapPackage.builder("card:2", message("card2", "other.example.com", DeviceRig.ADDRESS),
                MediaTypes.DM_WBXML).build());

        assertThat(bootstrap.appliedFingerprint("card:1")).contains("f1");
        assertThat(bootstrap.appliedFingerprint("card:2")).as("applied without a fingerprint").isEmpty();
        assertThat(bootstrap.appliedFingerprint("card:3")).as("no accounts").isEmpty();

        bootstrap.apply(BootstrapPackage.builder("card:1", message("card1", "op.example.com", DeviceRig.ADDRESS),
                MediaTypes.DM_WBXML).fingerprint("f2").build());
        assertThat(bootstrap.appliedFingerprint("card:1")).contains("f2");

        bootstrap.withdraw("card:1");
        assertThat(bootstrap.appliedFingerprint("card:1")).isEmpty();
    }

    @Test
    void a_reconfigured_card_replaces_what_it_brought_and_leaves_other_accounts() throws Exception {
        start();
        device.basicAccount();
        bootstrap.apply(BootstrapPackage.builder("card:1", message("card1", "old.example.com", DeviceRig.ADDRESS),
                MediaTypes.DM_WBXML).build());

        BootstrapResult r = bootstrap.apply(BootstrapPackage.builder("card:1", message("card1", "new.example.com",
                DeviceRig.ADDRESS), MediaTypes.DM_WBXML).build());

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(bootstrap.origins()).containsOnly(Map.entry("new.example.com", "card:1"));
        assertThat(device.accounts().byServerId(DeviceRig.SERVER)).isPresent();
    }

    @Test
    void a_refused_confirmation_or_no_one_to_ask_applies_nothing() throws Exception {
        start();
        byte[] msg = message("card1", "op.example.com", DeviceRig.ADDRESS);
        BootstrapPackage ask = BootstrapPackage.builder("card:1", msg, MediaTypes.DM_WBXML).confirm(true, "Use it?").build();

        assertThat(bootstrap.apply(ask).outcome()).isEqualTo(Outcome.REFUSED_BY_USER);
        bootstrap.bindUserInteraction(p -> UserResponse.no(), Map.of());
        assertThat(bootstrap.apply(ask).outcome()).isEqualTo(Outcome.REFUSED_BY_USER);
        assertThat(device.system().exists(NodeUri.of("./DMAcc/card1"))).isFalse();

        // a lower-ranked UI bound later (a policy UI) is not asked while a higher-ranked one is there
        UserInteraction lower = p -> {
            throw new AssertionError("the lower-ranked UI was asked");
        };
        bootstrap.bindUserInteraction(p -> {
            assertThat(p.kind()).isEqualTo(UiAlertKind.CONFIRM);
            assertThat(p.text()).isEqualTo("Use it?");
            return UserResponse.yes();
        }, Map.of("service.ranking", 1));
        bootstrap.bindUserInteraction(lower, Map.of("service.ranking", -100));
        assertThat(bootstrap.apply(ask).outcome()).isEqualTo(Outcome.APPLIED);
    }

    @Test
    void a_bootstrap_the_tree_refuses_is_rolled_back_entirely() throws Exception {
        start();
        device.system().add(NodeUri.of("./DMAcc/card1/AppAuth/cl/AAuthName"), NodeValue.ofString("manual"));

        BootstrapResult r = bootstrap.apply(BootstrapPackage.builder("card:1", message("card1", "op.example.com",
                DeviceRig.ADDRESS), MediaTypes.DM_WBXML).build());

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.detail()).contains("418");
        assertThat(device.system().exists(NodeUri.of("./DMAcc/card1/ServerID"))).isFalse();
        assertThat(device.system().get(NodeUri.of("./DMAcc/card1/AppAuth/cl/AAuthName")).asString()).isEqualTo("manual");
    }

    @Test
    void a_pushed_bootstrap_needs_a_matching_hmac_sha1() throws Exception {
        start(".network.id", "262019876543210");
        byte[] msg = message("push1", "op.example.com", DeviceRig.ADDRESS);

        assertThat(bootstrap.apply(BootstrapPackage.builder("push:wap", msg, MediaTypes.DM_WBXML).build()).outcome())
                .isEqualTo(Outcome.BAD_MAC);
        String wrong = Bootstrapper.hmacSha1Hex("000000000000000", msg);
        assertThat(bootstrap.apply(BootstrapPackage.builder("push:wap", msg, MediaTypes.DM_WBXML)
                .security(new BootstrapPackage.Security("NETWORKID", wrong)).build()).outcome()).isEqualTo(Outcome.BAD_MAC);
        assertThat(device.system().exists(NodeUri.of("./DMAcc/push1"))).isFalse();

        String right = Bootstrapper.hmacSha1Hex("262019876543210", msg).toUpperCase();
        assertThat(bootstrap.apply(BootstrapPackage.builder("push:wap", msg, MediaTypes.DM_WBXML)
                .security(new BootstrapPackage.Security("NETWORKID", right)).build()).outcome()).isEqualTo(Outcome.APPLIED);
    }

    @Test
    void a_userpin_mac_is_checked_with_the_pin_the_user_types() throws Exception {
        start();
        byte[] msg = message("pin1", "op.example.com", DeviceRig.ADDRESS);
        BootstrapPackage p = BootstrapPackage.builder("push:wap", msg, MediaTypes.DM_WBXML)
                .security(new BootstrapPackage.Security("USERPIN", Bootstrapper.hmacSha1Hex("1234", msg))).build();

        assertThat(bootstrap.apply(p).outcome()).as("no one to ask").isEqualTo(Outcome.BAD_MAC);
        bootstrap.bindUserInteraction(prompt -> {
            assertThat(prompt.echo()).isEqualTo(UserPrompt.Echo.PASSWORD);
            return UserResponse.text("1234");
        }, Map.of());
        assertThat(bootstrap.apply(p).outcome()).isEqualTo(Outcome.APPLIED);
    }

    @Test
    void garbage_or_a_message_without_add_is_invalid() throws Exception {
        start();
        assertThat(bootstrap.apply(BootstrapPackage.builder("file:x", new byte[] {1, 2, 3}, MediaTypes.DM_WBXML).build())
                .outcome()).isEqualTo(Outcome.INVALID);
        SyncMessage empty = SyncMessage.builder(SyncHeader.builder().sessionId("0").msgId("1").target("a").source("b")
                .build()).add(org.cardinaldm.syncml.api.model.Get.of("1", Item.target("./DevInfo"))).build();
        assertThat(bootstrap.apply(BootstrapPackage.builder("file:x", SyncML.xml().encode(empty), MediaTypes.DM_XML)
                .build()).outcome()).isEqualTo(Outcome.INVALID);
        assertThat(List.of(bootstrap.origins())).containsExactly(Map.of());
    }
}
