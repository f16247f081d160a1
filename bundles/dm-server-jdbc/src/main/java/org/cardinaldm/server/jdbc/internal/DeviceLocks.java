package org.cardinaldm.server.jdbc.internal;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Locks of devices inside this process, for a database no other process writes (embedded H2, whose file only this
 * process opens): a change of a device's row or a claim of its jobs holds its device's lock for the whole
 * transaction instead of a {@code SELECT ... FOR UPDATE}, which H2 parses again on every use (it keeps no such
 * query in its cache) and records as a change of the row. Striped: devices whose DevIds hash alike share a lock.
 * Elsewhere ({@link #NONE}) the database's row locks do this, across nodes.
 */
final class DeviceLocks {
    /** No lock here: the statements lock the rows in the database. */
    static final DeviceLocks NONE = new DeviceLocks(0);

    private final ReentrantLock[] stripes;

    private DeviceLocks(int stripes) {
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantLock();
        }
    }

    /** @return locks for a database this process alone writes */
    static DeviceLocks local() {
        return new DeviceLocks(256);
    }

    /** @return whether the locks are here (and the statements need not lock rows) */
    boolean inProcess() {
        return stripes.length > 0;
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
        ReentrantLock lock = stripes[Math.floorMod(deviceId.hashCode(), stripes.length)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
