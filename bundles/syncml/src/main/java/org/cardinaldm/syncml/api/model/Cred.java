package org.cardinaldm.syncml.api.model;

import java.util.Objects;

/**
 * {@code Cred}: credentials in the SyncHdr (digest section 3.1). Build them with
 * {@code org.cardinaldm.syncml.api.auth.Credentials}. {@link #toString()} never prints the data.
 *
 * @param meta the Meta with Type (e.g. {@code syncml:auth-md5}) and Format (e.g. {@code b64}), or null
 * @param data the credential data, never null
 */
public record Cred(Meta meta, Data data) {
    /** Checks for null. */
    public Cred {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String toString() {
        return "Cred[type=" + (meta == null ? null : meta.type()) + ", data=***]";
    }
}
