package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.spi.StoreException;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.testing.MutableClock;
import org.junit.jupiter.api.Test;

class StoreFailureTest {

    /** A store whose job claims fail while {@code broken} is set. */
    static final class FlakyStore extends DelegatingStore {
        boolean broken;

        FlakyStore() {
            super(new InMemoryServerStore());
        }

        @Override
        public List<Job> claimJobs(String deviceId, String owner, int max, Instant now) {
            if (broken) {
                throw new StoreException("database down");
            }
            return super.claimJobs(deviceId, owner, max, now);
        }
    }

    @Test
    void a_store_failure_becomes_503_and_the_job_is_sent_once_the_store_is_back() {
        MutableClock clock = new MutableClock();
        FlakyStore store = new FlakyStore();
        SessionEngine engine = new SessionEngine(store, ServerConfig.DEFAULT, clock, new SecureRandom(),
                SyncML::forMediaType);
        Registry registry = new Registry(store, ServerConfig.DEFAULT, clock, new SecureRandom());
        registry.register(DeviceRegistration.builder("IMEI:1").client(AuthScheme.MD5, "IMEI:1", "pw-IMEI:1")
                .server(AuthScheme.MD5, null, "srv-IMEI:1").build());
        Job job = registry.submit("IMEI:1", null, List.of(Operation.get("./DevInfo/Man")));
        DeviceSim d = new DeviceSim(engine, false, "IMEI:1", "pw-IMEI:1", "srv-IMEI:1");
        d.clientNonce = store.device("IMEI:1").orElseThrow().clientNonce();

        store.broken = true;
        d.send(d.pkg1(true));
        assertThat(d.lastOut.transportStatus()).isEqualTo(503);
        assertThat(engine.sessions()).isEmpty();
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.PENDING);

        store.broken = false;
        d.sessionId = "2";
        d.nextMsgId = 1;
        d.token = null;
        d.clientNonce = store.device("IMEI:1").orElseThrow().clientNonce();
        d.runSession();
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }
}
