package org.cardinaldm.server.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditLog;
import org.cardinaldm.server.api.audit.AuditQuery;
import org.cardinaldm.server.api.audit.AuditQueryStore;
import org.cardinaldm.server.api.spi.ServerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AuditLog} on the registry's {@link ServerStore}: every node on the same store sees the same
 * entries. The retention (age and rows) is enforced by the store when the trail starts and after every
 * {@code pruneEvery} entries this node records, so the log may exceed its row bound by fewer than
 * {@code pruneEvery} entries per node between two prunes. A filtered listing is answered by the store when it
 * implements {@link AuditQueryStore} (in SQL for dm-server-jdbc); otherwise the trail reads the store's pages,
 * newest first, and keeps the matching entries until the page is full or the log ends.
 */
public final class AuditTrail implements AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private final ServerStore store;
    private final Clock clock;
    private final Duration maxAge;
    private final long maxRows;
    private final int pruneEvery;
    private final AtomicLong recorded = new AtomicLong();

    /**
     * @param store the registry's store
     * @param clock the time of entries
     * @param maxAge the longest an entry is kept, or null/zero for no age limit
     * @param maxRows the most entries kept, or 0 for no row limit
     * @param pruneEvery how many entries this node records between two prunes (at least 1)
     */
    public AuditTrail(ServerStore store, Clock clock, Duration maxAge, long maxRows, int pruneEvery) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxRows < 0) {
            throw new IllegalArgumentException("the audit log's row limit cannot be negative");
        }
        if (maxAge != null && maxAge.isNegative()) {
            throw new IllegalArgumentException("the audit log's age limit cannot be negative");
        }
        this.maxAge = maxAge == null || maxAge.isZero() ? null : maxAge;
        this.maxRows = maxRows;
        this.pruneEvery = Math.max(1, pruneEvery);
    }

    /**
     * Enforces the retention now.
     *
     * @return how many entries were removed
     */
    public int prune() {
        if (maxAge == null && maxRows == 0) {
            return 0;
        }
        int removed = store.pruneAudit(maxAge == null ? null : clock.instant().minus(maxAge), maxRows);
        if (removed > 0) {
            LOG.debug("Audit log retention removed {} entries", removed);
        }
        return removed;
    }

    @Override
    public AuditEntry record(String user, AuditEntry.Channel channel, String action, String target, String outcome,
            String origin) {
        AuditEntry entry = new AuditEntry(0, clock.instant(), user, channel, action, target, outcome, origin);
        long id = store.insertAudit(entry);
        if (recorded.incrementAndGet() % pruneEvery == 0) {
            prune();
        }
        return entry.withId(id);
    }

    @Override
    public List<AuditEntry> list(long after, int limit) {
        if (after < 0) {
            throw new IllegalArgumentException("after must be 0 or an entry's id");
        }
        if (limit < 1 || limit > MAX_LIST) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIST);
        }
        return store.auditEntries(after, limit);
    }

    @Override
    public List<AuditEntry> list(AuditQuery query) {
        if (query.unfiltered()) {
            return store.auditEntries(query.after(), query.limit());
        }
        if (store instanceof AuditQueryStore queries) {
            return queries.queryAudit(query);
        }
        List<AuditEntry> out = new ArrayList<>(Math.min(query.limit(), 64));
        long before = query.after();
        while (out.size() < query.limit()) {
            List<AuditEntry> page = store.auditEntries(before, MAX_LIST);
            for (AuditEntry e : page) {
                if (query.matches(e)) {
                    out.add(e);
                    if (out.size() == query.limit()) {
                        break;
                    }
                }
            }
            if (page.size() < MAX_LIST) {
                break;
            }
            before = page.get(page.size() - 1).id();
        }
        return out;
    }
}
