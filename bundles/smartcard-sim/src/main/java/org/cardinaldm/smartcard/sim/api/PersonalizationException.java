package org.cardinaldm.smartcard.sim.api;

/**
 * A personalisation profile is invalid. The message names the line and the problem, never a PIN or key.
 */
public final class PersonalizationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    /**
     * @param line the profile line at fault, 1-based; 0 when the problem is not on one line
     * @param message what is wrong
     */
    public PersonalizationException(int line, String message) {
        super(message);
        this.line = line;
    }

    /** @return the profile line at fault, 1-based; 0 when the problem is not on one line */
    public int line() {
        return line;
    }
}
