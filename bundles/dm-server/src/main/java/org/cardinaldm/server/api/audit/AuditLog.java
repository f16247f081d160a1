package org.cardinaldm.server.api.audit;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The audit log of operator actions, shared by every server node on the same registry. Thread-safe.
 */
@ProviderType
public interface AuditLog {
    /** The most entries {@link #list} returns at once. */
    int MAX_LIST = 500;

    /**
     * Records an action. Texts are bounded and control characters replaced (see {@link AuditEntry}); callers
     * never pass secrets.
     *
     * @param user who acted (the authenticated operator)
     * @param channel where from
     * @param action what, e.g. {@code POST /devices/IMEI:1/jobs} or {@code dms:device-unlock}
     * @param target the object acted upon (a DevId, a job id), or null
     * @param outcome how it ended, e.g. {@code 201 Created} or {@code ok}
     * @param origin the peer address or terminal, or null
     * @return the stored entry with its id and time
     * @throws org.cardinaldm.server.api.spi.StoreException when the store fails
     */
    AuditEntry record(String user, AuditEntry.Channel channel, String action, String target, String outcome,
            String origin);

    /**
     * Lists entries newest first, in pages: the first page with {@code after} = 0, the next with the
     * {@link AuditEntry#id()} of the last entry of the previous page.
     *
     * @param after 0 for the newest entries, else only entries older than (with an id below) this one
     * @param limit the most entries, 1 to {@link #MAX_LIST}
     * @return the entries, newest first
     * @throws IllegalArgumentException when an argument is out of bounds
     */
    List<AuditEntry> list(long after, int limit);

    /**
     * Lists the entries that match a query's filters, newest first, in pages: the first page with
     * {@code after} = 0, the next with the {@link AuditEntry#id()} of the last entry of the previous page.
     *
     * @param query the filters and the page ({@link AuditQuery} checks them)
     * @return the matching entries, newest first, at most {@code query.limit()}
     * @throws org.cardinaldm.server.api.spi.StoreException when the store fails
     * @since 1.1
     */
    List<AuditEntry> list(AuditQuery query);
}
