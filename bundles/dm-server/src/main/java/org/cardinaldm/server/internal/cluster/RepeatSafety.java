package org.cardinaldm.server.internal.cluster;

import java.util.List;

import org.cardinaldm.server.api.Operation;

/**
 * Which operations may reach a device twice without harm, should a node be lost after sending them and before the
 * device's answer was stored: a Get (it reads) and a Replace (it writes the same value again), and an Atomic or
 * Sequence made of those only. Everything else is not repeated: an Add or Copy the second time meets what the first
 * created (418), a Delete finds nothing (404), an Exec runs again (a reboot, a firmware update), a user-interaction
 * Alert asks the user again.
 */
public final class RepeatSafety {
    private RepeatSafety() {
    }

    /**
     * @param operations a job's top-level operations
     * @return whether every one of them, and every nested one, is safe to send again
     */
    public static boolean safe(List<Operation> operations) {
        for (Operation o : operations) {
            if (!safe(o)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param o an operation
     * @return whether it, and everything nested in it, is safe to send again
     */
    public static boolean safe(Operation o) {
        return switch (o.kind()) {
            case GET, REPLACE -> true;
            case ATOMIC, SEQUENCE -> safe(o.children());
            default -> false;
        };
    }
}
