package org.cardinaldm.smartcard.sim.internal.card;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandException;

/**
 * A family of the {@link Uicc}'s built-in inter-industry commands (class {@code 0X}, {@code 4X}-{@code 7X}):
 * {@link FileSystemCommands} and {@link SecurityCommands}. The card keeps its lifecycle, logical channels,
 * dispatch and persistence; each family keeps the state only its commands use.
 *
 * <p>A family registers its commands by instruction byte with {@link #registerWith}, the way
 * {@code DmApplet} registers its class {@code 8X} commands with {@link Uicc#register(int, Uicc.ProprietaryCommand)}.
 * The difference is what a command sees: a {@link Command} gets the {@link LogicalChannel} and may move its
 * file pointers, which a {@link Uicc.ProprietaryCommand} only reads through {@link Uicc.CommandContext}.
 * New card-side commands of Cardinal's profiles (class {@code 8X}) are {@code ProprietaryCommand}s, not
 * families.
 */
interface CommandFamily {
    /** One built-in command. */
    @FunctionalInterface
    interface Command {
        /**
         * @param command the command
         * @param channel the command's logical channel (already checked to be open)
         * @return the response, before the card holds back data for GET RESPONSE
         * @throws CommandException to answer a status word
         */
        ResponseApdu process(CommandApdu command, LogicalChannel channel) throws CommandException;
    }

    /** Where a family adds its commands. */
    @FunctionalInterface
    interface Registry {
        /**
         * @param ins the instruction byte
         * @param command the command
         * @throws IllegalStateException if the instruction is taken
         */
        void add(int ins, Command command);
    }

    /**
     * The part of the card a family shares with the card and the other families. Always ask for the image:
     * the card replaces it when it undoes a failed write.
     */
    interface Card {
        /** @return the card image as it is now (files, PINs, keys) */
        CardImage image();

        /** @return the card's security status (card-wide, volatile) */
        SecurityState security();

        /**
         * Persists all modifications made so far (see {@link Uicc} on tear safety).
         *
         * @throws CommandException {@code 6581} if the image could not be stored; the modifications are undone
         */
        void commit() throws CommandException;

        /**
         * Tells the card's write observer about an accepted file write before its commit.
         *
         * @param channel the writing command's channel
         * @param file the file just written
         * @throws CommandException if the observer refused the write; it is then undone
         */
        void written(LogicalChannel channel, ElementaryFile file) throws CommandException;
    }

    /**
     * Adds the family's commands to a card.
     *
     * @param registry the card's table of built-in commands
     */
    void registerWith(Registry registry);
}
