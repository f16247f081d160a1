package org.cardinaldm.client.shell.internal.ui;

import java.time.Instant;
import java.util.Objects;

import org.cardinaldm.client.api.spi.UserPrompt;

/**
 * A user-interaction prompt waiting for an answer on the console.
 *
 * @param id the number {@code dm:answer} uses, unique while the console UI runs
 * @param prompt what the server (or the bootstrap) asks
 * @param asked when it arrived
 * @param deadline when it is given up: the prompt's MAXDT, or for a display its MINDT (or the
 *     configured display time), or the console's own bound when the caller gave no MAXDT
 * @param callerDeadline true when the deadline comes from the caller (MAXDT); false when the caller
 *     may give up earlier (the DM client's {@code ui.timeout.s})
 */
public record PendingPrompt(int id, UserPrompt prompt, Instant asked, Instant deadline, boolean callerDeadline) {
    /** Checks for null. */
    public PendingPrompt {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(asked, "asked");
        Objects.requireNonNull(deadline, "deadline");
    }
}
