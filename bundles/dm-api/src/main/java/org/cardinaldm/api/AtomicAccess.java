package org.cardinaldm.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A DM Atomic in progress (OMA-TS-DM_Protocol-V1_2 Atomic; digest 1.5): commands run through this
 * view see each other's effects and are applied to the tree together by {@link #commit()}. Closing
 * it without a commit rolls everything back, as a failed Atomic requires.
 * <pre>{@code
 * try (AtomicAccess atomic = access.atomic()) {
 *     atomic.add(a, v1);
 *     atomic.replace(b, v2);
 *     atomic.commit();
 * }
 * }</pre>
 */
@ProviderType
public interface AtomicAccess extends TreeAccess, AutoCloseable {
    /**
     * Applies every command of the Atomic.
     *
     * @throws DmException 507 when applying failed and everything was rolled back, 516 when the
     *     rollback itself failed
     */
    void commit() throws DmException;

    /**
     * Rolls back whatever was not committed; does nothing after a commit.
     *
     * @throws DmException 516 when the rollback failed
     */
    void rollback() throws DmException;

    /** Same as {@link #rollback()}; a rollback failure is reported by logging, not thrown. */
    @Override
    void close();
}
