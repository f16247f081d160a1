package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever a peer sends, the server answers, and other sessions do not notice. */
class RobustnessTest extends EngineFixture {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mutated_messages_never_break_the_server_or_a_session_in_progress(boolean wbxml) {
        DeviceSim victim = device(wbxml, "IMEI:victim");
        Job job = registry.submit("IMEI:victim", null, List.of(Operation.get("./DevInfo/Man")));
        SyncMessage pkg2 = victim.send(victim.pkg1(true));

        DeviceSim attacker = device(wbxml, "IMEI:attacker");
        registry.submit("IMEI:attacker", null, List.of(Operation.get("./DevInfo/Man")));
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(bytes(attacker, attacker.pkg1(true)));
        attacker.send(attacker.pkg1(true));
        seeds.add(bytes(attacker, attacker.answer(attacker.received.get(0))));
        Random random = new Random(wbxml ? 7 : 11);
        String type = wbxml ? MediaTypes.DM_WBXML : MediaTypes.DM_XML;
        int answered = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] m = seeds.get(i % seeds.size()).clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(m.length);
                switch (random.nextInt(3)) {
                    case 0 -> m[at] = (byte) random.nextInt(256);
                    case 1 -> m = java.util.Arrays.copyOf(m, Math.max(1, at));
                    default -> m[at] ^= 1 << random.nextInt(8);
                }
            }
            OutboundMessage out = engine.process(new InboundMessage(m, type, null,
                    random.nextBoolean() ? attacker.token : victim.token, DeviceSim.SERVER_URL, "fuzz"));
            assertThat(out.transportStatus()).isIn(200, 400, 413, 415);
            if (out.isMessage()) {
                answered++;
            }
        }
        assertThat(answered).isPositive();

        victim.send(victim.answer(pkg2));
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    private static byte[] bytes(DeviceSim d, SyncMessage m) {
        try {
            return d.codec.encode(m);
        } catch (org.cardinaldm.syncml.api.CodecException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void many_devices_in_parallel_each_get_their_own_jobs() throws Exception {
        int devices = 40;
        List<DeviceSim> sims = new ArrayList<>();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            DeviceSim d = device(i % 2 == 0, "IMEI:p" + i);
            d.sessionId = Integer.toHexString(i).toUpperCase();
            d.tree.put("./Id", "value-" + i);
            sims.add(d);
            jobs.add(registry.submit(d.deviceId, null,
                    List.of(Operation.get("./Id"), Operation.replace("./DevInfo/Lang", "fr", "chr"))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (DeviceSim d : sims) {
                fs.add(pool.submit(d::runSession));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < devices; i++) {
            Job done = registry.job(jobs.get(i).id()).orElseThrow();
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.result(0).orElseThrow().items().get(0).value()).isEqualTo("value-" + i);
            assertThat(sims.get(i).tree).containsEntry("./DevInfo/Lang", "fr");
        }
        assertThat(engine.sessions()).isEmpty();
    }

    @Test
    void conformance_suite_captures_get_an_answer_and_never_an_exception() throws Exception {
        Path vectors = Path.of("../../../shared/vectors");
        if (!Files.isDirectory(vectors)) {
            vectors = Path.of("/work/shared/vectors");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(vectors),
                "the shared test vectors are not next to the project");
        List<Path> files;
        try (Stream<Path> s = Files.walk(vectors)) {
            files = s.filter(p -> p.toString().endsWith(".xml") || p.toString().endsWith(".wbxml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        int syncml = 0;
        for (Path p : files) {
            byte[] b = Files.readAllBytes(p);
            String type = SyncML.isWbxml(b) ? MediaTypes.DM_WBXML : MediaTypes.DM_XML;
            OutboundMessage out = engine.process(new InboundMessage(b, type, null, null, DeviceSim.SERVER_URL, "v"));
            assertThat(out.transportStatus()).as(p.toString()).isIn(200, 400, 415);
            if (out.isMessage()) {
                syncml++;
                SyncMessage answer = SyncML.decode(out.body());
                // server packages sent to a server: no session is opened, the header gets a status
                assertThat(DeviceSim.headerStatus(answer)).as(p.toString()).isNotNull();
            }
        }
        assertThat(syncml).isPositive();
        // a capture that opens a session from an unregistered device leaves an unauthenticated one, short-lived
        assertThat(engine.sessions()).allSatisfy(s -> assertThat(s.authenticated()).isFalse());
        clock.advance(java.time.Duration.ofSeconds(61));
        engine.expireIdle();
        assertThat(engine.sessions()).isEmpty();
    }
}
