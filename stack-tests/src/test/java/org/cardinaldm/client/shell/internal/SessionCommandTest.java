package org.cardinaldm.client.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.spi.transport.DmTransport;
import org.cardinaldm.api.spi.transport.TransportException;
import org.cardinaldm.api.spi.transport.TransportResponse;
import org.cardinaldm.client.api.DmClient;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.client.internal.Settings;
import org.cardinaldm.client.shell.internal.ui.ConsoleUserInteraction;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionCommandTest {
    @TempDir
    Path dir;

    private DeviceRig device;
    private final CommandOutput output = new CommandOutput();

    @BeforeEach
    void device() throws Exception {
        device = DeviceRig.builder(dir)
                .settings(Settings.DEFAULT.withRetries(0, Duration.ZERO, Duration.ZERO))
                .bootstrap(Map.of(".network.id", DeviceRig.NETWORK_ID)).build();
    }

    private SessionCommand command(DmClient client, String serverId) {
        SessionCommand c = new SessionCommand();
        c.client = client;
        c.accounts = device.accounts();
        c.serverId = serverId;
        c.out = output.stream;
        return c;
    }

    /** A DM server that accepts package 1 and ends the session: statuses only, final. */
    private static TransportResponse closeSession(byte[] body) throws Exception {
        SyncMessage client = SyncML.decode(body);
        SyncHeader h = client.header();
        SyncMessage.Builder b = SyncMessage.builder(SyncHeader.builder().sessionId(h.sessionId()).msgId("1")
                .target(Location.of(h.source().locUri())).source(Location.of(h.target().locUri()))
                .cred(Credentials.basic("server", "srvpass")).build());
        b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(h.msgId()).answeringHeader().code(StatusCodes.AUTHENTICATION_ACCEPTED)
                .build());
        for (Command c : client.commands()) {
            if (!(c instanceof Status) && !(c instanceof Results)) {
                b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(h.msgId()).answering(c).code(StatusCodes.OK).build());
            }
        }
        return TransportResponse.of(MediaTypes.DM_WBXML, SyncML.wbxml().encode(b.build()), Map.of());
    }

    @Test
    void a_session_with_a_real_server_prints_its_outcome_and_counts() throws Exception {
        device.accountNamed("srv", DeviceRig.SERVER, DeviceRig.ADDRESS, "BASIC", "device", "devpass");
        device.client().bindTransport((DmTransport) request -> {
            try {
                return closeSession(request.body());
            } catch (Exception e) {
                throw new TransportException(TransportException.Reason.BAD_RESPONSE, e.toString());
            }
        }, Map.of("dm.transport.scheme", new String[] {"http"}));

        command(device.client(), DeviceRig.SERVER).execute();

        assertThat(output.text()).startsWith("Session with dms.example.com: COMPLETED\n  SessionID  ")
                .contains(" (client-initiated)\n  Duration   ")
                .contains("  Messages   1 sent, 1 received\n  Commands   0 executed, 0 failed\n"
                        + "  Alerts     0 Generic Alerts delivered\n");
    }

    @Test
    void a_failed_session_prints_its_outcome_and_fails_the_command() throws Exception {
        device.accountNamed("srv", DeviceRig.SERVER, DeviceRig.ADDRESS, "BASIC", "device", "devpass");
        device.client().bindTransport((DmTransport) request -> {
            throw new TransportException(TransportException.Reason.UNREACHABLE, "connection refused");
        }, Map.of("dm.transport.scheme", new String[] {"http"}));

        assertThatThrownBy(() -> command(device.client(), DeviceRig.SERVER).execute())
                .isInstanceOf(CommandException.class).hasMessageStartingWith("Session with dms.example.com ended UNREACHABLE");

        assertThat(output.text()).startsWith("Session with dms.example.com: UNREACHABLE\n").contains("  Detail     ");
    }

    @Test
    void without_the_accounts_service_the_clients_own_no_account_outcome_is_shown() {
        SessionCommand c = command(device.client(), "nowhere.example.com");
        c.accounts = null;

        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("Session with nowhere.example.com ended NO_ACCOUNT");
        assertThat(output.text()).startsWith("Session with nowhere.example.com: NO_ACCOUNT\n  SessionID  ")
                .contains(" (client-initiated, nothing sent)\n")
                .endsWith("  Detail     no DM account with ServerID nowhere.example.com\n");
    }

    @Test
    void an_unknown_server_is_refused_before_a_session_starts() {
        DmClient client = mock(DmClient.class);

        assertThatThrownBy(() -> command(client, "nowhere.example.com").execute()).isInstanceOf(CommandException.class)
                .hasMessage("No DM account with ServerID nowhere.example.com (dm:accounts lists them)");
        verify(client, never()).startSession(any());
    }

    @Test
    void the_printed_outcome_has_every_counter() throws Exception {
        device.accountNamed("srv", DeviceRig.SERVER, DeviceRig.ADDRESS);
        Instant t = Instant.parse("2026-11-27T22:00:00Z");
        SessionResult r = SessionResult.builder(DeviceRig.SERVER, SessionRequest.Initiator.CLIENT).sessionId("1A2B")
                .outcome(SessionOutcome.COMPLETED, "").times(t, t.plusMillis(1412)).messages(3, 3).commands(7, 2)
                .alertsDelivered(1).build();
        DmClient client = mock(DmClient.class);
        when(client.startSession(SessionRequest.clientInitiated(DeviceRig.SERVER))).thenReturn(CompletableFuture.completedFuture(r));

        command(client, DeviceRig.SERVER).execute();

        assertThat(output.text()).isEqualTo("""
                Session with dms.example.com: COMPLETED
                  SessionID  1A2B (client-initiated)
                  Duration   1.412 s
                  Messages   3 sent, 3 received
                  Commands   7 executed, 2 failed
                  Alerts     1 Generic Alert delivered
                """);
    }

    @Test
    void a_session_that_never_started_says_so() {
        SessionResult r = SessionResult.builder(DeviceRig.SERVER, SessionRequest.Initiator.CLIENT)
                .outcome(SessionOutcome.NO_TRANSPORT, "no transport for scheme coap").build();

        SessionCommand.print(r, output.stream);

        assertThat(output.text()).contains("  SessionID  - (never started)\n").contains("  Duration   0.000 s\n")
                .endsWith("  Detail     no transport for scheme coap\n");
    }

    @Test
    void background_does_not_wait() throws Exception {
        device.accountNamed("srv", DeviceRig.SERVER, DeviceRig.ADDRESS);
        DmClient client = mock(DmClient.class);
        when(client.startSession(any())).thenReturn(new CompletableFuture<>());
        SessionCommand c = command(client, DeviceRig.SERVER);
        c.background = true;

        c.execute();

        assertThat(output.text()).isEqualTo("Session with dms.example.com queued; its outcome goes to the log (log:display).\n");
    }

    @Test
    void a_session_without_outcome_in_time_fails_the_command_but_goes_on() throws Exception {
        device.accountNamed("srv", DeviceRig.SERVER, DeviceRig.ADDRESS);
        DmClient client = mock(DmClient.class);
        CompletableFuture<SessionResult> never = new CompletableFuture<>();
        when(client.startSession(any())).thenReturn(never);
        SessionCommand c = command(client, DeviceRig.SERVER);
        c.unit = Duration.ofMillis(1);
        c.timeout = 5;

        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("No outcome of the session with dms.example.com within 5 s");
        assertThat(never.isCancelled()).isFalse();
    }

    @Test
    void a_client_that_stops_cancels_the_wait() throws Exception {
        device.accountNamed("srv", DeviceRig.SERVER, DeviceRig.ADDRESS);
        DmClient client = mock(DmClient.class);
        CompletableFuture<SessionResult> f = new CompletableFuture<>();
        f.cancel(false);
        when(client.startSession(any())).thenReturn(f);

        assertThatThrownBy(() -> command(client, DeviceRig.SERVER).execute()).isInstanceOf(CommandException.class)
                .hasMessage("The session with dms.example.com was cancelled: the DM client stopped");
    }

    @Test
    void bad_arguments_and_a_missing_client_are_refused() throws Exception {
        SessionCommand c = command(mock(DmClient.class), DeviceRig.SERVER);
        c.timeout = 0;
        assertThatThrownBy(c::execute).hasMessage("--timeout must be at least 1 second, not 0");

        assertThatThrownBy(() -> command(null, DeviceRig.SERVER).execute()).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("No DM client service");
    }

    @Test
    void prompts_during_the_session_are_asked_on_the_terminal() throws Exception {
        device.accountNamed("srv", DeviceRig.SERVER, DeviceRig.ADDRESS);
        ConsoleUserInteraction console = org.cardinaldm.client.shell.internal.ui.ConsoleUserInteractionTestAccess.console();
        CompletableFuture<UserResponse> answered = new CompletableFuture<>();
        DmClient client = mock(DmClient.class);
        when(client.startSession(any())).thenAnswer(inv -> {
            CompletableFuture<SessionResult> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    answered.complete(console.interact(UserPrompt.builder(UiAlertKind.CONFIRM, DeviceRig.SERVER,
                            "Install update 2.1?").build()));
                } catch (InterruptedException e) {
                    answered.completeExceptionally(e);
                }
                f.complete(SessionResult.builder(DeviceRig.SERVER, SessionRequest.Initiator.CLIENT).sessionId("7")
                        .outcome(SessionOutcome.COMPLETED, "").build());
            });
            t.setDaemon(true);
            t.start();
            return f;
        });
        Session session = mock(Session.class);
        when(session.readLine(anyString(), any())).thenReturn("maybe", "yes");
        SessionCommand c = command(client, DeviceRig.SERVER);
        c.board = console;
        c.session = session;

        c.execute();

        assertThat(answered.get()).isEqualTo(UserResponse.yes());
        assertThat(output.text()).contains("Prompt 1 from dms.example.com (confirm): Install update 2.1?\n")
                .contains("Not an answer: a confirm takes yes or no.\n").contains("Prompt 1: answered yes\n")
                .contains("Session with dms.example.com: COMPLETED\n");
        await().until(() -> console.pending().isEmpty());
    }
}
