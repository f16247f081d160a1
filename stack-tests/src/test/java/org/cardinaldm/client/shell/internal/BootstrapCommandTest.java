package org.cardinaldm.client.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.client.internal.Settings;
import org.cardinaldm.client.shell.internal.ui.ConsoleUserInteraction;
import org.cardinaldm.client.shell.internal.ui.ConsoleUserInteractionTestAccess;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.MediaTypes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapCommandTest {
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

    private BootstrapCommand command(String file) {
        BootstrapCommand c = new BootstrapCommand();
        c.bootstrap = device.bootstrap();
        c.file = file;
        c.out = output.stream;
        return c;
    }

    private Path file(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }

    private static String hmac(String key, byte[] doc) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA1"));
        return HexFormat.of().formatHex(mac.doFinal(doc));
    }

    @Test
    void a_wbxml_file_is_applied_with_a_file_origin() throws Exception {
        Path f = file("operator.wbxml", DeviceRig.wbxml(DeviceRig.bootstrapMessage("op", "op.example.com", DeviceRig.ADDRESS)));

        command(f.toString()).execute();

        assertThat(output.text()).isEqualTo("Bootstrap file:operator.wbxml: APPLIED\n  Accounts   op.example.com\n");
        assertThat(device.accounts().byServerId("op.example.com")).isPresent();
        assertThat(device.bootstrap().origins()).containsEntry("op.example.com", "file:operator.wbxml");
    }

    @Test
    void an_xml_file_is_recognised_by_its_content() throws Exception {
        byte[] xml = DeviceRig.xml(DeviceRig.bootstrapMessage("op", "op.example.com", DeviceRig.ADDRESS));
        byte[] indented = new byte[xml.length + 5];
        System.arraycopy(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '\n', ' '}, 0, indented, 0, 5);
        System.arraycopy(xml, 0, indented, 5, xml.length);

        assertThat(BootstrapCommand.mediaType(indented)).isEqualTo(MediaTypes.DM_XML);
        command(file("bootstrap.bin", xml).toString()).execute();

        assertThat(output.text()).startsWith("Bootstrap file:bootstrap.bin: APPLIED");
        assertThat(device.accounts().byServerId("op.example.com")).isPresent();
    }

    @Test
    void a_file_that_is_neither_xml_nor_wbxml_is_refused_before_the_bootstrap() throws Exception {
        Path f = file("notes.txt", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThatThrownBy(() -> command(f.toString()).execute()).isInstanceOf(CommandException.class)
                .hasMessage("Not a SyncML DM message: neither XML nor WBXML");
    }

    @Test
    void a_wbxml_file_that_is_no_dm_message_is_reported_invalid() throws Exception {
        Path f = file("broken.wbxml", new byte[] {2, 0, 0, 0x6A, 7});

        assertThatThrownBy(() -> command(f.toString()).execute()).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("Bootstrap file:broken.wbxml not applied: INVALID");
        assertThat(device.bootstrap().origins()).isEmpty();
    }

    @Test
    void missing_empty_or_absent_files_are_refused() throws Exception {
        assertThatThrownBy(() -> command(dir.resolve("nope.wbxml").toString()).execute())
                .hasMessage("No file " + dir.resolve("nope.wbxml"));
        Path empty = file("empty.wbxml", new byte[0]);
        assertThatThrownBy(() -> command(empty.toString()).execute()).hasMessage(empty + " is empty");
        assertThatThrownBy(() -> command(null).execute()).hasMessage("Give a bootstrap file, or --withdraw <origin>");
        BootstrapCommand noService = command("x");
        noService.bootstrap = null;
        assertThatThrownBy(noService::execute).hasMessageStartingWith("No DM bootstrap service");
    }

    @Test
    void a_networkid_mac_is_checked() throws Exception {
        byte[] doc = DeviceRig.wbxml(DeviceRig.bootstrapMessage("op", "op.example.com", DeviceRig.ADDRESS));
        Path f = file("op.wbxml", doc);
        BootstrapCommand wrong = command(f.toString());
        wrong.sec = "networkid";
        wrong.mac = hmac("000000000000000", doc);
        assertThatThrownBy(wrong::execute).isInstanceOf(CommandException.class)
                .hasMessage("Bootstrap file:op.wbxml not applied: BAD_MAC: the MAC does not match");
        assertThat(device.accounts().byServerId("op.example.com")).isEmpty();

        BootstrapCommand right = command(f.toString());
        right.sec = "NETWORKID";
        right.mac = hmac(DeviceRig.NETWORK_ID, doc).toUpperCase();
        right.execute();
        assertThat(device.accounts().byServerId("op.example.com")).isPresent();
    }

    @Test
    void a_bad_mac_or_sec_is_refused_before_the_file_is_read() throws Exception {
        BootstrapCommand c = command(dir.resolve("does-not-matter").toString());
        c.sec = "NETWORKID";
        c.mac = "12345";
        assertThatThrownBy(c::execute).hasMessage("--mac must be 40 hex digits (HMAC-SHA1), not 5 characters");
        c.mac = "zz" + "0".repeat(38);
        assertThatThrownBy(c::execute).hasMessage("--mac must be 40 hex digits (HMAC-SHA1), not 40 characters with non-hex ones");
        c.sec = "PIN";
        c.mac = "0".repeat(40);
        assertThatThrownBy(c::execute).hasMessage("--sec must be NETWORKID, USERPIN or USERPIN_NETWORKID, not PIN");
        c.sec = null;
        assertThatThrownBy(c::execute).hasMessage("--sec and --mac go together");
    }

    @Test
    void withdraw_removes_the_accounts_of_an_origin() throws Exception {
        command(file("op.wbxml", DeviceRig.wbxml(DeviceRig.bootstrapMessage("op", "op.example.com", DeviceRig.ADDRESS))).toString())
                .execute();
        BootstrapCommand w = command(null);
        w.withdraw = "file:op.wbxml";
        CommandOutput second = new CommandOutput();
        w.out = second.stream;

        w.execute();

        assertThat(second.text()).isEqualTo("Removed 1 account of file:op.wbxml.\n");
        assertThat(device.accounts().byServerId("op.example.com")).isEmpty();
        w.execute();
        assertThat(second.text()).endsWith("No accounts came from file:op.wbxml.\n");
    }

    @Test
    void withdraw_takes_an_origin_and_nothing_else() {
        BootstrapCommand w = command(null);
        w.withdraw = "op.wbxml";
        assertThatThrownBy(w::execute).hasMessageStartingWith("An origin looks like file:<name> or card:<id>, not op.wbxml");
        w.withdraw = "file:op.wbxml";
        w.connect = true;
        assertThatThrownBy(w::execute).hasMessage("--withdraw takes an origin and nothing else");
    }

    @Test
    void the_origin_completer_offers_each_origin_once() throws Exception {
        command(file("a.wbxml", DeviceRig.wbxml(DeviceRig.bootstrapMessage("a", "a.example.com", DeviceRig.ADDRESS))).toString())
                .execute();
        OriginCompleter completer = new OriginCompleter();
        assertThat(completer.origins()).isEmpty();
        completer.bootstrap = device.bootstrap();
        assertThat(completer.origins()).containsExactly("file:a.wbxml");
    }

    @Test
    void a_confirmation_is_asked_on_this_terminal_and_a_refusal_applies_nothing() throws Exception {
        ConsoleUserInteraction console = ConsoleUserInteractionTestAccess.console();
        device.bootstrap().bindUserInteraction(console, java.util.Map.of());
        Path f = file("op.wbxml", DeviceRig.wbxml(DeviceRig.bootstrapMessage("op", "op.example.com", DeviceRig.ADDRESS)));
        Session session = mock(Session.class);
        when(session.readLine(anyString(), eq(null))).thenReturn("no", "yes");

        BootstrapCommand refused = command(f.toString());
        refused.confirm = true;
        refused.board = console;
        refused.session = session;
        assertThatThrownBy(refused::execute).hasMessageStartingWith("Bootstrap file:op.wbxml not applied: REFUSED_BY_USER");
        assertThat(device.system().exists(NodeUri.of("./DMAcc/op"))).isFalse();
        assertThat(output.text()).contains("(confirm): Apply the device management settings from the file op.wbxml?\n")
                .contains("answered no");

        BootstrapCommand accepted = command(f.toString());
        accepted.confirm = true;
        accepted.board = console;
        accepted.session = session;
        accepted.execute();
        assertThat(device.accounts().byServerId("op.example.com")).isPresent();
    }

    @Test
    void a_userpin_is_typed_hidden_on_this_terminal() throws Exception {
        ConsoleUserInteraction console = ConsoleUserInteractionTestAccess.console();
        device.bootstrap().bindUserInteraction(console, java.util.Map.of());
        byte[] doc = DeviceRig.wbxml(DeviceRig.bootstrapMessage("op", "op.example.com", DeviceRig.ADDRESS));
        Session session = mock(Session.class);
        when(session.readLine(anyString(), eq('*'))).thenReturn("1234");
        BootstrapCommand c = command(file("op.wbxml", doc).toString());
        c.sec = "USERPIN";
        c.mac = hmac("1234", doc);
        c.board = console;
        c.session = session;

        c.execute();

        assertThat(device.accounts().byServerId("op.example.com")).isPresent();
        assertThat(output.text()).contains("(secret): Enter the PIN").doesNotContain("1234");
    }
}
