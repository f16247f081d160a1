package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.client.internal.SessionEngineTest.headerStatus;
import static org.cardinaldm.client.internal.SessionEngineTest.item;
import static org.cardinaldm.client.internal.SessionEngineTest.statusFor;
import static org.cardinaldm.client.internal.SessionEngineTest.statusesFor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.spi.transport.TransportException;
import org.cardinaldm.api.spi.transport.TransportResponse;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Delete;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Sequence;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Atomic, Sequence, multi-message packages, large objects, RespURI, abort. */
class SessionFlowTest {
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

    /** A server package 2 answering package 1 with the given commands, Final. */
    private static SyncMessage pkg2(FakeServer s, SyncMessage c, Command... commands) {
        SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
        FakeServer.statuses(c, b, StatusCodes.OK);
        for (Command x : commands) {
            b.add(x);
        }
        return b.build();
    }

    @ParameterizedTest(name = "xml={0}")
    @ValueSource(booleans = {false, true})
    void a_failing_atomic_is_rolled_back_and_reported_507_with_216_and_215(boolean xml) throws Exception {
        DeviceRig d = device(xml);
        d.system().add(NodeUri.of("./Keep"), NodeValue.ofString("original"));
        FakeServer s = server(xml);
        s.thenReply(c -> pkg2(s, c, new Atomic("20", false, null, List.of(
                Add.of("21", item("./New", "chr", "n")),
                Replace.of("22", item("./Keep", "chr", "changed")),
                Delete.of("23", Item.target("./Missing")),
                Add.of("24", item("./Never", "chr", "x"))))))
                .thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        SyncMessage pkg3 = s.received.get(1);
        assertThat(statusFor(pkg3, "20").code()).isEqualTo(StatusCodes.ATOMIC_FAILED);
        assertThat(statusFor(pkg3, "21").code()).isEqualTo(StatusCodes.ATOMIC_ROLL_BACK_OK);
        assertThat(statusFor(pkg3, "22").code()).isEqualTo(StatusCodes.ATOMIC_ROLL_BACK_OK);
        assertThat(statusFor(pkg3, "23").code()).isEqualTo(StatusCodes.NOT_FOUND);
        assertThat(statusFor(pkg3, "24").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(d.system().exists(NodeUri.of("./New"))).isFalse();
        assertThat(d.system().get(NodeUri.of("./Keep")).asString()).isEqualTo("original");
        List<Command> cmds = pkg3.commands();
        assertThat(cmds.indexOf(statusFor(pkg3, "20"))).isLessThan(cmds.indexOf(statusFor(pkg3, "21")));
    }

    @ParameterizedTest(name = "xml={0}")
    @ValueSource(booleans = {false, true})
    void an_atomic_commits_everything_and_refuses_a_get_inside_it(boolean xml) throws Exception {
        DeviceRig d = device(xml);
        FakeServer s = server(xml);
        s.thenReply(c -> pkg2(s, c,
                new Atomic("30", false, null, List.of(Add.of("31", item("./A1", "chr", "1")),
                        Add.of("32", item("./A2", "chr", "2")))),
                new Atomic("40", false, null, List.of(Add.of("41", item("./B1", "chr", "1")),
                        Get.of("42", Item.target("./A1"))))))
                .thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        SyncMessage pkg3 = s.received.get(1);
        assertThat(statusFor(pkg3, "30").code()).isEqualTo(200);
        assertThat(statusFor(pkg3, "31").code()).isEqualTo(200);
        assertThat(statusFor(pkg3, "32").code()).isEqualTo(200);
        assertThat(d.system().get(NodeUri.of("./A2")).asString()).isEqualTo("2");
        assertThat(statusFor(pkg3, "40").code()).isEqualTo(StatusCodes.ATOMIC_FAILED);
        assertThat(statusFor(pkg3, "41").code()).isEqualTo(StatusCodes.ATOMIC_ROLL_BACK_OK);
        assertThat(statusFor(pkg3, "42").code()).isEqualTo(StatusCodes.COMMAND_FAILED);
        assertThat(d.system().exists(NodeUri.of("./B1"))).isFalse();
    }

    @Test
    void a_sequence_stops_with_215_after_the_user_refuses_a_confirm() throws Exception {
        DeviceRig d = device(false);
        d.ui(p -> UserResponse.no());
        FakeServer s = server(false);
        s.thenReply(c -> pkg2(s, c, new Sequence("50", false, null, List.of(
                Add.of("51", item("./S1", "chr", "1")),
                Alert.of("52", AlertCodes.CONFIRM_OR_REJECT, Item.data(org.cardinaldm.syncml.api.model.Data.text("")),
                        Item.data(org.cardinaldm.syncml.api.model.Data.text("Go on?"))),
                Add.of("53", item("./S2", "chr", "2"))))))
                .thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        SyncMessage pkg3 = s.received.get(1);
        assertThat(statusFor(pkg3, "50").code()).isEqualTo(200);
        assertThat(statusFor(pkg3, "51").code()).isEqualTo(200);
        assertThat(statusFor(pkg3, "52").code()).isEqualTo(StatusCodes.NOT_MODIFIED);
        assertThat(statusFor(pkg3, "53").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(d.system().exists(NodeUri.of("./S1"))).isTrue();
        assertThat(d.system().exists(NodeUri.of("./S2"))).isFalse();
    }

    @Test
    void a_confirm_refused_inside_an_atomic_rolls_it_back() throws Exception {
        DeviceRig d = device(true);
        d.ui(p -> UserResponse.no());
        FakeServer s = server(true);
        s.thenReply(c -> pkg2(s, c, new Atomic("60", false, null, List.of(
                Add.of("61", item("./T1", "chr", "1")),
                Alert.of("62", AlertCodes.CONFIRM_OR_REJECT, Item.data(org.cardinaldm.syncml.api.model.Data.text("")),
                        Item.data(org.cardinaldm.syncml.api.model.Data.text("Sure?")))))))
                .thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        SyncMessage pkg3 = s.received.get(1);
        assertThat(statusFor(pkg3, "60").code()).isEqualTo(StatusCodes.ATOMIC_FAILED);
        assertThat(statusFor(pkg3, "61").code()).isEqualTo(StatusCodes.ATOMIC_ROLL_BACK_OK);
        assertThat(statusFor(pkg3, "62").code()).isEqualTo(StatusCodes.NOT_MODIFIED);
        assertThat(d.system().exists(NodeUri.of("./T1"))).isFalse();
    }

    @Test
    void a_user_cancel_at_top_level_skips_the_rest_of_the_package() throws Exception {
        DeviceRig d = device(false);
        d.ui(p -> UserResponse.cancelled());
        FakeServer s = server(false);
        s.thenReply(c -> pkg2(s, c,
                Alert.of("70", AlertCodes.DISPLAY, Item.data(org.cardinaldm.syncml.api.model.Data.text("MINDT=1")),
                        Item.data(org.cardinaldm.syncml.api.model.Data.text("Hello"))),
                Add.of("71", item("./U1", "chr", "1"))))
                .thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        assertThat(statusFor(s.received.get(1), "70").code()).isEqualTo(StatusCodes.OPERATION_CANCELLED);
        assertThat(statusFor(s.received.get(1), "71").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(d.system().exists(NodeUri.of("./U1"))).isFalse();
    }

    @ParameterizedTest(name = "xml={0}")
    @ValueSource(booleans = {false, true})
    void a_multi_message_server_package_is_answered_with_1222_until_its_final_message(boolean xml) throws Exception {
        DeviceRig d = device(xml);
        FakeServer s = server(xml);
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of(b.nextCmdId(), item("./M1", "chr", "1")));
            return b.isFinal(false).build();
        }).thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.OK);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("9", item("./M2", "chr", "2")));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        SyncMessage answerToFirst = s.received.get(1);
        assertThat(answerToFirst.isFinal()).isFalse();
        assertThat(answerToFirst.commands()).anyMatch(c -> c instanceof Alert a && a.code() == AlertCodes.NEXT_MESSAGE);
        SyncMessage pkg3 = s.received.get(2);
        assertThat(pkg3.isFinal()).isTrue();
        assertThat(pkg3.commands()).noneMatch(c -> c instanceof Alert);
        assertThat(statusFor(pkg3, "9").code()).isEqualTo(200);
        assertThat(pkg3.header().msgId()).isEqualTo("3");
        assertThat(d.system().exists(NodeUri.of("./M2"))).isTrue();
    }

    @ParameterizedTest(name = "xml={0}")
    @ValueSource(booleans = {false, true})
    void replies_that_exceed_the_servers_max_msg_size_are_split_over_messages(boolean xml) throws Exception {
        DeviceRig d = device(xml);
        for (int i = 0; i < 40; i++) {
            d.system().add(NodeUri.of("./Many/N" + i), NodeValue.ofString("value number " + i + " ".repeat(20)));
        }
        FakeServer s = server(xml);
        s.thenReply(c -> {
            SyncMessage.Builder b = SyncMessage.builder(s.header(c).meta(FakeServer.limits(2000, 100_000)).build());
            b.add(Status.builder().cmdId(b.nextCmdId()).msgRef("1").answeringHeader().code(212).build());
            FakeServer.statuses(c, b, StatusCodes.OK);
            for (int i = 0; i < 40; i++) {
                b.add(Get.of("g" + i, Item.target("./Many/N" + i)));
            }
            return b.build();
        });
        int[] rounds = {0};
        for (int k = 0; k < 20; k++) {
            s.then((c, req, srv) -> {
                assertThat(req.bodyLength()).isLessThanOrEqualTo(2000);
                rounds[0]++;
                if (c.isFinal()) {
                    return srv.encode(FakeServer.done(c, srv));
                }
                SyncMessage.Builder b = srv.reply(c, StatusCodes.OK);
                b.add(Alert.of(b.nextCmdId(), AlertCodes.NEXT_MESSAGE));
                return srv.encode(b.isFinal(false).build());
            });
        }
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(rounds[0]).isGreaterThan(1);
        long results = s.received.stream().flatMap(m -> m.commands().stream()).filter(c -> c instanceof Results).count();
        assertThat(results).isEqualTo(40);
        assertThat(s.received.subList(1, s.received.size() - 1)).allMatch(m -> !m.isFinal());
        assertThat(s.received.get(s.received.size() - 1).isFinal()).isTrue();
    }

    @ParameterizedTest(name = "xml={0}")
    @ValueSource(booleans = {false, true})
    void a_large_object_from_the_server_is_reassembled_before_it_is_applied(boolean xml) throws Exception {
        DeviceRig d = device(xml);
        String whole = "0123456789abcdefghij".repeat(5);
        d.system().add(NodeUri.of("./Big"), NodeValue.ofString("before"));
        FakeServer s = server(xml);
        s.thenReply(c -> pkg2Chunk(s, c, true, whole.substring(0, 40), 100L, true))
                .thenReply(c -> chunk(s, c, whole.substring(40, 80), null, true))
                .thenReply(c -> chunk(s, c, whole.substring(80), null, false))
                .thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(statusFor(s.received.get(1), "80").code()).isEqualTo(StatusCodes.CHUNKED_ITEM_ACCEPTED);
        assertThat(s.received.get(1).commands()).anyMatch(c -> c instanceof Alert a && a.code() == 1222);
        assertThat(statusFor(s.received.get(2), "80").code()).isEqualTo(StatusCodes.CHUNKED_ITEM_ACCEPTED);
        assertThat(statusFor(s.received.get(3), "80").code()).isEqualTo(200);
        assertThat(d.system().get(NodeUri.of("./Big")).asString()).isEqualTo(whole);
    }

    private static SyncMessage pkg2Chunk(FakeServer s, SyncMessage c, boolean first, String data, Long size,
            boolean more) {
        SyncMessage.Builder b = s.reply(c, first ? StatusCodes.AUTHENTICATION_ACCEPTED : StatusCodes.OK);
        FakeServer.statuses(c, b, StatusCodes.OK);
        Meta meta = Meta.builder().format("chr").type("text/plain").size(size).build();
        b.add(Replace.of("80", Item.builder().target("./Big").meta(meta).data(data).moreData(more).build()));
        return b.isFinal(!more).build();
    }

    private static SyncMessage chunk(FakeServer s, SyncMessage c, String data, Long size, boolean more) {
        return pkg2Chunk(s, c, false, data, size, more);
    }

    @Test
    void a_large_object_whose_size_does_not_match_gets_424_and_is_not_applied() throws Exception {
        DeviceRig d = device(false);
        d.system().add(NodeUri.of("./Big"), NodeValue.ofString("before"));
        FakeServer s = server(false);
        s.thenReply(c -> pkg2Chunk(s, c, true, "x".repeat(40), 100L, true))
                .thenReply(c -> chunk(s, c, "y".repeat(10), null, false))
                .thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        assertThat(statusFor(s.received.get(2), "80").code()).isEqualTo(StatusCodes.SIZE_MISMATCH);
        assertThat(d.system().get(NodeUri.of("./Big")).asString()).isEqualTo("before");
    }

    @Test
    void a_large_object_interrupted_by_another_command_is_dropped_with_alert_1225() throws Exception {
        DeviceRig d = device(false);
        d.system().add(NodeUri.of("./Big"), NodeValue.ofString("before"));
        FakeServer s = server(false);
        s.thenReply(c -> pkg2Chunk(s, c, true, "x".repeat(40), 100L, true))
                .thenReply(c -> {
                    SyncMessage.Builder b = s.reply(c, StatusCodes.OK);
                    FakeServer.statuses(c, b, StatusCodes.OK);
                    b.add(Add.of("90", item("./Other", "chr", "o")));
                    return b.build();
                })
                .thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        SyncMessage answer = s.received.get(2);
        assertThat(answer.commands()).anySatisfy(c -> assertThat(c).isInstanceOfSatisfying(Alert.class, a -> {
            assertThat(a.code()).isEqualTo(AlertCodes.NO_END_OF_DATA);
            assertThat(a.items().get(0).target().locUri()).isEqualTo("./Big");
        }));
        assertThat(statusFor(answer, "90").code()).isEqualTo(200);
        assertThat(d.system().get(NodeUri.of("./Big")).asString()).isEqualTo("before");
    }

    @Test
    void a_large_object_over_max_obj_size_gets_413_and_a_first_chunk_without_size_412() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).settings(Settings.DEFAULT.withLimits(4096, 64)).build();
        d.basicAccount();
        FakeServer s = server(false);
        s.thenReply(c -> pkg2Chunk(s, c, true, "x".repeat(40), 100L, true))
                .thenReply(c -> chunk(s, c, "y".repeat(60), null, false))
                .thenReply(c -> {
                    SyncMessage.Builder b = s.reply(c, StatusCodes.OK);
                    FakeServer.statuses(c, b, StatusCodes.OK);
                    b.add(Replace.of("95", Item.builder().target("./NoSize").meta(Meta.of("chr", null)).data("abc")
                            .moreData(true).build()));
                    return b.build();
                })
                .thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        assertThat(statusFor(s.received.get(1), "80").code()).isEqualTo(StatusCodes.REQUEST_ENTITY_TOO_LARGE);
        assertThat(statusFor(s.received.get(2), "80").code()).isEqualTo(StatusCodes.REQUEST_ENTITY_TOO_LARGE);
        assertThat(statusFor(s.received.get(3), "95").code()).isEqualTo(StatusCodes.INCOMPLETE_COMMAND);
        assertThat(d.system().exists(NodeUri.of("./Big"))).isFalse();
    }

    @ParameterizedTest(name = "xml={0}")
    @ValueSource(booleans = {false, true})
    void a_large_result_is_sent_in_chunks_with_the_size_in_the_first_only(boolean xml) throws Exception {
        DeviceRig d = device(xml);
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            big.append("line ").append(i).append('\n');
        }
        d.system().add(NodeUri.of("./Log"), NodeValue.ofString(big.toString()));
        FakeServer s = server(xml);
        s.thenReply(c -> {
            SyncMessage.Builder b = SyncMessage.builder(s.header(c).meta(FakeServer.limits(1500, 1_000_000)).build());
            b.add(Status.builder().cmdId(b.nextCmdId()).msgRef("1").answeringHeader().code(212).build());
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Get.of("7", Item.target("./Log")));
            return b.build();
        });
        for (int k = 0; k < 30; k++) {
            s.then((c, req, srv) -> {
                assertThat(req.bodyLength()).isLessThanOrEqualTo(1500);
                if (c.isFinal()) {
                    return srv.encode(FakeServer.done(c, srv));
                }
                SyncMessage.Builder b = srv.reply(c, StatusCodes.OK);
                FakeServer.statuses(c, b, StatusCodes.CHUNKED_ITEM_ACCEPTED);
                b.add(Alert.of(b.nextCmdId(), AlertCodes.NEXT_MESSAGE));
                return srv.encode(b.isFinal(false).build());
            });
        }
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        List<Item> chunks = s.received.stream().flatMap(m -> m.commands().stream()).filter(c -> c instanceof Results)
                .map(c -> ((Results) c).items().get(0)).toList();
        assertThat(chunks.size()).isGreaterThan(2);
        assertThat(chunks.get(0).meta().size()).isEqualTo((long) big.toString().getBytes(StandardCharsets.UTF_8).length);
        assertThat(chunks.subList(1, chunks.size())).allMatch(i -> i.meta().size() == null);
        assertThat(chunks.subList(0, chunks.size() - 1)).allMatch(Item::moreData);
        assertThat(chunks.get(chunks.size() - 1).moreData()).isFalse();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        chunks.forEach(i -> joined.writeBytes(i.data().asBytes()));
        assertThat(joined.toString(StandardCharsets.UTF_8)).isEqualTo(big.toString());
    }

    @Test
    void alert_1225_from_the_server_drops_the_rest_of_a_large_result() throws Exception {
        DeviceRig d = device(false);
        d.system().add(NodeUri.of("./Log"), NodeValue.ofString("z".repeat(5000)));
        FakeServer s = server(false);
        s.thenReply(c -> {
            SyncMessage.Builder b = SyncMessage.builder(s.header(c).meta(FakeServer.limits(1500, 1_000_000)).build());
            b.add(Status.builder().cmdId(b.nextCmdId()).msgRef("1").answeringHeader().code(212).build());
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Get.of("7", Item.target("./Log")));
            return b.build();
        }).thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.OK);
            FakeServer.statuses(c, b, StatusCodes.CHUNKED_ITEM_ACCEPTED);
            b.add(Alert.of(b.nextCmdId(), AlertCodes.NO_END_OF_DATA));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(s.received).hasSize(3);
        assertThat(s.received.get(2).commands()).noneMatch(c -> c instanceof Results);
        assertThat(s.received.get(2).isFinal()).isTrue();
    }

    @Test
    void a_result_larger_than_the_servers_max_obj_size_is_refused_with_413() throws Exception {
        DeviceRig d = device(false);
        d.system().add(NodeUri.of("./Log"), NodeValue.ofString("z".repeat(500)));
        FakeServer s = server(false);
        s.thenReply(c -> {
            SyncMessage.Builder b = SyncMessage.builder(s.header(c).meta(FakeServer.limits(10_000, 100)).build());
            b.add(Status.builder().cmdId(b.nextCmdId()).msgRef("1").answeringHeader().code(212).build());
            b.add(Get.of("7", Item.target("./Log")));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(statusFor(s.received.get(1), "7").code()).isEqualTo(StatusCodes.REQUEST_ENTITY_TOO_LARGE);
        assertThat(s.received.get(1).commands()).noneMatch(c -> c instanceof Results);
    }

    @Test
    void the_next_message_goes_to_the_resp_uri() throws Exception {
        DeviceRig d = device(false);
        FakeServer s = server(false);
        s.thenReply(c -> {
            SyncMessage.Builder b = SyncMessage.builder(s.header(c).respUri("http://127.0.0.1:8080/dm/s?id=42").build());
            b.add(Status.builder().cmdId(b.nextCmdId()).msgRef("1").answeringHeader().code(212).build());
            b.add(Add.of("5", item("./R", "chr", "r")));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(s.requests.get(1).uri().toString()).isEqualTo("http://127.0.0.1:8080/dm/s?id=42");
    }

    @Test
    void a_server_abort_ends_the_session_without_an_answer() throws Exception {
        DeviceRig d = device(false);
        FakeServer s = server(false);
        s.thenReply(c -> pkg2(s, c, Alert.of("5", AlertCodes.SESSION_ABORT), Add.of("6", item("./X", "chr", "x"))));
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).isEqualTo(SessionOutcome.ABORTED_BY_SERVER);
        assertThat(s.received).hasSize(1);
        assertThat(d.system().exists(NodeUri.of("./X"))).isFalse();
    }

    @Test
    void retry_back_off_doubles_up_to_its_maximum_and_a_transient_failure_is_survived() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).settings(Settings.DEFAULT.withRetries(4, Duration.ofSeconds(2), Duration.ofSeconds(5))).build();
        d.basicAccount();
        FakeServer s = server(false);
        for (int i = 0; i < 3; i++) {
            s.then((c, req, srv) -> {
                throw new TransportException(TransportException.Reason.UNREACHABLE, "refused");
            });
        }
        s.thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(d.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5));
        assertThat(s.received).hasSize(4).allMatch(m -> m.header().msgId().equals("1"));
    }

    static TransportResponse garbage(byte[] bytes) {
        return TransportResponse.of(MediaTypes.DM_WBXML, bytes, java.util.Map.of());
    }
}
