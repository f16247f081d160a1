package org.cardinaldm.client.shell.internal.ui;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.cardinaldm.client.api.spi.UserResponse;

/**
 * The prompts the console UI holds, for the shell commands: list them, answer or cancel one, and
 * hear about new ones. Registered by {@link ConsoleUserInteraction} while it is active.
 */
public interface PromptBoard {
    /** @return the pending prompts, oldest first */
    List<PendingPrompt> pending();

    /**
     * @param id a prompt number
     * @return that prompt, while it is pending
     */
    Optional<PendingPrompt> find(int id);

    /**
     * Answers a prompt; the answer must fit it ({@link Answers#check}).
     *
     * @param id a prompt number
     * @param response the answer, or {@link UserResponse#cancelled()}
     * @return false when the prompt is no longer pending (answered, timed out, given up)
     * @throws IllegalArgumentException when the answer does not fit the prompt; it stays pending
     */
    boolean answer(int id, UserResponse response);

    /**
     * @param listener called on the asking thread for every new prompt; must return quickly
     * @return a handle that removes the listener when closed
     */
    AutoCloseable onPrompt(Consumer<PendingPrompt> listener);
}
