package org.cardinaldm.server.packages.api;

/** An upload was refused (bad name, unsigned, untrusted signer, payload not matching, no room); nothing kept. */
public class PackageRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message why, one line for the operator, without key material */
    public PackageRejectedException(String message) {
        super(message);
    }
}
