package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.client.internal.SessionEngineTest.item;
import static org.cardinaldm.client.internal.SessionEngineTest.statusFor;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Sequence;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device's rules for "ask the user (1101); only when they agree, do the following" (issue 15, item 1): a refusal
 * (304) stops the Sequence, a cancel (214) stops the whole package, a confirm not answered within MAXDT is 408 even
 * when it carries a default response, and stops the Sequence (and the package); the later commands get 215 and are
 * not run.
 */
class ConsentInSequenceTest {
    @TempDir
    Path dir;

    private DeviceRig device;
    private AsyncResultsDeliveryTest.AcceptingPlugin plugin;

    private DeviceRig device(UserInteraction ui) throws Exception {
        device = DeviceRig.builder(dir).build();
        device.basicAccount();
        device.ui(ui);
        plugin = AsyncResultsDeliveryTest.AcceptingPlugin.mount(device, null);
        return device;
    }

    @AfterEach
    void close() throws Exception {
        if (device != null) {
            device.close();
        }
    }

    private static Alert confirm(String cmdId, String options) {
        return Alert.of(cmdId, AlertCodes.CONFIRM_OR_REJECT, Item.data(Data.text(options)),
                Item.data(Data.text("Install app1 and start it?")));
    }

    /** Runs one session whose package 2 holds the commands; returns the client's package 3. */
    private SyncMessage run(Command... commands) {
        FakeServer s = new FakeServer();
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            FakeServer.statuses(c, b, StatusCodes.OK);
            for (Command x : commands) {
                b.add(x);
            }
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        device.transport(s);
        assertThat(device.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        return s.received.get(1);
    }

    private static Sequence consentThenInstall(String options) {
        return new Sequence("20", false, null, List.of(confirm("21", options),
                Exec.of("22", Item.target("./Async/Run")),
                Add.of("23", item("./Installed", "chr", "app1"))));
    }

    @Test
    void a_refused_confirm_stops_the_sequence_and_its_later_exec_and_add_are_not_run() throws Exception {
        device(p -> UserResponse.no());

        SyncMessage pkg3 = run(consentThenInstall("MAXDT=30"), Add.of("30", item("./After", "chr", "x")));

        assertThat(statusFor(pkg3, "20").code()).isEqualTo(StatusCodes.OK);
        assertThat(statusFor(pkg3, "21").code()).isEqualTo(StatusCodes.NOT_MODIFIED);
        assertThat(statusFor(pkg3, "22").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(statusFor(pkg3, "23").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(plugin.correlators).as("the Exec did not run").isEmpty();
        assertThat(device.system().exists(NodeUri.of("./Installed"))).isFalse();
        assertThat(statusFor(pkg3, "30").code()).as("a refusal stops the Sequence only").isEqualTo(StatusCodes.OK);
        assertThat(device.system().exists(NodeUri.of("./After"))).isTrue();
    }

    @Test
    void a_confirm_the_device_cannot_show_is_no_consent_and_stops_the_sequence() throws Exception {
        device = DeviceRig.builder(dir).build(); // no UserInteraction service at all
        device.basicAccount();
        plugin = AsyncResultsDeliveryTest.AcceptingPlugin.mount(device, null);

        SyncMessage pkg3 = run(consentThenInstall("MAXDT=30"));

        assertThat(statusFor(pkg3, "21").code()).isEqualTo(StatusCodes.OPTIONAL_FEATURE_NOT_SUPPORTED);
        assertThat(statusFor(pkg3, "22").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(statusFor(pkg3, "23").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(plugin.correlators).as("nothing installed without someone who agreed").isEmpty();
        assertThat(device.system().exists(NodeUri.of("./Installed"))).isFalse();
    }

    @Test
    void an_accepted_confirm_lets_the_sequence_run() throws Exception {
        device(p -> UserResponse.yes());

        SyncMessage pkg3 = run(consentThenInstall("MAXDT=30"));

        assertThat(statusFor(pkg3, "21").code()).isEqualTo(StatusCodes.OK);
        assertThat(statusFor(pkg3, "22").code()).isEqualTo(StatusCodes.OK);
        assertThat(statusFor(pkg3, "23").code()).isEqualTo(StatusCodes.OK);
        assertThat(plugin.correlators).hasSize(1);
    }

    @Test
    void a_cancel_inside_a_sequence_stops_the_whole_package() throws Exception {
        device(p -> UserResponse.cancelled());

        SyncMessage pkg3 = run(consentThenInstall("MAXDT=30"), Add.of("30", item("./After", "chr", "x")),
                Exec.of("31", Item.target("./Async/Run")));

        assertThat(statusFor(pkg3, "21").code()).isEqualTo(StatusCodes.OPERATION_CANCELLED);
        assertThat(statusFor(pkg3, "22").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(statusFor(pkg3, "23").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(statusFor(pkg3, "30").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(statusFor(pkg3, "31").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(plugin.correlators).isEmpty();
        assertThat(device.system().exists(NodeUri.of("./After"))).isFalse();
    }

    @Test
    void a_cancel_in_a_nested_sequence_stops_the_outer_one_and_the_package() throws Exception {
        device(p -> UserResponse.cancelled());

        SyncMessage pkg3 = run(new Sequence("10", false, null, List.of(consentThenInstall("MAXDT=30"),
                Add.of("11", item("./Outer", "chr", "x")))), Add.of("30", item("./After", "chr", "x")));

        assertThat(statusFor(pkg3, "21").code()).isEqualTo(StatusCodes.OPERATION_CANCELLED);
        assertThat(statusFor(pkg3, "11").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(statusFor(pkg3, "30").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(device.system().exists(NodeUri.of("./Outer"))).isFalse();
    }

    @Test
    void a_cancel_inside_an_atomic_rolls_it_back_and_stops_the_package() throws Exception {
        device(p -> UserResponse.cancelled());

        SyncMessage pkg3 = run(new Atomic("40", false, null, List.of(Add.of("41", item("./InAtomic", "chr", "x")),
                confirm("42", "MAXDT=30"))), Add.of("50", item("./After", "chr", "x")));

        assertThat(statusFor(pkg3, "40").code()).isEqualTo(StatusCodes.ATOMIC_FAILED);
        assertThat(statusFor(pkg3, "42").code()).isEqualTo(StatusCodes.OPERATION_CANCELLED);
        assertThat(statusFor(pkg3, "50").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(device.system().exists(NodeUri.of("./InAtomic"))).isFalse();
        assertThat(device.system().exists(NodeUri.of("./After"))).isFalse();
    }

    @Test
    void a_confirm_whose_maxdt_expires_is_408_even_with_a_default_yes_and_nothing_after_it_runs() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        device(p -> {
            never.await(); // a person who does not answer; interrupted when MAXDT is over
            return UserResponse.yes();
        });

        SyncMessage pkg3 = run(consentThenInstall("MAXDT=1&DR=1"), Add.of("30", item("./After", "chr", "x")));

        assertThat(statusFor(pkg3, "21").code()).isEqualTo(StatusCodes.REQUEST_TIMEOUT);
        assertThat(statusFor(pkg3, "22").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(statusFor(pkg3, "23").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(statusFor(pkg3, "30").code()).isEqualTo(StatusCodes.NOT_EXECUTED);
        assertThat(plugin.correlators).as("silence is no consent").isEmpty();
        assertThat(device.system().exists(NodeUri.of("./Installed"))).isFalse();
    }
}
