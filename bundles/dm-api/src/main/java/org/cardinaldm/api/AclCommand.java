package org.cardinaldm.api;

import java.util.Optional;

/** The commands an ACL can grant (OMA-TS-DM_TND-V1_2 ACL grammar; there is no Copy entry). */
public enum AclCommand {
    /** Add a child. */
    ADD("Add"),
    /** Delete the node. */
    DELETE("Delete"),
    /** Execute the node. */
    EXEC("Exec"),
    /** Read the node. */
    GET("Get"),
    /** Replace the node's value or properties. */
    REPLACE("Replace");

    private final String token;

    AclCommand(String token) {
        this.token = token;
    }

    /** @return the command as written in an ACL, e.g. {@code Get} */
    public String token() {
        return token;
    }

    /**
     * @param token a command name, exact case
     * @return the command, or empty
     */
    public static Optional<AclCommand> fromToken(String token) {
        for (AclCommand c : values()) {
            if (c.token.equals(token)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** @return the token */
    @Override
    public String toString() {
        return token;
    }
}
