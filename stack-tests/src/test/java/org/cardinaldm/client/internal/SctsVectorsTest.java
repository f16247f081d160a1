package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.client.internal.SessionEngineTest.headerStatus;
import static org.cardinaldm.client.internal.SessionEngineTest.statusFor;
import static org.cardinaldm.client.internal.SessionEngineTest.statusesFor;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.spi.transport.TransportResponse;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.internal.ui.PolicyUserInteraction;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.util.converter.Converters;

/**
 * The SCTS captures (vectors/scts-dm12) fed to the engine as the server's package 2 of a
 * server-initiated session with their SessionID: each gets a sensible package 3, never a crash.
 */
class SctsVectorsTest {
    @TempDir
    Path dir;

    private static byte[] vector(String name) throws Exception {
        try (InputStream in = SctsVectorsTest.class.getResourceAsStream("/" + name)) {
            return in.readAllBytes();
        }
    }

    /** Runs one vector; returns the client's answer to it (package 3). */
    private SyncMessage run(String name, String[] srvcred, DeviceRig d) throws Exception {
        return run(name, srvcred, d, SessionOutcome.COMPLETED);
    }

    private SyncMessage run(String name, String[] srvcred, DeviceRig d, SessionOutcome expected) throws Exception {
        byte[] bytes = vector(name);
        SyncMessage v = SyncML.decode(bytes);
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"BASIC", "device", "devpass"}, srvcred);
        d.ui(new PolicyUserInteraction(Converters.standardConverter().convert(new HashMap<String, Object>())
                .to(PolicyUserInteraction.Config.class)));
        FakeServer s = new FakeServer();
        s.then((c, req, srv) -> TransportResponse.of(name.endsWith(".xml") ? MediaTypes.DM_XML : MediaTypes.DM_WBXML,
                bytes, Map.of()));
        for (int i = 0; i < 5; i++) {
            s.thenReply(c -> {
                SyncMessage.Builder b = SyncMessage.builder(srv(v, c, s));
                FakeServer.statuses(c, b, 200);
                return b.build();
            });
        }
        d.transport(s);

        SessionResult r = d.runServerInitiated(DeviceRig.SERVER, v.header().sessionId(), false);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(expected);
        SyncMessage pkg3 = s.received.get(1);
        assertThat(pkg3.header().sessionId()).isEqualTo(v.header().sessionId());
        assertThat(headerStatus(pkg3).msgRef()).isEqualTo(v.header().msgId());
        for (Command c : v.commands()) {
            if (!(c instanceof Status) && !(c instanceof Results)) {
                assertThat(statusesFor(pkg3, c.cmdId())).as("Status for %s %s", c.elementName(), c.cmdId()).isNotEmpty();
            }
        }
        assertThat(s.received.get(0).header().sessionId()).isEqualTo(v.header().sessionId());
        return pkg3;
    }

    private static org.cardinaldm.syncml.api.model.SyncHeader srv(SyncMessage v, SyncMessage c, FakeServer s) {
        return s.header(c).sessionId(v.header().sessionId()).cred(v.header().cred()).build();
    }

    private DeviceRig device(boolean serverAuthRequired) throws Exception {
        DeviceRig d = DeviceRig.builder(dir).settings(Settings.DEFAULT.withServerAuthRequired(serverAuthRequired)).build();
        d.system().add(NodeUri.of("./DevDetail/URI/MaxDepth"), NodeValue.ofString("0"));
        return d;
    }

    private static final String[] SCTS = {"BASIC", "Scts", "SampleClient"};

    @Test
    void testadd_adds_the_interior_node() throws Exception {
        DeviceRig d = device(true);
        SyncMessage pkg3 = run("scts-dm12/testadd.wbxml", SCTS, d);
        assertThat(headerStatus(pkg3).code()).isEqualTo(212);
        assertThat(statusFor(pkg3, "4").code()).isEqualTo(200);
        assertThat(d.system().describe(NodeUri.of("./TestLeafNode")).isInterior()).isTrue();
    }

    @Test
    void testget_answers_with_the_value_after_its_status() throws Exception {
        SyncMessage pkg3 = run("scts-dm12/testget.wbxml", SCTS, device(true));
        assertThat(statusFor(pkg3, "4").code()).isEqualTo(200);
        Results r = (Results) pkg3.commands().stream().filter(c -> c instanceof Results).findFirst().orElseThrow();
        assertThat(r.cmdRef()).isEqualTo("4");
        assertThat(r.items().get(0).source().locUri()).isEqualTo("./DevDetail/URI/MaxDepth");
        assertThat(r.items().get(0).data().asText()).isEqualTo("0");
    }

    @Test
    void testdelete_deletes_what_exists_and_reports_404_for_the_rest() throws Exception {
        DeviceRig d = device(true);
        d.system().add(NodeUri.of("./TestLeafNode"), NodeValue.interior());
        SyncMessage pkg3 = run("scts-dm12/testdelete.wbxml", SCTS, d);
        assertThat(statusFor(pkg3, "4").code()).isEqualTo(200);
        assertThat(statusFor(pkg3, "5").code()).isEqualTo(404);
        assertThat(d.system().exists(NodeUri.of("./TestLeafNode"))).isFalse();
    }

    @Test
    void testreplace_is_a_client_package_and_gets_406_and_412_not_a_crash() throws Exception {
        SyncMessage pkg3 = run("scts-dm12/testreplace.wbxml", new String[] {"BASIC", "SampleServer", "SampleServer"},
                device(true));
        assertThat(headerStatus(pkg3).code()).isEqualTo(212);
        assertThat(statusFor(pkg3, "1").code()).isEqualTo(406);
        assertThat(statusesFor(pkg3, "2")).hasSize(9).allMatch(s -> s.code() == 412);
    }

    @Test
    void a_vector_with_wrong_server_credentials_is_refused_with_401() throws Exception {
        DeviceRig d = device(true);
        SyncMessage pkg3 = run("scts-dm12/testadd.wbxml", new String[] {"BASIC", "Scts", "other"}, d,
                SessionOutcome.AUTHENTICATION_FAILED);
        assertThat(headerStatus(pkg3).code()).isEqualTo(401);
        assertThat(headerStatus(pkg3).chal()).isNotNull();
        assertThat(statusFor(pkg3, "4").code()).isEqualTo(401);
        assertThat(d.system().exists(NodeUri.of("./TestLeafNode"))).isFalse();
    }

    @Test
    void testnewdatatype_creates_reads_and_deletes_float_date_and_time_leaves() throws Exception {
        SyncMessage pkg3 = run("scts-dm12/testnewdatatype.xml", SCTS, device(true));
        for (int i = 1; i <= 14; i++) {
            assertThat(statusFor(pkg3, Integer.toString(i)).code()).as("CmdID %d", i).isEqualTo(200);
        }
        List<Results> results = pkg3.commands().stream().filter(c -> c instanceof Results).map(c -> (Results) c).toList();
        assertThat(results).extracting(r -> r.items().get(0).meta().format()).containsExactly("float", "date", "time");
        assertThat(results).extracting(r -> r.items().get(0).data().asText())
                .containsExactly("1.2345", "2005-345", "11:20:35+01:20");
    }

    @Test
    void testgetscript_returns_the_dev_id() throws Exception {
        SyncMessage pkg3 = run("scts-dm12/testgetscript.xml", null, device(false));
        assertThat(headerStatus(pkg3).code()).isEqualTo(200);
        Results r = (Results) pkg3.commands().stream().filter(c -> c instanceof Results).findFirst().orElseThrow();
        assertThat(r.items().get(0).data().asText()).isEqualTo(DeviceRig.DEV_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"scts-dm12/testexecscript.xml", "scts-dm12/testexecscript2.xml"})
    void exec_on_the_root_is_refused(String name) throws Exception {
        SyncMessage pkg3 = run(name, null, device(false));
        assertThat(statusFor(pkg3, "1").code()).isBetween(400, 499);
    }

    @Test
    void ui_alerts_are_answered_by_the_policy_from_their_default_responses() throws Exception {
        assertThat(statusFor(run("scts-dm12/testalertdisplay.xml", null, device(false)), "1").code()).isEqualTo(200);
        dir = dir.resolve("2");
        assertThat(statusFor(run("scts-dm12/testalertconfirm.xml", null, device(false)), "2").code()).isEqualTo(200);
        dir = dir.resolve("3");
        Status text = statusFor(run("scts-dm12/testalerttextinput.xml", null, device(false)), "1");
        assertThat(text.code()).isEqualTo(200);
        assertThat(text.items()).extracting(i -> i.data().asText()).containsExactly("hello andy!");
        dir = dir.resolve("4");
        Status single = statusFor(run("scts-dm12/testalertsinglechoice.xml", null, device(false)), "1");
        assertThat(single.items()).extracting(i -> i.data().asText()).containsExactly("2");
        dir = dir.resolve("5");
        Status multi = statusFor(run("scts-dm12/testalertmultiplechoice.xml", null, device(false)), "1");
        assertThat(multi.items()).extracting(i -> i.data().asText()).containsExactly("1", "2", "3", "6");
    }

    @Test
    void a_confirm_without_a_usable_default_inside_an_atomic_is_refused_and_rolls_it_back() throws Exception {
        DeviceRig d = device(false);
        d.system().add(NodeUri.of("./DevDetail/Bearer/GSM"), NodeValue.ofString("before"));
        SyncMessage pkg3 = run("scts-dm12/testalertconfirmatomic.xml", null, d);
        assertThat(statusFor(pkg3, "1").code()).isEqualTo(507);
        assertThat(statusFor(pkg3, "2").code()).isEqualTo(304);
        assertThat(statusFor(pkg3, "3").code()).isEqualTo(215);
        assertThat(d.system().get(NodeUri.of("./DevDetail/Bearer/GSM")).asString()).isEqualTo("before");
    }

    @ParameterizedTest
    @ValueSource(strings = {"testadd.wbxml", "testalertconfirm.xml", "testalertdisplay.xml", "testdelete.wbxml",
        "testexecscript.xml", "testget.wbxml", "testreplace.wbxml"})
    void dm_1_1_messages_end_the_session_with_a_clear_protocol_error(String name) throws Exception {
        DeviceRig d = device(false);
        byte[] bytes = vector("scts-dm11/" + name);
        SyncMessage v = SyncML.decode(bytes);
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"BASIC", "device", "devpass"}, null);
        FakeServer s = new FakeServer();
        s.then((c, req, srv) -> TransportResponse.of("", bytes, Map.of()));
        d.transport(s);

        SessionResult r = d.runServerInitiated(DeviceRig.SERVER, v.header().sessionId(), false);

        assertThat(r.outcome()).isEqualTo(SessionOutcome.PROTOCOL_ERROR);
        assertThat(r.detail()).contains("VerDTD 1.1");
    }
}
