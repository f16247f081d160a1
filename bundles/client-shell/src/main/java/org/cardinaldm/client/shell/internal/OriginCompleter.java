package org.cardinaldm.client.shell.internal;

import java.util.List;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.cardinaldm.client.api.DmBootstrap;

/** Completes the bootstrap origins that brought accounts ({@code card:…}, {@code file:…}). */
@Service
public class OriginCompleter implements Completer {
    @Reference(optional = true)
    DmBootstrap bootstrap;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(origins()).complete(session, commandLine, candidates);
    }

    /** @return the distinct origins, sorted */
    TreeSet<String> origins() {
        DmBootstrap b = bootstrap;
        return b == null ? new TreeSet<>() : new TreeSet<>(b.origins().values());
    }
}
