package org.cardinaldm.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.TreeAccess;

/**
 * What the dm: commands that change the tree or move subtrees in and out of files share: the
 * optional tree, {@code --as}, where output goes, and how a refusal reads. A command checks its
 * arguments ({@link #check()}), gets the principal's view of the tree (503 without a tree, 400 for a
 * bad {@code --as}), {@link #run runs} and prints the one line {@code run} returns; its tree calls go
 * through {@link #attempt}, so that a {@link DmException} prints its status line and an unchecked
 * exception prints a 500 line and is logged as a bug (see {@link Refusals}).
 *
 * <p>Karaf injects the {@code @Reference} and {@code @Option} fields of superclasses too.
 */
abstract class TreeCommand implements Action {
    @Reference(optional = true)
    DmTree tree;

    @Option(name = "--as", description = "Act as this DM server (its ServerID), subject to the ACLs, instead of the local administrator")
    String as;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    /** Calls into the tree that may be refused, by the tree or by a check of the shell. */
    @FunctionalInterface
    interface TreeCall<T> {
        /**
         * @return the call's result
         * @throws DmException the tree's refusal
         * @throws CommandException a refusal of the shell, passed on as it is
         */
        T call() throws DmException, CommandException;
    }

    @Override
    public final Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        check();
        String line = run(Principals.access(tree, as));
        o.println(line);
        o.flush();
        return null;
    }

    /**
     * Checks the arguments before the tree is looked at; by default nothing.
     *
     * @throws CommandException a refusal of the arguments
     */
    void check() throws CommandException {
    }

    /**
     * @param access the tree as the principal of {@code --as} sees it
     * @return the one line to print when the command succeeded
     * @throws Exception a {@link CommandException} that prints a refusal
     */
    abstract String run(TreeAccess access) throws Exception;

    /**
     * @param call the calls into the tree
     * @return what the call returns
     * @throws CommandException the status line of a refusal, or 500 for an unchecked exception; a
     *     {@code CommandException} of the call itself as it is
     */
    final <T> T attempt(TreeCall<T> call) throws CommandException {
        try {
            return call.call();
        } catch (DmException e) {
            throw Refusals.of(e);
        } catch (RuntimeException e) {
            throw Refusals.bug(name(), e);
        }
    }

    /** @return {@code scope:name} from the command's {@link Command} annotation, e.g. {@code dm:add} */
    private String name() {
        Command command = getClass().getAnnotation(Command.class);
        return command.scope() + ":" + command.name();
    }
}
