package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Copy;
import org.cardinaldm.syncml.api.model.Delete;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The session engine against a scripted server, in both encodings. */
class SessionEngineTest {
    @TempDir
    Path dir;

    private DeviceRig device(boolean xml) throws Exception {
        DeviceRig d = DeviceRig.builder(dir).settings(Settings.DEFAULT.withWbxml(!xml)).build();
        d.basicAccount();
        return d;
    }

    private static FakeServer server(boolean xml) {
        FakeServer s = new FakeServer();
        s.xml = xml;
        return s;
    }

    static List<Status> statuses(SyncMessage m) {
        return m.commands().stream().filter(c -> c instanceof Status).map(c -> (Status) c).collect(Collectors.toList());
    }

    static Status statusFor(SyncMessage m, String cmdRef) {
        return statuses(m).stream().filter(s -> s.cmdRef().equals(cmdRef) && !s.cmd().equals("SyncHdr")).findFirst()
                .orElseThrow(() -> new AssertionError("no Status for CmdRef " + cmdRef + " in " + m.commands()));
    }

    static List<Status> statusesFor(SyncMessage m, String cmdRef) {
        return statuses(m).stream().filter(s -> s.cmdRef().equals(cmdRef) && !s.cmd().equals("SyncHdr")).toList();
    }

    static Status headerStatus(SyncMessage m) {
        return statuses(m).stream().filter(s -> s.cmd().equals("SyncHdr")).findFirst().orElseThrow();
    }

    static Item item(String target, String format, String data) {
        return Item.builder().target(target).meta(Meta.of(format, "text/plain")).data(data).build();
    }

    @ParameterizedTest(name = "xml={0}")
    @ValueSource(booleans = {false, true})
    void client_initiated_session_sends_package_1_and_ends_on_a_final_package_without_commands(boolean xml)
            throws Exception {
        DeviceRig d = device(xml);
        FakeServer s = server(xml);
        s.thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(r.messagesSent()).isEqualTo(1);
        SyncMessage pkg1 = s.received.get(0);
        assertThat(pkg1.isFinal()).isTrue();
        assertThat(pkg1.header().verDtd()).isEqualTo("1.2");
        assertThat(pkg1.header().verProto()).isEqualTo("DM/1.2");
        assertThat(pkg1.header().sessionId()).isEqualTo("1A2B");
        assertThat(pkg1.header().msgId()).isEqualTo("1");
        assertThat(pkg1.header().source().locUri()).isEqualTo(DeviceRig.DEV_ID);
        assertThat(pkg1.header().target().locUri()).isEqualTo(DeviceRig.ADDRESS);
        assertThat(pkg1.header().meta().maxMsgSize()).isEqualTo(65_536L);
        assertThat(pkg1.header().cred().meta().type()).isEqualTo("syncml:auth-basic");
        assertThat(pkg1.commands().get(0)).isInstanceOfSatisfying(Alert.class,
                a -> assertThat(a.code()).isEqualTo(AlertCodes.CLIENT_INITIATED_MGMT));
        Replace devInfo = (Replace) pkg1.commands().get(1);
        assertThat(devInfo.items()).extracting(i -> i.source().locUri()).contains("./DevInfo/DevId", "./DevInfo/Man",
                "./DevInfo/Mod", "./DevInfo/DmV", "./DevInfo/Lang");
        assertThat(devInfo.items()).filteredOn(i -> i.source().locUri().equals("./DevInfo/DevId"))
                .extracting(i -> i.data().asText()).containsExactly(DeviceRig.DEV_ID);
        assertThat(s.requests.get(0).uri().toString()).isEqualTo(DeviceRig.ADDRESS);
    }

