package org.cardinaldm.server.rest.internal;

import java.util.Optional;
import java.util.Set;

/** Checks an operator's user name and password. */
interface Authenticator {
    /**
     * @param user the user name
     * @param password the password (cleared by the caller afterwards)
     * @return the operator's roles, or empty when the credentials are wrong
     */
    Optional<Set<String>> authenticate(String user, char[] password);
}
