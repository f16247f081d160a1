package org.cardinaldm.client.shell.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.cardinaldm.api.DmException;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.mo.dmacc.api.DmAccounts;

/** Completes the ServerIDs of the accounts in {@code ./DMAcc}; none when the tree cannot be read. */
@Service
public class ServerIdCompleter implements Completer {
    @Reference(optional = true)
    DmAccounts accounts;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter(serverIds());
        return delegate.complete(session, commandLine, candidates);
    }

    /** @return the ServerIDs, in tree order */
    List<String> serverIds() {
        List<String> out = new ArrayList<>();
        DmAccounts a = accounts;
        if (a == null) {
            return out;
        }
        try {
            for (DmAccount acc : a.accounts()) {
                out.add(acc.serverId());
            }
        } catch (DmException e) {
            // no candidates
        }
        return out;
    }
}
