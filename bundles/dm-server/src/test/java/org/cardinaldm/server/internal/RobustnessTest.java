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

    // ------------------------------------------------------------------ strangers (issue 12)

    private static org.cardinaldm.syncml.api.model.Status hdr(SyncMessage m) {
        return DeviceSim.headerStatus(m);
    }

    /** A stranger's package 1 for a DevId and SessionID, from a source, with or without a token. */
    private SyncMessage strangerPkg1(String deviceId, String sessionId, String source, String token, boolean cred) {
        DeviceSim s = new DeviceSim(engine, false, deviceId, "guess", "x");
        s.sessionId = sessionId;
        s.source = source;
        s.token = token;
        return s.send(s.pkg1(cred));
    }

    @Test
    void the_token_changes_when_the_device_authenticates_and_the_challenge_token_reaches_nothing() {
        DeviceSim d = device(false, "IMEI:t1");
        Job job = registry.submit("IMEI:t1", null, List.of(Operation.get("./DevInfo/Man")));
        String nonce = d.clientNonce;
        d.clientNonce = "AAAAAA=="; // wrong: challenged first
        assertThat(hdr(d.send(d.pkg1(true))).code()).isEqualTo(401);
        String challengeToken = d.token;
        assertThat(challengeToken).isNotNull();
        assertThat(d.clientNonce).isEqualTo(nonce);
        SyncMessage pkg2 = d.send(d.pkg1(true));
        assertThat(hdr(pkg2).code()).isEqualTo(212);
        assertThat(d.token).isNotNull().isNotEqualTo(challengeToken);

        // whoever saw the challenge's RespURI (the opener of the session) cannot continue it
        DeviceSim opener = new DeviceSim(engine, false, "IMEI:t1", "x", "y");
        opener.token = challengeToken;
        opener.nextMsgId = 3;
        opener.checkServer = false;
        SyncMessage forged = opener.send(opener.answer(pkg2));
        assertThat(hdr(forged).code()).isEqualTo(404);
        assertThat(new String(opener.lastOut.body(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(d.token);
        assertThat(registry.job(job.id()).orElseThrow().results()).isEmpty();

        d.send(d.answer(pkg2));
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void a_stranger_cannot_use_up_the_attempts_of_a_session_being_challenged_through_its_own_token() {
        DeviceSim d = device(false, "IMEI:t2");
        String nonce = d.clientNonce;
        d.clientNonce = "AAAAAA==";
        assertThat(hdr(d.send(d.pkg1(true))).code()).isEqualTo(401);
        String victimToken = d.token;
        // the stranger opens a session of its own, then sends the victim's DevId and SessionID with its token
        SyncMessage own = strangerPkg1("IMEI:stranger", d.sessionId, "evil", null, false);
        String strangerToken = own.header().respUri().substring(own.header().respUri().indexOf("?s=") + 3);
        for (int i = 0; i < 5; i++) {
            strangerPkg1("IMEI:t2", d.sessionId, "evil", strangerToken, true);
        }
        d.token = victimToken;
        d.clientNonce = nonce;
        assertThat(hdr(d.send(d.pkg1(true))).code()).isEqualTo(212);
    }

    @Test
    void a_stranger_package_one_with_a_live_session_id_does_not_end_the_authenticated_session() {
        DeviceSim d = device(false, "IMEI:t3");
        Job job = registry.submit("IMEI:t3", null, List.of(Operation.get("./DevInfo/Man")));
        SyncMessage pkg2 = d.send(d.pkg1(true));
        assertThat(hdr(pkg2).code()).isEqualTo(212);

        SyncMessage challenge = strangerPkg1("IMEI:t3", d.sessionId, "evil", null, false);
        assertThat(hdr(challenge).code()).isEqualTo(407);
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.ACTIVE);

        d.send(d.answer(pkg2));
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void a_replay_without_the_token_gets_no_answer_containing_the_token() throws Exception {
        DeviceSim d = device(false, "IMEI:t4");
        registry.submit("IMEI:t4", null, List.of(Operation.get("./DevInfo/Man")));
        d.send(d.pkg1(true));
        String token = d.token;
        OutboundMessage replay = engine.process(new InboundMessage(d.sentBytes.get(0), MediaTypes.DM_XML, null, null,
                DeviceSim.SERVER_URL, "evil"));
        assertThat(replay.isMessage()).isTrue();
        assertThat(new String(replay.body(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(token);
        assertThat(hdr(SyncML.decode(replay.body())).code()).isEqualTo(401); // its nonce was used
    }

    @Test
    void without_required_tokens_a_message_without_valid_credentials_does_not_reach_an_authenticated_session() {
        config = config.withRequireToken(false);
        rebuild();
        DeviceSim d = device(false, "IMEI:t5");
        d.credInEveryMessage = true;
        Job job = registry.submit("IMEI:t5", null, List.of(Operation.get("./DevInfo/Man")));
        SyncMessage pkg2 = d.send(d.pkg1(true));
        d.token = null;

        DeviceSim intruder = new DeviceSim(engine, false, "IMEI:t5", "x", "y");
        intruder.nextMsgId = 2;
        intruder.checkServer = false;
        intruder.source = "evil";
        SyncMessage.Builder b = SyncMessage.builder(intruder.header(false).build());
        b.add(org.cardinaldm.syncml.api.model.Status.builder().cmdId("1").msgRef(pkg2.header().msgId())
                .answeringHeader().code(212).build());
        b.add(org.cardinaldm.syncml.api.model.Status.of("2", pkg2.header().msgId(),
                DeviceSim.managementCommands(pkg2).get(0), 404));
        assertThat(hdr(intruder.send(b.build())).code()).isEqualTo(404);
        assertThat(registry.job(job.id()).orElseThrow().results()).isEmpty();

        d.send(d.answer(pkg2)); // the device itself re-authenticates each message, without the token
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void a_stranger_cannot_lock_a_genuine_device_out_and_is_throttled_itself_with_backoff() {
        DeviceSim d = device(false, "IMEI:t6");
        d.source = "10.0.0.6";
        for (int i = 0; i < 5; i++) {
            assertThat(hdr(strangerPkg1("IMEI:t6", "A" + i, "evil", null, true)).code()).isEqualTo(401);
        }
        SyncMessage throttled = strangerPkg1("IMEI:t6", "B", "evil", null, true);
        assertThat(hdr(throttled).code()).isEqualTo(417);
        assertThat(hdr(throttled).chal()).isNull();
        // the same for a DevId nobody registered: the throttle does not tell them apart
        for (int i = 0; i < 5; i++) {
            strangerPkg1("IMEI:nobody", "A" + i, "evil", null, true);
        }
        assertThat(hdr(strangerPkg1("IMEI:nobody", "B", "evil", null, true)).code()).isEqualTo(417);

        assertThat(hdr(d.send(d.pkg1(true))).code()).isEqualTo(212);
        assertThat(registry.device("IMEI:t6").orElseThrow().state(clock.instant()))
                .isEqualTo(org.cardinaldm.server.api.DeviceState.ACTIVE);

        clock.advance(java.time.Duration.ofMinutes(15).plusSeconds(1));
        assertThat(hdr(strangerPkg1("IMEI:t6", "C", "evil", null, true)).code()).isEqualTo(401);
        assertThat(hdr(strangerPkg1("IMEI:t6", "D", "evil", null, true)).code()).isEqualTo(417);
        clock.advance(java.time.Duration.ofMinutes(15).plusSeconds(1));
        assertThat(hdr(strangerPkg1("IMEI:t6", "E", "evil", null, true)).code()).isEqualTo(417); // twice as long
        clock.advance(java.time.Duration.ofMinutes(15));
        assertThat(hdr(strangerPkg1("IMEI:t6", "F", "evil", null, true)).code()).isEqualTo(401);
    }

    @Test
    void wrong_credentials_never_rotate_the_nonce_the_device_holds() {
        DeviceSim d = device(false, "IMEI:t7");
        String nonce = store.device("IMEI:t7").orElseThrow().clientNonce();
        for (int i = 0; i < 3; i++) {
            SyncMessage r = strangerPkg1("IMEI:t7", "S" + i, "evil", null, true);
            assertThat(hdr(r).code()).isEqualTo(401);
        }
        assertThat(store.device("IMEI:t7").orElseThrow().clientNonce()).isEqualTo(nonce);
        assertThat(hdr(d.send(d.pkg1(true))).code()).isEqualTo(212);
    }

    @Test
    void registered_and_unknown_dev_ids_answer_alike_before_login() {
        device(false, "IMEI:t8");
        device(false, "IMEI:t8-off");
        registry.setEnabled("IMEI:t8-off", false);
        device(false, "IMEI:t8-locked");
        store.updateDevice("IMEI:t8-locked", r -> r.toBuilder().lockedUntil(clock.instant().plusSeconds(600)).build());
        List<String> nonces = new ArrayList<>();
        for (String id : List.of("IMEI:t8", "IMEI:t8-off", "IMEI:t8-locked", "IMEI:t8-none")) {
            SyncMessage a = strangerPkg1(id, "1", "probe", null, false);
            SyncMessage b = strangerPkg1(id, "2", "probe", null, false);
            SyncMessage c = strangerPkg1(id, "3", "probe", null, true);
            assertThat(List.of(hdr(a).code(), hdr(b).code(), hdr(c).code())).as(id).containsExactly(407, 407, 401);
            String n = hdr(a).chal().meta().nextNonce();
            assertThat(hdr(b).chal().meta().nextNonce()).as(id).isEqualTo(n);
            assertThat(hdr(c).chal().meta().nextNonce()).as(id).isEqualTo(n);
            assertThat(hdr(a).chal().meta().type()).isEqualTo("syncml:auth-md5");
            nonces.add(n);
        }
        assertThat(nonces).extracting(String::length).containsOnly(nonces.get(0).length());
        assertThat(nonces).doesNotHaveDuplicates();
        assertThat(store.device("IMEI:t8-none")).isEmpty();
    }

    @Test
    void disabled_and_locked_devices_are_told_so_only_after_valid_credentials() {
        DeviceSim off = device(false, "IMEI:t9-off");
        registry.setEnabled("IMEI:t9-off", false);
        assertThat(hdr(off.send(off.pkg1(true))).code()).isEqualTo(403);
        DeviceSim locked = device(false, "IMEI:t9-locked");
        store.updateDevice("IMEI:t9-locked", r -> r.toBuilder().lockedUntil(clock.instant().plusSeconds(600)).build());
        assertThat(hdr(locked.send(locked.pkg1(true))).code()).isEqualTo(417);
        assertThat(registry.failedAttempts("IMEI:t9-off")).extracting(org.cardinaldm.server.api.AuthAttempt::outcome)
                .containsExactly(org.cardinaldm.server.api.AuthAttempt.Outcome.DISABLED);
    }

    @Test
    void operators_see_failed_attempts_with_their_sources_and_never_a_secret() {
        device(false, "IMEI:t10");
        strangerPkg1("IMEI:t10", "1", "198.51.100.7", null, true);
        clock.advance(java.time.Duration.ofSeconds(1));
        DeviceSim hmac = new DeviceSim(engine, false, "IMEI:t10", "guess", "x");
        hmac.scheme = org.cardinaldm.server.api.AuthScheme.HMAC;
        hmac.source = "203.0.113.9";
        hmac.sessionId = "2";
        hmac.send(hmac.pkg1(false));
        List<org.cardinaldm.server.api.AuthAttempt> seen = registry.failedAttempts("IMEI:t10");
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).source()).isEqualTo("203.0.113.9");
        assertThat(seen.get(0).scheme()).isEqualTo(org.cardinaldm.server.api.AuthScheme.HMAC);
        assertThat(seen.get(1).source()).isEqualTo("198.51.100.7");
        assertThat(seen.get(1).scheme()).isEqualTo(org.cardinaldm.server.api.AuthScheme.MD5);
        assertThat(seen.get(1).time()).isEqualTo(clock.instant().minusSeconds(1));
        assertThat(seen).allSatisfy(a -> assertThat(a.outcome())
                .isEqualTo(org.cardinaldm.server.api.AuthAttempt.Outcome.WRONG_CREDENTIALS));
        assertThat(seen.toString()).doesNotContain(store.device("IMEI:t10").orElseThrow().clientNonce());
        assertThat(registry.failedAttempts("IMEI:never-tried")).isEmpty();
    }

    @Test
    void a_session_without_credentials_is_closed_after_the_configured_attempts_like_any_other() {
        DeviceSim d = device(false, "IMEI:t11");
        for (int i = 1; i < config.maxAuthAttemptsPerSession(); i++) {
            assertThat(hdr(d.send(d.pkg1(false))).code()).isEqualTo(407);
            assertThat(d.token).isNotNull();
        }
        SyncMessage last = d.send(d.pkg1(false));
        assertThat(hdr(last).code()).isEqualTo(407);
        assertThat(last.header().respUri()).isNull();
        assertThat(engine.sessions()).isEmpty();
    }

    @Test
    void over_long_header_values_get_414_and_nothing_is_kept() {
        String huge = "IMEI:" + "9".repeat(120_000);
        for (String[] v : List.of(new String[] {huge, DeviceSim.SERVER_URL, "1"},
                new String[] {"IMEI:t12", DeviceSim.SERVER_URL + "?" + "x".repeat(120_000), "1"},
                new String[] {"IMEI:t12", DeviceSim.SERVER_URL, "1".repeat(1000)})) {
            DeviceSim s = new DeviceSim(engine, false, v[0], "x", "y");
            s.user = "someone";
            s.tree.put("./DevInfo/DevId", "short");
            s.sessionId = v[2];
            SyncMessage m = s.pkg1(false);
            m = new SyncMessage(m.header().toBuilder().target(org.cardinaldm.syncml.api.model.Location.of(v[1])).build(),
                    m.commands(), true);
            SyncMessage r = s.send(m);
            assertThat(hdr(r).code()).isEqualTo(414);
            assertThat(s.lastOut.body().length).isLessThan(2048);
            assertThat(r.header().respUri()).isNull();
        }
        assertThat(engine.sessions()).isEmpty();
    }

    @Test
    void an_anonymous_flood_from_one_source_is_bounded_and_other_sources_are_served() {
        config = config.withStrangers(config.strangers().withAnonymous(100, 20, 1L << 20, 64L << 10));
        rebuild();
        for (int i = 0; i < 500; i++) {
            SyncMessage r = strangerPkg1("IMEI:flood-" + i, "1", "evil", null, false);
            assertThat(hdr(r).code()).isEqualTo(407); // still told how to log in, but not kept past the limit
        }
        assertThat(engine.sessions()).hasSizeLessThanOrEqualTo(20);
        // a genuine device that needs a challenge, from another source, gets a session and logs in
        DeviceSim d = device(false, "IMEI:t13");
        d.source = "10.0.0.13";
        String nonce = d.clientNonce;
        d.clientNonce = "AAAAAA==";
        SyncMessage challenged = d.send(d.pkg1(true));
        assertThat(hdr(challenged).code()).isEqualTo(401);
        assertThat(challenged.header().respUri()).isNotNull();
        d.clientNonce = nonce;
        assertThat(hdr(d.send(d.pkg1(true))).code()).isEqualTo(212);
    }

    @Test
    void anonymous_sessions_are_bounded_in_bytes_and_in_total_and_a_device_with_credentials_still_logs_in() {
        config = config.withStrangers(config.strangers().withAnonymous(30, 1000, 40L << 10, 1L << 20));
        rebuild();
        String longId = "IMEI:" + "7".repeat(240);
        for (int i = 0; i < 200; i++) {
            strangerPkg1(longId + i % 10, Integer.toHexString(i), "10.1." + i / 250 + "." + i % 250, null, false);
        }
        int kept = engine.sessions().size();
        assertThat(kept).isPositive().isLessThanOrEqualTo(30);
        // 40 KiB hold few sessions with DevIds of 250 characters
        assertThat(kept).isLessThan(30);
        DeviceSim d = device(false, "IMEI:t14");
        d.source = "10.9.9.9";
        assertThat(hdr(d.send(d.pkg1(true))).code()).isEqualTo(212);
    }
}
