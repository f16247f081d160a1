package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.spi.StoreException;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine records the answers of one incoming message in one store call. */
class ResultBatchingTest {

    /** Remembers every recording call; {@code failBatches} makes batch recording fail. */
    static final class RecordingStore extends DelegatingStore {
        final List<List<OperationResult>> batches = new ArrayList<>();
        int singleCalls;
        boolean failBatches;

        RecordingStore() {
            super(new InMemoryServerStore());
        }

        @Override
        public void recordResult(OperationResult result) {
            singleCalls++;
            super.recordResult(result);
        }

        @Override
        public void recordResults(List<OperationResult> results) {
            if (failBatches) {
                throw new StoreException("database down");
            }
            batches.add(List.copyOf(results));
            super.recordResults(results);
        }
    }

    private final MutableClock clock = new MutableClock();
    private RecordingStore store;
    private SessionEngine engine;
    private Registry registry;
    private DeviceSim device;

    @BeforeEach
    void setUp() {
        store = new RecordingStore();
        engine = new SessionEngine(store, ServerConfig.DEFAULT, clock, new SecureRandom(), SyncML::forMediaType);
        registry = new Registry(store, ServerConfig.DEFAULT, clock, new SecureRandom());
        registry.register(DeviceRegistration.builder("IMEI:1").client(AuthScheme.MD5, "IMEI:1", "pw-IMEI:1")
                .server(AuthScheme.MD5, null, "srv-IMEI:1").build());
        device = new DeviceSim(engine, false, "IMEI:1", "pw-IMEI:1", "srv-IMEI:1");
        device.clientNonce = store.device("IMEI:1").orElseThrow().clientNonce();
        for (int i = 0; i < 6; i++) {
            device.tree.put("./DevInfo/N" + i, "v" + i);
        }
        device.tree.put("./DevInfo/Ext/Value", "old");
    }

    private static List<Operation> sixGetsAndAReplace() {
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ops.add(Operation.get("./DevInfo/N" + i));
        }
        ops.add(Operation.replace("./DevInfo/Ext/Value", "new", "chr"));
        return ops;
    }

    @Test
    void the_answers_of_one_message_are_recorded_in_one_call_one_per_operation() {
        Job job = registry.submit("IMEI:1", null, sixGetsAndAReplace());

        device.runSession();

        assertThat(store.singleCalls).isZero();
        assertThat(store.batches).hasSize(1);
        // a Get's Status 200 and its Results arrive in the same message: only the Results are recorded
        assertThat(store.batches.get(0)).extracting(OperationResult::index).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
        Job read = registry.job(job.id()).orElseThrow();
        assertThat(read.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(read.results()).hasSize(7);
        for (int i = 0; i < 6; i++) {
            OperationResult r = read.result(i).orElseThrow();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.items()).singleElement().satisfies(item -> assertThat(item.value()).startsWith("v"));
        }
        assertThat(read.result(6).orElseThrow().items()).isEmpty();
        assertThat(device.tree).containsEntry("./DevInfo/Ext/Value", "new");
    }

    @Test
    void answers_of_several_jobs_in_one_message_share_the_call_and_each_job_ends() {
        Job first = registry.submit("IMEI:1", null, List.of(Operation.get("./DevInfo/N0")));
        Job second = registry.submit("IMEI:1", null, List.of(Operation.get("./DevInfo/Missing"),
                Operation.get("./DevInfo/N1")));

        device.runSession();

        assertThat(store.batches).hasSize(1);
        assertThat(store.batches.get(0)).extracting(OperationResult::jobId).containsOnly(first.id(), second.id())
                .hasSize(3);
        assertThat(registry.job(first.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        Job failed = registry.job(second.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.result(0).orElseThrow().status()).isEqualTo(404);
        assertThat(failed.result(1).orElseThrow().items().get(0).value()).isEqualTo("v1");
    }

    @Test
    void a_large_object_result_is_recorded_whole_after_its_last_chunk() {
        String big = "x".repeat(5000) + "end";
        device.tree.put("./DevInfo/Big", big);
        device.resultChunk = 1000;
        Job job = registry.submit("IMEI:1", null, List.of(Operation.get("./DevInfo/Big")));

        device.runSession();

        Job read = registry.job(job.id()).orElseThrow();
        assertThat(read.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(read.result(0).orElseThrow().items()).singleElement()
                .satisfies(item -> assertThat(item.value()).isEqualTo(big));
        assertThat(store.singleCalls).isZero();
        // the Status 200 with the first chunk, then the assembled Results with the last chunk
        assertThat(store.batches).hasSize(2);
        assertThat(store.batches.get(1)).singleElement()
                .satisfies(r -> assertThat(r.items().get(0).value()).isEqualTo(big));
    }

    @Test
    void a_store_failure_while_recording_answers_becomes_503_and_the_job_is_interrupted_without_results() {
        Job job = registry.submit("IMEI:1", null, sixGetsAndAReplace());
        SyncMessage commands = device.send(device.pkg1(true));
        assertThat(DeviceSim.managementCommands(commands)).hasSize(7);

        store.failBatches = true;
        device.send(device.answer(commands));

        assertThat(device.lastOut.transportStatus()).isEqualTo(503);
        assertThat(engine.sessions()).isEmpty();
        Job read = registry.job(job.id()).orElseThrow();
        // not SUCCEEDED: the registry holds none of the answers the device was never told were received
        assertThat(read.state()).isEqualTo(JobState.INTERRUPTED);
        assertThat(read.results()).isEmpty();
        assertThat(store.singleCalls).isZero();

        store.failBatches = false;
        Job again = registry.submit("IMEI:1", null, List.of(Operation.get("./DevInfo/N2")));
        device.sessionId = "2";
        device.nextMsgId = 1;
        device.token = null;
        device.serverAccepted = false;
        device.clientNonce = store.device("IMEI:1").orElseThrow().clientNonce();
        device.runSession();
        assertThat(registry.job(again.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }
}
