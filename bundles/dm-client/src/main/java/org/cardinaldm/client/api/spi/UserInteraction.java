package org.cardinaldm.client.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Shows a server's user-interaction alert (1100 to 1104, digest 1.9) and returns the user's answer.
 * The client calls it on a thread of its own and waits at most the prompt's
 * {@link UserPrompt#maxDisplayTime()} (or its configured default); after that it answers the server
 * 408 and interrupts the call, so implementations must react to interruption. The highest-ranked
 * service is used; with none, the client answers UI alerts with 406.
 */
@ConsumerType
public interface UserInteraction {
    /**
     * @param prompt what to show and ask
     * @return the user's answer, of a kind that fits the prompt (see {@link UserResponse})
     * @throws InterruptedException when the client gave up waiting
     */
    UserResponse interact(UserPrompt prompt) throws InterruptedException;
}
