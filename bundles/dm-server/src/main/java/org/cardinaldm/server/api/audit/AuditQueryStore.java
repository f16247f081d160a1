package org.cardinaldm.server.api.audit;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by a registry store ({@code org.cardinaldm.server.api.spi.ServerStore}) that answers
 * {@link AuditQuery audit queries} itself, in its own query language (dm-server-jdbc does, in SQL). The server's
 * {@link AuditLog} uses it when the registry's store object also implements this interface; with any other store
 * it filters the store's pages of entries itself, reading older pages until the page is full or the log ends.
 *
 * @since 1.1
 */
@ConsumerType
public interface AuditQueryStore {
    /**
     * @param query the filters and the page, already checked
     * @return at most {@code query.limit()} entries with an id below {@code query.after()} (when it is not 0) that
     *         {@link AuditQuery#matches match} the query, newest (highest id) first
     * @throws org.cardinaldm.server.api.spi.StoreException when the store fails
     */
    List<AuditEntry> queryAudit(AuditQuery query);
}
