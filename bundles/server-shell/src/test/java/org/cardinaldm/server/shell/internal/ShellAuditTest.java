package org.cardinaldm.server.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.fumo.server.api.CampaignState;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditLog;
import org.junit.jupiter.api.Test;

/**
 * The audit of the {@code dms:} commands: every command that changes state records the Karaf session's user, the
 * command, its target and outcome (never a password or a job value); commands that only read record nothing.
 */
class ShellAuditTest {
    private static final String DEVICE = "IMEI:493005100592800";
    private static final String DEVICE_PW = "device-Secret-4f1c";
    private static final String SERVER_PW = "server-Secret-9b2e";
    private static final String JOB_VALUE = "value-Secret-77d0";

    /** The commands whose work changes state (at least in one of their modes). */
    private static final Set<String> CHANGING = Set.of("device-add", "device-remove", "device-unlock", "device-tag",
            "job-add", "job-cancel", "notify", "helpdesk", "helpdesk-install", "fumo-publish", "fumo-campaign-create",
            "fumo-campaign-start", "fumo-campaign-pause", "fumo-campaign-resume", "fumo-campaign-cancel");
    /** The commands that only read. */
    private static final Set<String> READING = Set.of("audit", "auth-failures", "device", "devices", "fumo-campaign-list",
            "fumo-campaign-show", "fumo-packages", "helpdesk-report", "jobs", "nodes", "results", "sessions");

    private final ServerFakes.Registry registry = new ServerFakes.Registry().with(DEVICE);
    private final ServerFakes.Jobs jobs = new ServerFakes.Jobs();
    private final ServerFakes.Notifications notifications = new ServerFakes.Notifications();
    private final ServerFakes.Audit audit = new ServerFakes.Audit();
    private final FumoFakes.Campaigns campaigns = new FumoFakes.Campaigns();
    private final FumoFakes.Tags tags = new FumoFakes.Tags();
    private final FumoFakes.Out out = new FumoFakes.Out();

    /** Runs an action as the Karaf shell runs it: inside the session's JAAS subject. */
    private static Object as(String user, Action action) throws Exception {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        subject.getPrincipals().add(new RolePrincipal("admin"));
        try {
            return runAs(subject, action::execute);
        } catch (java.security.PrivilegedActionException e) {
            throw e.getException();
        }
    }

    @SuppressWarnings("removal")
    private static Object runAs(Subject subject, PrivilegedExceptionAction<Object> work)
            throws java.security.PrivilegedActionException {
        return Subject.doAs(subject, work);
    }

    private <T extends DeviceAction> T device(T c) {
        c.devices = registry;
        c.audit = audit;
        c.out = out.stream;
        c.deviceId = DEVICE;
        return c;
    }

