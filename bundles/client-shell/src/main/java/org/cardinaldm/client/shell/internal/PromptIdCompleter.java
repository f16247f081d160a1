package org.cardinaldm.client.shell.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.cardinaldm.client.shell.internal.ui.PendingPrompt;
import org.cardinaldm.client.shell.internal.ui.PromptBoard;

/** Completes the numbers of the pending console prompts. */
@Service
public class PromptIdCompleter implements Completer {
    @Reference(optional = true)
    PromptBoard board;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(ids()).complete(session, commandLine, candidates);
    }

    /** @return the pending prompt numbers, oldest first */
    List<String> ids() {
        List<String> out = new ArrayList<>();
        PromptBoard b = board;
        if (b != null) {
            for (PendingPrompt p : b.pending()) {
                out.add(Integer.toString(p.id()));
            }
        }
        return out;
    }
}
