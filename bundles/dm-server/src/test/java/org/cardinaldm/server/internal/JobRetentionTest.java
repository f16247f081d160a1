package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.junit.jupiter.api.Test;

/** The job retention over the in-memory store: what goes, what stays, in batches. */
class JobRetentionTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final InMemoryServerStore store = new InMemoryServerStore();

    private Job ended(JobState state, Instant at) {
        Job j = store.createJob("d", null, List.of(Operation.get("./A")), T0);
        assertThat(store.transitionJob(j.id(), JobState.PENDING, state, at)).isTrue();
        return j;
    }

    @Test
    void ended_jobs_older_than_the_retention_go_in_batches_the_others_stay() {
        store.insertDevice(new DeviceRecord("d", null, null, T0, T0, AuthScheme.MD5, "d", "ZA==", null,
                AuthScheme.MD5, "cardinal", "ZA==", null, null, true, 0, 0, null, null));
        List<Long> old = new ArrayList<>();
        for (int i = 0; i < JobRetention.BATCH + 7; i++) {
            old.add(ended(i % 2 == 0 ? JobState.SUCCEEDED : JobState.INTERRUPTED, T0).id());
        }
        Job failedRecently = ended(JobState.FAILED, T0.plus(Duration.ofDays(89)));
        Job pending = store.createJob("d", null, List.of(Operation.get("./B")), T0);
        Job active = store.createJob("d", null, List.of(Operation.get("./C")), T0);
        assertThat(store.claimJobs("d", "owner", 10, T0)).isNotEmpty();

        Instant now = T0.plus(Duration.ofDays(91));
        assertThat(new JobRetention(store, Duration.ZERO).run(now)).as("0 keeps every job").isZero();
        assertThat(new JobRetention(store, Duration.ofDays(90)).run(now)).isEqualTo(JobRetention.BATCH + 7);
        assertThat(old).allSatisfy(id -> assertThat(store.job(id)).isEmpty());
        assertThat(store.job(failedRecently.id())).isPresent();
        assertThat(store.job(pending.id()).orElseThrow().state()).isIn(JobState.PENDING, JobState.ACTIVE);
        assertThat(store.job(active.id())).isPresent();
        assertThat(new JobRetention(store, Duration.ofDays(90)).run(now)).isZero();
        assertThat(new JobRetention(store, Duration.ofDays(1)).run(now)).isEqualTo(1);
        assertThat(store.job(failedRecently.id())).isEmpty();
        assertThatThrownBy(() -> new JobRetention(store, Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
