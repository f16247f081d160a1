package org.cardinaldm.smartcard.dm.internal.pkcs15;

/** A PKCS#15 (or Cardinal profile) structure read from a card is malformed. The message never holds card data. */
public final class Pkcs15Exception extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong */
    public Pkcs15Exception(String message) {
        super(message);
    }

    /**
     * @param message what is wrong
     * @param cause the parser's complaint
     */
    public Pkcs15Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
