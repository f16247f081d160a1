package org.cardinaldm.server.api.spi;

import java.util.Objects;

import org.cardinaldm.server.api.NotificationRecord;

/**
 * A package-0 notification kept in the registry, with the id the store gave it, so that every node sees it and
 * exactly one node sends each retry ({@link ServerStore#updateNotification}).
 *
 * @param id the store's id, positive
 * @param record the notification
 */
public record StoredNotification(long id, NotificationRecord record) {
    /** Checks the parts. */
    public StoredNotification {
        Objects.requireNonNull(record, "record");
        if (id <= 0) {
            throw new IllegalArgumentException("a stored notification has a positive id");
        }
    }
}