    @Test
    void state_changing_commands_record_the_shell_user_the_command_its_target_and_ok() throws Exception {
        DeviceUnlockCommand unlock = device(new DeviceUnlockCommand());
        unlock.disable = true;
        as("alice", unlock);

        DeviceAddCommand add = new DeviceAddCommand();
        add.devices = registry;
        add.audit = audit;
        add.out = out.stream;
        add.deviceId = "IMEI:2";
        add.password = DEVICE_PW;
        add.serverPassword = SERVER_PW;
        as("alice", add);

        JobAddCommand job = new JobAddCommand();
        job.jobs = jobs;
        job.audit = audit;
        job.out = out.stream;
        job.deviceId = DEVICE;
        job.operation = "replace";
        job.uri = "./SmartCard/MO/Operator/PollMinutes";
        job.value = JOB_VALUE;
        as("bob", job);

        JobCancelCommand cancel = new JobCancelCommand();
        cancel.jobs = jobs;
        cancel.audit = audit;
        cancel.out = out.stream;
        cancel.jobId = 1;
        as("bob", cancel);

        NotifyCommand notify = new NotifyCommand();
        notify.notifications = notifications;
        notify.audit = audit;
        notify.out = out.stream;
        notify.deviceId = DEVICE;
        as("bob", notify);

        DeviceTagCommand tag = new DeviceTagCommand();
        tag.deviceTags = tags;
        tag.audit = audit;
        tag.out = out.stream;
        tag.deviceId = "IMEI:1"; // the one device the tag fake knows
        tag.tags = List.of("pilot");
        as("carol", tag);

        campaigns.add(4, CampaignState.RUNNING, null, List.of());
        FumoCampaignPauseCommand pause = new FumoCampaignPauseCommand();
        pause.campaigns = campaigns;
        pause.audit = audit;
        pause.out = out.stream;
        pause.id = 4;
        as("carol", pause);

        as("alice", device(new DeviceRemoveCommand()));

        assertThat(audit.entries).extracting(AuditEntry::user, AuditEntry::action, AuditEntry::target,
                AuditEntry::outcome).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("alice", "dms:device-unlock --disable", DEVICE, "ok"),
                        org.assertj.core.groups.Tuple.tuple("alice", "dms:device-add", "IMEI:2", "ok"),
                        org.assertj.core.groups.Tuple.tuple("bob", "dms:job-add replace ./SmartCard/MO/Operator/PollMinutes"
                                + " (value of 17 characters, not recorded)", DEVICE, "ok"),
                        org.assertj.core.groups.Tuple.tuple("bob", "dms:job-cancel", "1", "ok"),
                        org.assertj.core.groups.Tuple.tuple("bob", "dms:notify", DEVICE, "ok"),
                        org.assertj.core.groups.Tuple.tuple("carol", "dms:device-tag pilot", "IMEI:1", "ok"),
                        org.assertj.core.groups.Tuple.tuple("carol", "dms:fumo-campaign-pause", "4", "ok"),
                        org.assertj.core.groups.Tuple.tuple("alice", "dms:device-remove", DEVICE, "ok"));
        assertThat(audit.entries).allSatisfy(e -> {
            assertThat(e.channel()).isEqualTo(AuditEntry.Channel.SHELL);
            assertThat(e.origin()).isEqualTo("karaf shell");
            assertThat(e.toString()).doesNotContain(DEVICE_PW).doesNotContain(SERVER_PW).doesNotContain(JOB_VALUE);
        });
        // the work was done, not only recorded
        assertThat(registry.devices).containsOnlyKeys("IMEI:2");
        assertThat(jobs.jobs).hasSize(1);
        assertThat(campaigns.calls).contains("pause 4");
    }

    @Test
    void a_refused_command_is_recorded_with_its_message_and_still_fails() {
        DeviceUnlockCommand unlock = device(new DeviceUnlockCommand());
        unlock.deviceId = "IMEI:unknown";
        assertThatThrownBy(() -> as("alice", unlock)).isInstanceOf(CommandException.class)
                .hasMessage("No device IMEI:unknown is registered (see dms:devices).");
        assertThat(audit.entries).singleElement().satisfies(e -> {
            assertThat(e.user()).isEqualTo("alice");
            assertThat(e.target()).isEqualTo("IMEI:unknown");
            assertThat(e.outcome()).isEqualTo("refused: No device IMEI:unknown is registered (see dms:devices).");
        });
    }

    @Test
    void a_failing_command_is_recorded_with_the_failure_type_only() {
        ServerFakes.Registry broken = new ServerFakes.Registry() {
            @Override
            public boolean remove(String deviceId) {
                throw new IllegalStateException("jdbc:postgresql://db?password=" + DEVICE_PW);
            }
        };
        DeviceRemoveCommand remove = device(new DeviceRemoveCommand());
        remove.devices = broken;
        assertThatThrownBy(() -> as("alice", remove)).isInstanceOf(IllegalStateException.class);
        assertThat(audit.entries).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("failed: IllegalStateException");
            assertThat(e.toString()).doesNotContain(DEVICE_PW);
        });
    }

    @Test
    void outside_a_shell_session_the_user_is_a_dash() throws Exception {
        device(new DeviceUnlockCommand()).execute();
        assertThat(audit.entries).singleElement().satisfies(e -> assertThat(e.user()).isEqualTo("-"));
    }

    @Test
    void without_an_audit_log_or_with_a_failing_one_the_command_still_does_its_work() throws Exception {
        DeviceRemoveCommand remove = device(new DeviceRemoveCommand());
        remove.audit = null;
        as("alice", remove);
        assertThat(registry.devices).isEmpty();

        registry.with(DEVICE);
        audit.failure = new org.cardinaldm.server.api.spi.StoreException("disk full", null);
        as("alice", device(new DeviceRemoveCommand()));
        assertThat(registry.devices).isEmpty();
        assertThat(out.text()).contains(DEVICE + " removed.");
    }

    @Test
    void reading_commands_and_the_reading_modes_of_changing_ones_record_nothing() throws Exception {
        as("alice", device(new DeviceCommand()));
        as("alice", device(new AuthFailuresCommand()));

        NotifyCommand list = new NotifyCommand();
        list.notifications = notifications;
        list.audit = audit;
        list.out = out.stream;
        list.list = true;
        as("alice", list);

        DeviceTagCommand show = new DeviceTagCommand();
        show.deviceTags = tags;
        show.audit = audit;
        show.out = out.stream;
        show.deviceId = DEVICE;
        as("alice", show);

        FumoCampaignCreateCommand dryRun = new FumoCampaignCreateCommand();
        dryRun.campaigns = campaigns;
        dryRun.audit = audit;
        dryRun.out = out.stream;
        dryRun.name = "preview";
        dryRun.pkg = "fw-2.bin";
        dryRun.dryRun = true;
        as("alice", dryRun);

        AuditCommand read = new AuditCommand();
        read.audit = audit;
        read.out = out.stream;
        as("alice", read);

        assertThat(out.text()).contains(DEVICE).contains("No refused authentication attempt").contains("no tags")
                .contains("devices match").contains("No audit entries.");
        assertThat(audit.entries).isEmpty();
        assertThat(notifications.sent).isEmpty();
        assertThat(campaigns.calls).doesNotContain("create");
    }

    @Test
    void every_command_of_the_bundle_is_known_as_changing_or_reading_and_only_changing_ones_can_record()
            throws IOException, URISyntaxException {
        Set<String> found = new TreeSet<>();
        Path classes = Path.of(AuditCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(AuditCommand.class.getPackageName().replace('.', '/'));
        List<Class<?>> commands = new ArrayList<>();
        try (Stream<Path> files = Files.list(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = f.getFileName().toString().replace(".class", "");
                try {
                    Class<?> c = Class.forName(AuditCommand.class.getPackageName() + "." + name);
                    Command command = c.getAnnotation(Command.class);
                    if (command != null) {
                        assertThat(command.scope()).isEqualTo("dms");
                        found.add(command.name());
                        commands.add(c);
                    }
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        // a new command must be classified here (and a changing one must record through ShellAudit)
        Set<String> known = new TreeSet<>(CHANGING);
        known.addAll(READING);
        assertThat(found).isEqualTo(known);
        for (Class<?> c : commands) {
            String name = c.getAnnotation(Command.class).name();
            boolean hasAuditLog = auditField(c) != null;
            if (CHANGING.contains(name)) {
                assertThat(hasAuditLog).as(name + " takes the audit log").isTrue();
            } else if (!name.equals("audit")) {
                // a reading command may inherit the field (DeviceAction), never record through it
                assertThat(hasAuditLog).as(name).isEqualTo(DeviceAction.class.isAssignableFrom(c));
            }
        }
    }

    private static Field auditField(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (f.getType() == AuditLog.class) {
                    return f;
                }
            }
        }
        return null;
    }
}
