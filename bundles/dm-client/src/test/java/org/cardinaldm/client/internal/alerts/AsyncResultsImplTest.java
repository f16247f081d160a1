package org.cardinaldm.client.internal.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.client.api.DmClient;
import org.cardinaldm.client.api.GenericAlert;
import org.cardinaldm.client.api.NotificationOutcome;
import org.cardinaldm.client.api.QueuedAlert;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.internal.DmClientImpl;
import org.cardinaldm.client.internal.alerts.FileAlertQueue.Settlement;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.mo.dmacc.api.DmAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** The AsyncResults component: reports become queued 1226s, delivered by debounced, backed-off sessions. */
class AsyncResultsImplTest {
    private static final String SERVER = "dms.example.com";
    private static final String SCOMO = "urn:oma:at:scomo:1.0:OperationComplete";
    private static final Duration DELAY = Duration.ofSeconds(5);
    private static final Duration MAX = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Scheduled tasks, run only when the test says so. */
    private final List<Runnable> tasks = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    /** The sessions asked for, each completed by the test. */
    private final List<CompletableFuture<SessionResult>> sessions = new ArrayList<>();
    private final List<SessionRequest> requests = new ArrayList<>();

    private final DmClient client = new DmClient() {
        @Override
        public CompletableFuture<SessionResult> startSession(SessionRequest request) {
            requests.add(request);
            CompletableFuture<SessionResult> f = new CompletableFuture<>();
            sessions.add(f);
            return f;
        }

        @Override
        public NotificationOutcome acceptNotification(byte[] pkg0) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<NotificationOutcome, Long> notificationCounts() {
            return Map.of();
        }
    };

    private static final DmAccounts ACCOUNTS = new DmAccounts() {
        @Override
        public List<DmAccount> accounts() {
            return List.of(DmAccount.builder("s1", SERVER).build());
        }

        @Override
        public Optional<DmAccount> byServerId(String serverId) {
            return accounts().stream().filter(a -> a.serverId().equals(serverId)).findFirst();
        }
    };

    private FileAlertQueue queue(int max) {
        return new FileAlertQueue(dir.resolve("alerts.bin"), max, 3, Clock.systemUTC());
    }

    private AsyncResultsImpl component(FileAlertQueue queue) {
        return new AsyncResultsImpl(queue, client, ACCOUNTS, DELAY, MAX, (task, delay) -> {
            tasks.add(task);
            delays.add(delay);
        });
    }

    private void runScheduled() {
        List<Runnable> now = new ArrayList<>(tasks);
        tasks.clear();
        now.forEach(Runnable::run);
    }

    private static AsyncResult installed(String correlator) {
        return AsyncResult.builder(SERVER, SCOMO).source("./SCOMO/Download/app1/Operations/DownloadInstall")
                .target("./SCOMO/Inventory/Deployed/app1").correlator(correlator).mark("critical")
                .data("<ResultCode>1200</ResultCode><Identifier>app1</Identifier>").build();
    }

    private static SessionResult ended(SessionOutcome outcome) {
        return SessionResult.builder(SERVER, SessionRequest.Initiator.CLIENT).sessionId("1A").outcome(outcome, "")
                .times(Instant.EPOCH, Instant.EPOCH).build();
    }

    @Test
    void a_report_becomes_a_queued_1226_with_every_field_as_reported_and_one_delivery_scheduled() {
        FileAlertQueue q = queue(8);
        String id = component(q).report(installed("c-1"));

        assertThat(q.pending()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(id);
            assertThat(a.alert()).isEqualTo(GenericAlert.builder(SERVER, SCOMO).format("chr").mark("critical")
                    .source("./SCOMO/Download/app1/Operations/DownloadInstall").target("./SCOMO/Inventory/Deployed/app1")
                    .correlator("c-1").data("<ResultCode>1200</ResultCode><Identifier>app1</Identifier>").build());
        });
        assertThat(delays).containsExactly(DELAY);
        assertThat(requests).isEmpty();

