package org.cardinaldm.server.shell.internal;

import org.cardinaldm.server.api.audit.AuditLog;
import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.DeviceRegistration;

/**
 * {@code dms:device-add <DevId> -p <password> -s <server password>}: registers a device (or, with
 * {@code --update}, replaces its credentials). Only digests are kept where the scheme allows it.
 */
@Service
@Command(scope = "dms", name = "device-add", description = "Register a device with its credentials (both directions)")
public class DeviceAddCommand implements Action {
    @Reference(optional = true)
    DeviceManager devices;

    @Argument(index = 0, name = "devId", description = "The DevId the device sends as SyncHdr Source", required = true)
    String deviceId;

    @Option(name = "-u", aliases = "--user", description = "The device's user name (default: the DevId)")
    String user;

    @Option(name = "-p", aliases = "--password", description = "The device's password", required = true)
    String password;

    @Option(name = "-a", aliases = "--auth", description = "Scheme the device uses: md5 (default), basic, hmac")
    @Completion(value = StringsCompleter.class, values = {"md5", "basic", "hmac"})
    String auth = "md5";

    @Option(name = "-s", aliases = "--server-password", description = "The server's password towards this device",
            required = true)
    String serverPassword;

    @Option(name = "--server-user", description = "The server's name towards the device (default: the ServerID)")
    String serverUser;

    @Option(name = "--server-auth", description = "Scheme the server uses: md5 (default), basic, hmac")
    @Completion(value = StringsCompleter.class, values = {"md5", "basic", "hmac"})
    String serverAuth = "md5";

    @Option(name = "--server-nonce", description = "First nonce (base64) the server uses towards the device")
    String serverNonce;

    @Option(name = "--client-nonce", description = "Nonce (base64) the device holds for its first credentials, "
            + "e.g. from its bootstrap; without it the first package 1 is challenged once")
    String clientNonce;

    @Option(name = "-c", aliases = "--card", description = "The card identifier")
    String card;

    @Option(name = "--push", description = "Package-0 address, e.g. udp:192.0.2.7:2948")
    String push;

    @Option(name = "--update", description = "Replace the credentials of a registered device")
    boolean update;

    PrintStream out;

    /** The audit log, when the server has one. */
    @Reference(optional = true)
    AuditLog audit;

    @Override
    public Object execute() throws Exception {
        return ShellAudit.run(audit, this, update ? "--update" : null, deviceId, this::perform);
    }

    /**
     * The command's work.
     *
     * @return null
     * @throws Exception a {@link org.apache.karaf.shell.support.CommandException} for a user error
     */
    Object perform() throws Exception {
        PrintStream o = out != null ? out : System.out;
        DeviceManager m = Services.require(devices);
        AuthScheme client = scheme(auth);
        AuthScheme server = scheme(serverAuth);
        DeviceRegistration reg;
        try {
            reg = DeviceRegistration.builder(deviceId)
                    .client(client, user == null || user.isEmpty() ? deviceId : user, password)
                    .server(server, serverUser, serverPassword).serverNonce(serverNonce).clientNonce(clientNonce).cardId(card).pushAddress(push)
                    .build();
            if (update) {
                m.updateCredentials(reg);
                o.println("Credentials of " + deviceId + " replaced.");
            } else {
                m.register(reg);
                o.println("Device " + deviceId + " registered (" + client + " / " + server + ").");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage() + (update ? "" : " (use --update to change credentials)") + ".");
        }
        return null;
    }

    static AuthScheme scheme(String text) throws CommandException {
        return AuthScheme.parse(text)
                .orElseThrow(() -> new CommandException("Unknown scheme " + text + ": use md5, basic or hmac."));
    }
}
