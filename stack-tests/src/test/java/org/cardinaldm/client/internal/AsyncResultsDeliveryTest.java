package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.client.internal.SessionEngineTest.statusFor;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.api.spi.transport.TransportException;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.internal.alerts.AsyncResultsImpl;
import org.cardinaldm.server.api.AsyncReport;
import org.cardinaldm.server.internal.async.ResultCodes;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Asynchronous results on the device (issue 15, item 3): a plugin answers an Exec with 202 and reports later through
 * dm-client's AsyncResults; the report is a Generic Alert 1226 kept in the client's queue file and delivered in a
 * session the component starts, with the Exec's Correlator, Source, Target and Data as reported; the server's
 * reading of the Data (dm-server's ResultCodes) finds the SCOMO code in both encodings.
 */
class AsyncResultsDeliveryTest {
    private static final String SCOMO = "urn:oma:at:scomo:1.0:OperationComplete";
    private static final String DATA = "<ResultCode>1200</ResultCode><Identifier>app&1</Identifier>";

    @TempDir
    Path dir;

    private final List<Runnable> scheduled = new CopyOnWriteArrayList<>();

    private AsyncResultsImpl results(DeviceRig d) {
        return new AsyncResultsImpl(d.client(), d.client(), d.accounts(), Duration.ofSeconds(5), Duration.ofMinutes(1),
                (task, delay) -> scheduled.add(task));
    }

    /** Runs the scheduled deliveries and waits for the sessions they started. */
    private void deliver(DeviceRig d) {
        List<Runnable> now = new ArrayList<>(scheduled);
        scheduled.clear();
        now.forEach(Runnable::run);
        d.client().startSession(org.cardinaldm.client.api.SessionRequest.clientInitiated("nobody.example.com")).join();
    }

    private static AsyncResult installed() {
        return AsyncResult.builder(DeviceRig.SERVER, SCOMO).source("./Async/Run").target("./SCOMO/Inventory/Deployed/app1")
                .correlator("corr-42").data(DATA).build();
    }

    /** Answers package 1, giving each Generic Alert the code {@code alertCode}; the session ends there. */
    private static FakeServer.Step answeringAlerts(int alertCode) {
        return (c, req, s) -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            for (Command x : c.commands()) {
                int code = x instanceof Alert a && a.code() == AlertCodes.GENERIC_ALERT ? alertCode : StatusCodes.OK;
                b.add(Status.builder().cmdId(b.nextCmdId()).msgRef("1").answering(x).code(code).build());
            }
            return s.encode(b.build());
        };
    }

    private static Alert genericAlert(SyncMessage m) {
        return m.commands().stream().filter(c -> c instanceof Alert a && a.code() == AlertCodes.GENERIC_ALERT)
                .map(c -> (Alert) c).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "xml={0}")
    @ValueSource(booleans = {false, true})
    void a_plugin_answers_202_and_its_report_reaches_the_server_with_correlator_source_target_and_data(boolean xml)
            throws Exception {
        DeviceRig d = DeviceRig.builder(dir).settings(Settings.DEFAULT.withWbxml(!xml)).build();
        d.basicAccount();
        AsyncResultsImpl results = results(d);
        AcceptingPlugin plugin = AcceptingPlugin.mount(d, results);
        FakeServer s = new FakeServer();
        s.xml = xml;
        List<String> execId = new CopyOnWriteArrayList<>();
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            FakeServer.statuses(c, b, StatusCodes.OK);
            execId.add(b.nextCmdId());
            b.add(new Exec(execId.get(0), false, null, null, "corr-42", Item.target("./Async/Run")));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s)).then(answeringAlerts(StatusCodes.OK));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(plugin.correlators).containsExactly("corr-42");
        assertThat(statusFor(s.received.get(1), execId.get(0)).code()).isEqualTo(StatusCodes.ACCEPTED);
        assertThat(genericAlerts(s.received.get(0))).isZero();
        assertThat(d.client().pending()).hasSize(1);

        deliver(d);

        assertThat(s.received).hasSize(3);
        Alert sent = genericAlert(s.received.get(2));
        assertThat(sent.correlator()).isEqualTo("corr-42");
        Item item = sent.items().get(0);
        assertThat(item.source().locUri()).isEqualTo("./Async/Run");
        assertThat(item.target().locUri()).isEqualTo("./SCOMO/Inventory/Deployed/app1");
        assertThat(item.meta().type()).isEqualTo(SCOMO);
        assertThat(item.meta().format()).isEqualTo("chr");
        assertThat(item.data().asText()).isEqualTo(DATA);
        if (xml) {
            String wire = new String(s.requests.get(2).body(), StandardCharsets.UTF_8);
            assertThat(wire).as("the markup in Data is escaped, not nested elements")
                    .contains("&lt;ResultCode&gt;1200&lt;/ResultCode&gt;").contains("app&amp;1")
                    .doesNotContain("<ResultCode>");
        }
        AsyncReport read = ResultCodes.interpret(item.meta().type(), item.data().asText(), item.source().locUri(),
                item.target().locUri(), null, Instant.now());
        assertThat(read.code()).isEqualTo(1200);
        assertThat(read.success()).isTrue();
        assertThat(d.client().pending()).as("the server's 200 settles it").isEmpty();
        d.close();
    }

    private static long genericAlerts(SyncMessage m) {
        return m.commands().stream().filter(c -> c instanceof Alert a && a.code() == AlertCodes.GENERIC_ALERT).count();
    }

    @Test
    void a_report_survives_a_restart_of_the_client_and_is_delivered_by_the_next_component() throws Exception {
        DeviceRig before = DeviceRig.builder(dir).build();
        before.basicAccount();
        results(before).report(installed());
        scheduled.clear(); // the device stops before the delivery runs
        before.close();

        DeviceRig after = DeviceRig.builder(dir).build();
        after.basicAccount();
        assertThat(after.client().pending()).singleElement()
                .satisfies(q -> assertThat(q.alert().correlator()).contains("corr-42"));
        FakeServer s = new FakeServer();
        s.then(answeringAlerts(StatusCodes.ACCEPTED));
        after.transport(s);
        results(after);
        assertThat(scheduled).as("queued alerts get a delivery when the component starts").hasSize(1);

        deliver(after);

        assertThat(genericAlert(s.received.get(0)).correlator()).isEqualTo("corr-42");
        assertThat(after.client().pending()).as("202 settles it").isEmpty();
        after.close();
    }

    @Test
    void a_report_stays_queued_while_the_server_is_unreachable_or_busy_and_leaves_on_200() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).settings(Settings.DEFAULT.withRetries(0, Duration.ZERO, Duration.ZERO))
                .build();
        d.basicAccount();
        AsyncResultsImpl results = results(d);
        String id = results.report(installed());
        FakeServer s = new FakeServer();
        s.then((c, req, srv) -> {
            throw new TransportException(TransportException.Reason.UNREACHABLE, "down");
        }).then(answeringAlerts(StatusCodes.SERVICE_UNAVAILABLE)).then(answeringAlerts(StatusCodes.OK));
        d.transport(s);

        deliver(d);
        assertThat(d.client().pending()).singleElement().satisfies(q -> {
            assertThat(q.id()).isEqualTo(id);
            assertThat(q.attempts()).isZero();
        });
        assertThat(scheduled).as("a follow-up delivery after the failed session").hasSize(1);

        deliver(d);
        assertThat(d.client().pending()).singleElement().satisfies(q -> assertThat(q.attempts()).isEqualTo(1));
        assertThat(scheduled).hasSize(1);

        deliver(d);
        assertThat(s.received).hasSize(3);
        assertThat(genericAlert(s.received.get(2)).correlator()).isEqualTo("corr-42");
        assertThat(d.client().pending()).isEmpty();
        assertThat(scheduled).as("nothing left: no more sessions").isEmpty();
        d.close();
    }

    /**
     * A plugin at ./Async whose leaf Run answers Exec with 202 and reports the result through AsyncResults (or,
     * without one, answers 200); it records every Exec it runs.
     */
    static final class AcceptingPlugin implements ManagementObjectPlugin {
        final List<String> correlators = new CopyOnWriteArrayList<>();
        private final AsyncResultsImpl results;

        private AcceptingPlugin(AsyncResultsImpl results) {
            this.results = results;
        }

        /** @param d the device @param results where results go; null: Exec answers 200 @return the mounted plugin */
        static AcceptingPlugin mount(DeviceRig d, AsyncResultsImpl results) throws Exception {
            AcceptingPlugin p = new AcceptingPlugin(results);
            Method mount = DmTreeImpl.class.getDeclaredMethod("mountPlugin", ManagementObjectPlugin.class, Map.class,
                    String.class);
            mount.setAccessible(true);
            mount.invoke(d.tree(), p, Map.of(ROOT_PROPERTY, "./Async"), "test.async");
            return p;
        }

        @Override
        public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
            if (uri.equals(NodeUri.of("./Async"))) {
                return Optional.of(NodeInfo.interior(uri).acl(Acl.of("Get=*")).build());
            }
            if (uri.equals(NodeUri.of("./Async/Run"))) {
                return Optional.of(NodeInfo.leaf(uri, Format.NULL).acl(Acl.of("Exec=*&Get=*")).build());
            }
            return Optional.empty();
        }

        @Override
        public List<String> children(NodeUri uri, MoContext context) {
            return uri.equals(NodeUri.of("./Async")) ? List.of("Run") : List.of();
        }

        @Override
        public NodeValue get(NodeUri uri, MoContext context) throws DmException {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "no value");
        }

        @Override
        public StatusCode exec(NodeUri uri, NodeValue data, String correlator, MoContext context) {
            correlators.add(correlator);
            if (results == null) {
                return StatusCode.OK;
            }
            // the work "finishes" at once; the report is queued while the session is still under way
            results.report(AsyncResult.builder(context.principal().id(), SCOMO).source(uri.toString())
                    .target("./SCOMO/Inventory/Deployed/app1").correlator(correlator).data(DATA).build());
            return StatusCode.ACCEPTED;
        }
    }
}
