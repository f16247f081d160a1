package org.cardinaldm.server.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.internal.HelpDeskService;
import org.cardinaldm.server.internal.Registry;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code dms:helpdesk-install} and what {@code dms:results} and {@code dms:jobs} show of user alerts. */
class UserAlertsShellTest {
    private static final String DEVICE = "IMEI:1";
    private final InMemoryServerStore store = new InMemoryServerStore();
    private final Registry registry = new Registry(store, ServerConfig.DEFAULT, Clock.systemUTC(), new SecureRandom());
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    @BeforeEach
    void device() {
        registry.register(DeviceRegistration.builder(DEVICE).client(AuthScheme.MD5, DEVICE, "pw")
                .server(AuthScheme.MD5, null, "spw").build());
    }

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private HelpDeskInstallCommand install(String name, String url) {
        HelpDeskInstallCommand c = new HelpDeskInstallCommand();
        c.helpDesk = new HelpDeskService(registry);
        c.out = out;
        c.deviceId = DEVICE;
        c.name = name;
        c.packageUrl = url;
        return c;
    }

    @Test
    void helpdesk_install_queues_one_job_that_asks_first_and_says_what_it_will_do() throws Exception {
        HelpDeskInstallCommand c = install("hello", "https://apps.example.org/hello.jar");
        c.version = "2.0";
        c.maxDisplaySeconds = 45;
        c.execute();
        Job job = registry.jobs(DEVICE, 1).get(0);
        assertThat(output()).contains("Job " + job.id() + " queued for IMEI:1: ask \"Install and start hello 2.0?\" "
                + "(MAXDT 45 s); on yes add ./SCOMO/Download/hello and exec DownloadInstall")
                .contains("dms:results " + job.id());
        assertThat(job.operations()).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(OperationKind.SEQUENCE);
            assertThat(o.children().get(0).userAlert().orElseThrow().maxDisplaySeconds()).isEqualTo(45);
            assertThat(o.children().get(5).target()).endsWith("/Operations/DownloadInstall");
        });

        HelpDeskInstallCommand inactive = install("hello2", "http://apps.example.org/h2.jar");
        inactive.inactive = true;
        inactive.question = "Add hello2?";
        inactive.execute();
        assertThat(output()).contains("ask \"Add hello2?\" (MAXDT 120 s)").contains("exec DownloadInstallInactive");
    }

    @Test
    void helpdesk_install_refuses_bad_requests_in_one_sentence_and_queues_nothing() {
        assertThatThrownBy(install("x", "ftp://h/x.jar")::execute).isInstanceOf(CommandException.class)
                .hasMessage("Not queued: the package URL must be https or http.");
        HelpDeskInstallCommand dt = install("x", "https://h/x.jar");
        dt.maxDisplaySeconds = 90_000;
        assertThatThrownBy(dt::execute).isInstanceOf(CommandException.class).hasMessageContaining("1 to 86400");
        HelpDeskInstallCommand ghost = install("x", "https://h/x.jar");
        ghost.deviceId = "ghost";
        assertThatThrownBy(ghost::execute).isInstanceOf(CommandException.class).hasMessageContaining("dms:devices");
        HelpDeskInstallCommand none = install("x", "https://h/x.jar");
        none.helpDesk = null;
        assertThatThrownBy(none::execute).isInstanceOf(CommandException.class).hasMessageContaining("not running");
        assertThat(registry.jobs(DEVICE, 10)).isEmpty();
    }

    @Test
    void results_show_the_answers_indent_the_sequence_and_name_the_refusal() throws Exception {
        Job job = registry.submit(DEVICE, "ask", List.of(
                Operation.textInput("Your name?", 20, null, null, 30, null),
                Operation.choice("Apps", true, 30, List.of("Mail", "Maps")),
                Operation.afterConsent("Install hello?", 60, Operation.addInterior("./SCOMO/Download/hello"))));
        store.claimJobs(DEVICE, "n/s", 1, Instant.now());
        store.recordResult(new OperationResult(job.id(), 0, 200,
                List.of(new ResultItem(null, null, null, "Ann", false)), Instant.now()));
        store.recordResult(new OperationResult(job.id(), 1, 200, List.of(new ResultItem(null, "chr", null, "Maps", false),
                new ResultItem(null, "chr", null, "Mail", false)), Instant.now()));
        store.recordResult(new OperationResult(job.id(), 2, 200, List.of(), Instant.now()));
        store.recordResult(new OperationResult(job.id(), 3, 214, List.of(), Instant.now()));
        store.recordResult(new OperationResult(job.id(), 4, 215, List.of(), Instant.now()));
        store.transitionJob(job.id(), JobState.ACTIVE, JobState.FAILED, Instant.now());

        ResultsCommand results = new ResultsCommand();
        results.jobs = registry;
        results.out = out;
        results.jobId = job.id();
        results.execute();
        String text = output();
        assertThat(text).contains("Job " + job.id() + " for IMEI:1: FAILED: the user cancelled (operation 3: "
                + "\"Install hello?\")");
        assertThat(text).contains("ALERT 1102 text-input \"Your name?\" (MAXDT=30&MAXLEN=20)").contains("answer: \"Ann\"")
                .contains("ALERT 1104 multiple-choice \"Apps\" [Mail|Maps] (MAXDT=30)")
                .contains("answer: \"Maps\", \"Mail\"").contains("answer: the user cancelled")
                .contains("not executed");
        assertThat(text).contains("\n" + "2 | SEQUENCE of 2").containsPattern("3 \\|   ALERT 1101 confirm")
                .containsPattern("4 \\|   ADD ./SCOMO/Download/hello \\(interior\\)");
        assertThat(text).doesNotContain("1102\n");

        JobsCommand jobs = new JobsCommand();
        jobs.jobs = registry;
        jobs.out = out;
        jobs.execute();
        assertThat(output()).contains("ALERT 1102 text-input \"Your name?\"");
    }
}
