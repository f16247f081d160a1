package org.cardinaldm.client.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.client.api.BootstrapPackage;
import org.cardinaldm.client.api.BootstrapResult;
import org.cardinaldm.client.internal.Settings;
import org.cardinaldm.mo.dmacc.api.DmAccounts;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.MediaTypes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsCommandTest {
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

    private AccountsCommand command() {
        AccountsCommand c = new AccountsCommand();
        c.accounts = device.accounts();
        c.bootstrap = device.bootstrap();
        c.out = output.stream;
        return c;
    }

    private void bootstrap(String origin, String node, String serverId, String address) throws Exception {
        BootstrapResult r = device.bootstrap().apply(BootstrapPackage.builder(origin,
                DeviceRig.wbxml(DeviceRig.bootstrapMessage(node, serverId, address)), MediaTypes.DM_WBXML).build());
        assertThat(r.outcome()).as(r.detail()).isEqualTo(BootstrapResult.Outcome.APPLIED);
    }

    /** @return the table's rows, each split into trimmed cells */
    private List<List<String>> rows() {
        String[] lines = output.text().split("\n");
        return Arrays.stream(lines).skip(2).map(l -> Arrays.stream(l.split("\\|", -1)).map(String::trim).toList()).toList();
    }

    @Test
    void each_account_shows_address_client_auth_and_origin() throws Exception {
        device.accountNamed("manual", "lab.example.com", "http://127.0.0.1:9/dm", "HMAC", "gw", "pw");
        bootstrap("card:8944001", "card1", "op.example.com", "https://dm.operator.example/dm");
        bootstrap("file:operator.wbxml", "file1", "file.example.com", "https://dm.file.example/dm");
        device.accountNamed("none", "plain.example.com", "http://127.0.0.1:10/dm");
        device.accountNamed("transport", "tls.example.com", "https://tls.example/dm", "HTTP-DIGEST", "gw", "pw");

        command().execute();

        assertThat(output.text().split("\n")[0]).matches("Server ID\\s+\\| Address\\s+\\| Client auth\\s+\\| Origin\\s+\\| Origin ID");
        assertThat(rows()).containsExactlyInAnyOrder(
                List.of("lab.example.com", "http://127.0.0.1:9/dm", "x-syncml-hmac", "manual", ""),
                List.of("op.example.com", "https://dm.operator.example/dm", "syncml:auth-md5", "card", "card:8944001"),
                List.of("file.example.com", "https://dm.file.example/dm", "syncml:auth-md5", "bootstrap", "file:operator.wbxml"),
                List.of("plain.example.com", "http://127.0.0.1:10/dm", "none", "manual", ""),
                List.of("tls.example.com", "https://tls.example/dm", "HTTP-DIGEST (transport)", "manual", ""));
    }

    @Test
    void without_the_bootstrap_service_the_origin_is_unknown() throws Exception {
        device.accountNamed("manual", "lab.example.com", "http://127.0.0.1:9/dm", "BASIC", "gw", "pw");
        AccountsCommand c = command();
        c.bootstrap = null;

        c.execute();

        assertThat(rows().get(0)).containsExactly("lab.example.com", "http://127.0.0.1:9/dm", "syncml:auth-basic", "?", "");
        assertThat(output.text()).endsWith("(origins unknown: no DM bootstrap service)\n");
    }

    @Test
    void no_accounts_says_so() throws Exception {
        command().execute();

        assertThat(output.text()).contains("No DM accounts in ./DMAcc");
    }

    @Test
    void an_unreadable_tree_or_no_service_fails_the_command() throws Exception {
        DmAccounts broken = mock(DmAccounts.class);
        when(broken.accounts()).thenThrow(new DmException(StatusCode.DATA_STORE_FAILURE, "store closed"));
        AccountsCommand c = command();
        c.accounts = broken;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageStartingWith("Cannot read ./DMAcc")
                .hasMessageContaining("store closed");

        c.accounts = null;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageStartingWith("No DMAcc accounts service");
    }

    @Test
    void the_server_id_completer_offers_every_account() throws Exception {
        device.accountNamed("a", "a.example.com", "http://127.0.0.1:9/dm")
                .accountNamed("b", "b.example.com", "http://127.0.0.1:9/dm");
        ServerIdCompleter completer = new ServerIdCompleter();
        assertThat(completer.serverIds()).isEmpty();

        completer.accounts = device.accounts();

        assertThat(completer.serverIds()).containsExactly("a.example.com", "b.example.com");
    }
}