        runScheduled();
        assertThat(requests).containsExactly(SessionRequest.clientInitiated(SERVER));
    }

    @Test
    void reports_within_the_delay_share_one_session() {
        FileAlertQueue q = queue(8);
        AsyncResultsImpl results = component(q);
        for (int i = 0; i < 5; i++) {
            results.report(installed("c-" + i));
        }
        assertThat(tasks).hasSize(1);

        runScheduled();
        assertThat(requests).hasSize(1);
        assertThat(q.pending()).hasSize(5);
    }

    @Test
    void a_report_for_a_server_without_an_account_is_refused_and_nothing_is_queued() {
        FileAlertQueue q = queue(8);
        AsyncResult stranger = AsyncResult.builder("stranger.example.com", SCOMO).correlator("c").data("1200").build();

        assertThatThrownBy(() -> component(q).report(stranger)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stranger.example.com").hasMessageNotContaining("1200");
        assertThat(q.pending()).isEmpty();
        assertThat(tasks).isEmpty();
    }

    @Test
    void a_report_is_refused_when_the_accounts_cannot_be_read() {
        DmAccounts broken = new DmAccounts() {
            @Override
            public List<DmAccount> accounts() throws DmException {
                throw new DmException(StatusCode.COMMAND_FAILED, "tree down");
            }

            @Override
            public Optional<DmAccount> byServerId(String serverId) throws DmException {
                return accounts().stream().findFirst();
            }
        };
        FileAlertQueue q = queue(8);
        AsyncResultsImpl results = new AsyncResultsImpl(q, client, broken, DELAY, MAX, (t, d) -> tasks.add(t));

        assertThatThrownBy(() -> results.report(installed("c"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(q.pending()).isEmpty();
    }

    @Test
    void a_full_queue_refuses_the_report_with_illegal_state() {
        FileAlertQueue q = queue(1);
        AsyncResultsImpl results = component(q);
        results.report(installed("c-1"));

        assertThatThrownBy(() -> results.report(installed("c-2"))).isInstanceOf(IllegalStateException.class);
        assertThat(q.pending()).hasSize(1);
    }

    @Test
    void a_queue_that_cannot_be_written_refuses_the_report_with_illegal_state() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        FileAlertQueue q = new FileAlertQueue(notADir.resolve("alerts.bin"), 8, 3, Clock.systemUTC());

        assertThatThrownBy(() -> component(q).report(installed("c"))).isInstanceOf(IllegalStateException.class);
        assertThat(q.pending()).isEmpty();
        assertThat(tasks).isEmpty();
    }

    @Test
    void a_mark_that_is_no_generic_alert_mark_is_refused() {
        AsyncResult odd = AsyncResult.builder(SERVER, SCOMO).mark("urgent").build();
        FileAlertQueue q = queue(8);

        assertThatThrownBy(() -> component(q).report(odd)).isInstanceOf(IllegalArgumentException.class);
        assertThat(q.pending()).isEmpty();
    }

    @Test
    void no_session_is_asked_for_when_the_alerts_left_before_the_delivery_ran() {
        FileAlertQueue q = queue(8);
        String id = component(q).report(installed("c"));
        q.settle(Map.of(id, Settlement.DELIVERED)); // a server-initiated session took it

        runScheduled();
        assertThat(requests).isEmpty();
        assertThat(tasks).isEmpty();
    }

    @Test
    void while_a_session_is_under_way_reports_wait_for_its_end_and_leftovers_are_retried_with_a_growing_back_off() {
        FileAlertQueue q = queue(8);
        AsyncResultsImpl results = component(q);
        String first = results.report(installed("c-1"));
        runScheduled();
        assertThat(sessions).hasSize(1);

        results.report(installed("c-2")); // after package 1 of the session under way
        assertThat(tasks).as("no second session while one is under way").isEmpty();

        sessions.get(0).complete(ended(SessionOutcome.COMPLETED));
        assertThat(delays).containsExactly(DELAY, DELAY.multipliedBy(2));
        runScheduled();
        assertThat(sessions).hasSize(2);

        sessions.get(1).complete(ended(SessionOutcome.UNREACHABLE));
        runScheduled();
        sessions.get(2).complete(ended(SessionOutcome.UNREACHABLE));
        runScheduled();
        sessions.get(3).complete(ended(SessionOutcome.UNREACHABLE));
        assertThat(delays).containsExactly(DELAY, Duration.ofSeconds(10), Duration.ofSeconds(20), MAX, MAX);
        assertThat(tasks).hasSize(1);

        q.settle(Map.of(first, Settlement.DELIVERED, q.pending().get(1).id(), Settlement.DELIVERED));
        runScheduled();
        assertThat(sessions).as("the queue is empty: no more sessions").hasSize(4);
        assertThat(tasks).isEmpty();
    }

    @Test
    void a_new_report_after_a_failed_session_starts_from_the_short_delay_again() {
        FileAlertQueue q = queue(8);
        AsyncResultsImpl results = component(q);
        results.report(installed("c-1"));
        runScheduled();
        sessions.get(0).complete(ended(SessionOutcome.UNREACHABLE));
        runScheduled();
        sessions.get(1).complete(ended(SessionOutcome.UNREACHABLE));
        assertThat(delays).containsExactly(DELAY, Duration.ofSeconds(10), Duration.ofSeconds(20));

        results.report(installed("c-2"));
        assertThat(tasks).as("a delivery is already scheduled").hasSize(1);
        runScheduled();
        sessions.get(2).complete(ended(SessionOutcome.UNREACHABLE));
        assertThat(delays).last().isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void alerts_queued_before_a_restart_get_a_delivery_when_the_component_starts() {
        FileAlertQueue before = queue(8);
        before.enqueue(GenericAlert.builder(SERVER, SCOMO).correlator("c").data("1200").build());
        before.enqueue(GenericAlert.builder("gone.example.com", SCOMO).correlator("d").data("1200").build());

        component(queue(8));

        assertThat(delays).containsExactly(DELAY);
        runScheduled();
        assertThat(requests).containsExactly(SessionRequest.clientInitiated(SERVER));
    }

    @Test
    void the_delays_come_from_the_client_configuration() {
        DmClientImpl.Config defaults = Converters.standardConverter().convert(Map.of()).to(DmClientImpl.Config.class);
        assertThat(defaults.async_delivery_delay_ms()).isEqualTo(5_000);
        assertThat(defaults.async_delivery_max_delay_ms()).isEqualTo(3_600_000);
        DmClientImpl.Config set = Converters.standardConverter()
                .convert(Map.of("async.delivery.delay.ms", "250", "async.delivery.max.delay.ms", "1000"))
                .to(DmClientImpl.Config.class);
        assertThat(set.async_delivery_delay_ms()).isEqualTo(250);
        // the OSGi constructor looks its services up when it uses them, never while it is activated
        Map<String, Object> services = Map.of("queue", queue(8), "client", client, "accounts", ACCOUNTS);
        java.util.List<String> lookedUp = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread activating = Thread.currentThread();
        org.osgi.service.component.ComponentContext context = (org.osgi.service.component.ComponentContext)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {org.osgi.service.component.ComponentContext.class}, (proxy, method, args) -> {
                            if (method.getName().equals("locateService")) {
                                if (Thread.currentThread() == activating) {
                                    lookedUp.add((String) args[0]); // on the activating thread: what SCR would see
                                }
                                return services.get((String) args[0]);
                            }
                            throw new UnsupportedOperationException(method.getName());
                        });
        AsyncResultsImpl real = new AsyncResultsImpl(context, set);
        assertThat(lookedUp).as("nothing looked up on the thread that activates it").isEmpty();
        real.deactivate();
        assertThat(requests).isEmpty();
    }

    @Test
    void the_queued_alert_keeps_the_data_out_of_its_string_form() {
        FileAlertQueue q = queue(8);
        component(q).report(installed("c"));
        QueuedAlert a = q.pending().get(0);
        assertThat(a.toString()).doesNotContain("ResultCode");
        assertThat(installed("c").toString()).doesNotContain("ResultCode");
    }
}
