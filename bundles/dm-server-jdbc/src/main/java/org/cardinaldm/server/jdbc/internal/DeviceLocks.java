package org.cardinaldm.server.jdbc.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.cardinaldm.server.api.spi.DeviceRecord;

/**
 * Locks of devices inside this process, and a cache of their records, for a database no other process writes
 * (embedded H2, whose file only this process opens): a change of a device's row or a claim of its jobs holds its
 * device's lock for the whole transaction instead of a {@code SELECT ... FOR UPDATE}, which H2 parses again on every
 * use (it keeps no such query in its cache) and records as a change of the row. Striped: devices whose DevIds hash
 * alike share a lock.
 *
 * <p>Each stripe keeps the records of its devices most recently read or written (least recently used out first,
 * {@value #CACHED} devices in all), guarded by the stripe's lock: a record enters the cache only as read or committed
 * under the device's lock, and leaves it when the device is removed or a write of it fails, so it never holds what
 * the database does not. The registry then reads a device's row (two queries, three secrets decrypted) only when the
 * device was not seen lately; a row changed in the database behind the server's back (by hand) is seen, and an
 * altered secret detected, once the record left the cache or the server restarted.
 *
 * <p>Elsewhere ({@link #NONE}) the database's row locks do the locking, across nodes, and nothing is cached.
 */
final class DeviceLocks {
    /** No lock here and no cache: the statements lock the rows in the database. */
    static final DeviceLocks NONE = new DeviceLocks(0);
    /** How many device records the cache keeps at most. */
    static final int CACHED = 16_384;
    private static final int STRIPES = 256;

    private final Stripe[] stripes;

    /** One lock and the cached records of its devices. */
    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        final Map<String, DeviceRecord> cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, DeviceRecord> eldest) {
                return size() > CACHED / STRIPES;
            }
        };
    }

    private DeviceLocks(int stripes) {
        this.stripes = new Stripe[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new Stripe();
        }
    }

    /** @return locks (and a cache) for a database this process alone writes */
    static DeviceLocks local() {
        return new DeviceLocks(STRIPES);
    }

    /** @return whether the locks are here (and the statements need not lock rows) */
    boolean inProcess() {
        return stripes.length > 0;
    }

    private Stripe stripe(String deviceId) {
        return stripes[Math.floorMod(deviceId.hashCode(), stripes.length)];
    }

    /**
     * @param deviceId the device
     * @param work what runs under its lock (a whole transaction)
     * @return what the work returned
     */
    <T> T with(String deviceId, Supplier<T> work) {
        if (stripes.length == 0) {
            return work.get();
        }
        ReentrantLock lock = stripe(deviceId).lock;
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param deviceId a device whose lock the caller holds ({@link #with})
     * @return its cached record, or null
     */
    DeviceRecord cached(String deviceId) {
        return stripes.length == 0 ? null : stripe(deviceId).cache.get(deviceId);
    }

    /**
     * @param deviceId a device whose lock the caller holds
     * @param record its record as the database holds it (committed), or null to forget it
     */
    void cache(String deviceId, DeviceRecord record) {
        if (stripes.length == 0) {
            return;
        }
        Map<String, DeviceRecord> cache = stripe(deviceId).cache;
        if (record == null) {
            cache.remove(deviceId);
        } else {
            cache.put(deviceId, record);
        }
    }
}
