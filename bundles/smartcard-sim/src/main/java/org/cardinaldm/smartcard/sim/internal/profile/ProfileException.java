package org.cardinaldm.smartcard.sim.internal.profile;

/** A personalisation profile is invalid. The message names the line (0 when the error concerns the whole profile). */
public final class ProfileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    /**
     * @param line the 1-based line, or 0
     * @param message what is wrong; never a PIN or key value
     */
    public ProfileException(int line, String message) {
        super(line > 0 ? "profile line " + line + ": " + message : "profile: " + message);
        this.line = line;
    }

    /** @return the 1-based line, or 0 */
    public int line() {
        return line;
    }
}
