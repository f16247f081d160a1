package org.cardinaldm.client.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.cardinaldm.api.DmException;
import org.cardinaldm.client.api.DmBootstrap;
import org.cardinaldm.mo.dmacc.api.AppAddress;
import org.cardinaldm.mo.dmacc.api.AppAuth;
import org.cardinaldm.mo.dmacc.api.AuthLevel;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.mo.dmacc.api.DmAccounts;

/**
 * {@code dm:accounts}: one line per DM account of {@code ./DMAcc}: ServerID, address, the client's
 * authentication scheme, and where the account came from: {@code card} (bootstrapped from a smart
 * card, origin {@code card:…}), {@code bootstrap} (a file or a push, any other origin) or
 * {@code manual} (written into the tree otherwise).
 * <pre>
 * Server ID       | Address                    | Client auth       | Origin    | Origin ID
 * --------------------------------------------------------------------------------------
 * dms.example.com | https://dms.example.com/dm | syncml:auth-md5   | card      | card:8944001
 * lab             | http://127.0.0.1:8080/dm   | syncml:auth-basic | manual    |
 * </pre>
 */
@Service
@Command(scope = "dm", name = "accounts", description = "List the DM server accounts of ./DMAcc and where they came from")
public class AccountsCommand implements Action {
    @Reference(optional = true)
    DmAccounts accounts;

    @Reference(optional = true)
    DmBootstrap bootstrap;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        List<DmAccount> all;
        try {
            all = Services.require(accounts, "DMAcc accounts").accounts();
        } catch (DmException e) {
            throw new CommandException("Cannot read ./DMAcc: " + e.getMessage());
        }
        Map<String, String> origins = bootstrap == null ? null : bootstrap.origins();
        ShellTable table = new ShellTable();
        table.column("Server ID");
        table.column("Address");
        table.column("Client auth");
        table.column("Origin");
        table.column("Origin ID");
        table.emptyTableText("No DM accounts in ./DMAcc");
        for (DmAccount a : all) {
            String origin = origins == null ? null : origins.get(a.serverId());
            table.addRow().addContent(a.serverId(), address(a), clientAuth(a.credential(AuthLevel.CLCRED)),
                    originKind(origins == null, origin), origin == null ? "" : origin);
        }
        table.print(o);
        if (origins == null && !all.isEmpty()) {
            o.println("(origins unknown: no DM bootstrap service)");
        }
        o.flush();
        return null;
    }

    static String address(DmAccount a) {
        List<AppAddress> addresses = a.addresses();
        if (addresses.isEmpty()) {
            return "-";
        }
        return addresses.get(0).address() + (addresses.size() > 1 ? " (+" + (addresses.size() - 1) + ")" : "");
    }

    /**
     * @param cl the CLCRED entry
     * @return the SyncML scheme the client uses, or the transport's, or none
     */
    static String clientAuth(Optional<AppAuth> cl) {
        if (cl.isEmpty()) {
            return "none";
        }
        return switch (cl.get().type()) {
            case BASIC -> "syncml:auth-basic";
            case DIGEST -> "syncml:auth-md5";
            case HMAC -> "x-syncml-hmac";
            default -> cl.get().type().token() + (cl.get().type().isTransportType() ? " (transport)" : "");
        };
    }

    /**
     * @param unknown true when no bootstrap service can tell
     * @param origin the account's origin mark, or null
     * @return card, bootstrap, manual, or ? when unknown
     */
    static String originKind(boolean unknown, String origin) {
        if (unknown) {
            return "?";
        }
        if (origin == null) {
            return "manual";
        }
        return origin.startsWith("card:") ? "card" : "bootstrap";
    }
}