    @ParameterizedTest(name = "xml={0}")
    @ValueSource(booleans = {false, true})
    void server_commands_run_on_the_tree_as_that_server_with_a_status_each_and_results_after_their_status(boolean xml)
            throws Exception {
        DeviceRig d = device(xml);
        d.system().add(NodeUri.of("./Src/Leaf"), NodeValue.ofString("copied"));
        FakeServer s = server(xml);
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("10", Item.builder().target("./App").meta(Meta.of("node", null)).build()));
            b.add(Add.of("11", item("./App/Name", "chr", "gateway"), item("./App/Count", "int", "42")));
            b.add(Replace.of("12", item("./App/Name", "chr", "renamed")));
            b.add(Get.of("13", Item.target("./App/Name"), Item.target("./App")));
            b.add(Get.of("14", Item.target("./Nowhere")));
            b.add(Copy.of("15", Item.builder().target("./App/Copy").source("./Src/Leaf").build()));
            b.add(Delete.of("16", Item.target("./App/Count")));
            b.add(Exec.of("17", Item.target("./App/Name")));
            b.add(Add.of("18", item("./App/Name", "chr", "again")));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        SyncMessage pkg3 = s.received.get(1);
        assertThat(headerStatus(pkg3).code()).isEqualTo(StatusCodes.AUTHENTICATION_ACCEPTED);
        assertThat(headerStatus(pkg3).msgRef()).isEqualTo("1");
        assertThat(statusFor(pkg3, "10").code()).isEqualTo(200);
        assertThat(statusesFor(pkg3, "11")).extracting(Status::code).containsExactly(200, 200);
        assertThat(statusesFor(pkg3, "11")).extracting(st -> st.targetRefs().get(0))
                .containsExactly("./App/Name", "./App/Count");
        assertThat(statusFor(pkg3, "12").code()).isEqualTo(200);
        assertThat(statusesFor(pkg3, "13")).extracting(Status::code).containsExactly(200, 200);
        assertThat(statusFor(pkg3, "14").code()).isEqualTo(404);
        assertThat(statusFor(pkg3, "15").code()).isEqualTo(200);
        assertThat(statusFor(pkg3, "16").code()).isEqualTo(200);
        assertThat(statusFor(pkg3, "17").code()).isEqualTo(405);
        assertThat(statusFor(pkg3, "18").code()).isEqualTo(418);
        List<Command> cmds = pkg3.commands();
        List<Results> results = cmds.stream().filter(c -> c instanceof Results).map(c -> (Results) c).toList();
        assertThat(results).hasSize(2);
        assertThat(results.get(0).items().get(0).source().locUri()).isEqualTo("./App/Name");
        assertThat(results.get(0).items().get(0).data().asText()).isEqualTo("renamed");
        assertThat(results.get(0).cmdRef()).isEqualTo("13");
        assertThat(results.get(1).items().get(0).meta().format()).isEqualTo("node");
        assertThat(results.get(1).items().get(0).data().asText()).isEqualTo("Count/Name");
        int firstStatusOf13 = cmds.indexOf(statusesFor(pkg3, "13").get(0));
        assertThat(cmds.indexOf(results.get(0))).isGreaterThan(firstStatusOf13);
        assertThat(pkg3.isFinal()).isTrue();
        assertThat(d.system().get(NodeUri.of("./App/Name")).asString()).isEqualTo("renamed");
        assertThat(d.system().get(NodeUri.of("./App/Copy")).asString()).isEqualTo("copied");
        assertThat(d.system().exists(NodeUri.of("./App/Count"))).isFalse();
        assertThat(r.commandsExecuted()).isEqualTo(11);
        assertThat(r.commandsFailed()).isEqualTo(3);
        assertThat(r.messagesSent()).isEqualTo(2);
    }

    @ParameterizedTest(name = "xml={0}")
    @ValueSource(booleans = {false, true})
    void binary_values_round_trip_and_are_base64_in_xml(boolean xml) throws Exception {
        DeviceRig d = device(xml);
        byte[] bytes = {0, 1, 2, (byte) 0xFF, 10};
        d.system().add(NodeUri.of("./Bin"), NodeValue.ofBinary(bytes, "application/octet-stream"));
        FakeServer s = server(xml);
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Get.of("5", Item.target("./Bin")));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        Results res = (Results) s.received.get(1).commands().stream().filter(c -> c instanceof Results).findFirst()
                .orElseThrow();
        Item i = res.items().get(0);
        if (xml) {
            assertThat(i.meta().format()).isEqualTo(Format.B64.token());
            assertThat(java.util.Base64.getDecoder().decode(i.data().asText())).containsExactly(bytes);
        } else {
            assertThat(i.meta().format()).isEqualTo(Format.BIN.token());
            assertThat(i.data().asBytes()).containsExactly(bytes);
        }
        assertThat(i.meta().type()).isEqualTo("application/octet-stream");
    }

    @ParameterizedTest(name = "xml={0}")
    @ValueSource(booleans = {false, true})
    void a_server_without_rights_gets_425_and_the_tree_is_unchanged(boolean xml) throws Exception {
        DeviceRig d = device(xml);
        d.system().add(NodeUri.of("./Locked"), NodeValue.interior());
        d.system().setProperty(NodeUri.of("./Locked"), org.cardinaldm.api.Property.ACL, "Get=other.server");
        FakeServer s = server(xml);
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("5", item("./Locked/X", "chr", "x")));
            b.add(Get.of("6", Item.target("./Locked")));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        assertThat(statusFor(s.received.get(1), "5").code()).isEqualTo(425);
        assertThat(statusFor(s.received.get(1), "6").code()).isEqualTo(425);
        assertThat(s.received.get(1).commands()).noneMatch(c -> c instanceof Results);
        assertThat(d.system().exists(NodeUri.of("./Locked/X"))).isFalse();
    }

    @ParameterizedTest(name = "xml={0}")
    @ValueSource(booleans = {false, true})
    void property_and_list_gets_answer_with_the_right_items(boolean xml) throws Exception {
        DeviceRig d = device(xml);
        d.system().add(NodeUri.of("./T/A"), NodeValue.ofString("alpha"));
        d.system().add(NodeUri.of("./T/B/C"), NodeValue.ofInt(3));
        FakeServer s = server(xml);
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Get.of("5", Item.target("./T/A?prop=Format")));
            b.add(Get.of("6", Item.target("./T?list=Struct")));
            b.add(Get.of("7", Item.target("./T?list=StructData")));
            b.add(Get.of("8", Item.target("./T?list=TNDS+Format+Value")));
            b.add(Get.of("9", Item.target("./T?list=Bogus")));
            b.add(Replace.of("10", item("./T/A?prop=Title", "chr", "the A")));
            b.add(Get.of("11", Item.target("./T/A?prop=Title")));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        SyncMessage pkg3 = s.received.get(1);
        List<Results> results = pkg3.commands().stream().filter(c -> c instanceof Results).map(c -> (Results) c)
                .toList();
        assertThat(statusFor(pkg3, "5").code()).isEqualTo(200);
        assertThat(results.get(0).items().get(0).data().asText()).isEqualTo("chr");
        assertThat(results.get(1).items()).extracting(i -> i.source().locUri())
                .containsExactly("./T", "./T/A", "./T/B", "./T/B/C");
        assertThat(results.get(1).items()).allMatch(i -> i.data() == null || i.data().asText().isEmpty());
        assertThat(results.get(2).items()).filteredOn(i -> i.source().locUri().equals("./T/A"))
                .extracting(i -> i.data().asText()).containsExactly("alpha");
        assertThat(results.get(3).items().get(0).meta().type()).isEqualTo("application/vnd.syncml.dmtnds+xml");
        assertThat(results.get(3).items().get(0).data()).isInstanceOf(org.cardinaldm.syncml.api.model.Data.Xml.class);
        assertThat(results.get(3).items().get(0).data().toString()).contains("name=MgmtTree").contains("text=alpha");
        assertThat(statusFor(pkg3, "9").code()).isEqualTo(406);
        assertThat(statusFor(pkg3, "10").code()).isEqualTo(200);
        assertThat(results.get(4).items().get(0).data().asText()).isEqualTo("the A");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
