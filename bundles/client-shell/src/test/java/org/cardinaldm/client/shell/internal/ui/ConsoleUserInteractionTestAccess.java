package org.cardinaldm.client.shell.internal.ui;

/** Lets the command tests make a console UI with a fixed clock. */
public final class ConsoleUserInteractionTestAccess {
    /** The console's fixed clock. */
    public static final java.time.Instant NOW = ConsoleUserInteractionTest.NOW;

    private ConsoleUserInteractionTestAccess() {
    }

    /**
     * @param kv configuration keys and values
     * @return a console UI
     */
    public static ConsoleUserInteraction console(Object... kv) {
        return ConsoleUserInteractionTest.console(kv);
    }
}
