package org.cardinaldm.shell.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TreeAccess;

/**
 * Completes DM node URIs from the live tree, one segment at a time: {@code ./Dev<TAB>} offers
 * {@code ./DevDetail/} and {@code ./DevInfo/}; an interior node is offered with a trailing
 * {@code /} and no space, so completion can go on into it. Whatever the tree refuses (ACL, missing
 * node, no tree service) simply yields no candidates.
 */
@Service
public class NodeUriCompleter implements Completer {
    @Reference(optional = true)
    DmTree tree;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<Candidate> found = new ArrayList<>();
        completeCandidates(session, commandLine, found);
        for (Candidate c : found) {
            candidates.add(c.complete() ? c.value() + " " : c.value());
        }
        return candidates.isEmpty() ? -1 : commandLine.getBufferPosition() - commandLine.getArgumentPosition();
    }

    @Override
    public void completeCandidates(Session session, CommandLine commandLine, List<Candidate> candidates) {
        String word = commandLine.getCursorArgument();
        word = word == null ? "" : word.substring(0, Math.min(word.length(), commandLine.getArgumentPosition()));
        candidates.addAll(candidatesFor(word));
    }

    /**
     * @param typed what the user typed so far for the URI argument
     * @return the matching nodes one level below the last complete segment
     */
    List<Candidate> candidatesFor(String typed) {
        List<Candidate> result = new ArrayList<>();
        DmTree t = tree;
        if (t == null) {
            return result;
        }
        int slash = typed.lastIndexOf('/');
        String parentText = slash < 0 ? "." : typed.substring(0, slash);
        String prefix = slash < 0 ? "" : typed.substring(0, slash + 1);
        String partial = typed.substring(slash + 1);
        if (typed.isEmpty() || typed.equals(".")) {
            prefix = "./";
            partial = "";
        }
        if (parentText.isEmpty() || !NodeUri.isValid(parentText)) {
            return result;
        }
        TreeAccess access = t.as(Principal.localAdmin());
        try {
            NodeUri parent = NodeUri.parse(parentText);
            for (String name : access.children(parent)) {
                if (!name.startsWith(partial)) {
                    continue;
                }
                String value = prefix + name;
                boolean interior = isInterior(access, parent.child(name));
                result.add(new Candidate(interior ? value + "/" : value, interior ? name + "/" : name,
                        null, null, null, null, !interior));
            }
        } catch (DmException | RuntimeException e) {
            // completion is best effort: a refused or broken subtree offers nothing
        }
        return result;
    }

    private static boolean isInterior(TreeAccess access, NodeUri node) {
        try {
            return access.describe(node).isInterior();
        } catch (DmException e) {
            return false;
        }
    }
}
