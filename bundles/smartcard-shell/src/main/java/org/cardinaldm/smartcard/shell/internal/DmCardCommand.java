package org.cardinaldm.smartcard.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCards;

/**
 * A command that shows one DM card ({@code card:info}, {@code card:ls}): the optional reader argument, the DM
 * card service and the output stream, and the choice of the card ({@link Readers#dmCard}).
 */
abstract class DmCardCommand implements Action {
    @Reference(optional = true)
    DmCards cards;

    @Argument(index = 0, name = "reader", description = "Reader name (default: the first DM card)", required = false)
    String reader;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public final Object execute() throws Exception {
        DmCard card = Readers.dmCard(cards, reader);
        PrintStream o = out != null ? out : System.out;
        show(card, o);
        o.flush();
        return null;
    }

    /**
     * @param card the DM card the command works on
     * @param o where the output goes
     * @throws Exception a {@code CommandException} with one sentence for the user
     */
    abstract void show(DmCard card, PrintStream o) throws Exception;
}
