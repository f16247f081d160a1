package org.cardinaldm.smartcard.api.spi.support;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.api.spi.BackendObserver;
import org.cardinaldm.smartcard.api.spi.CardBackend;

/**
 * A base for {@link CardBackend} implementations that keeps the observers: {@link #addObserver} and
 * {@link #removeObserver} follow the contract of {@link CardBackend} (adding twice has no further effect,
 * unknown observers are ignored), and {@link #fireStateChanged} tells every observer about a state change
 * without letting one failing observer keep the others from hearing it. A backend extends it, calls
 * {@link #fireStateChanged} whenever its reader or card changes, and says in {@link #observerFailed} what a
 * failing observer means to it (typically a WARN in its log).
 *
 * <p>Thread-safe: observers may be added and removed while a change is being fired, from any thread, also
 * from inside an observer; a change reaches the observers present when firing it began. Firing takes no lock,
 * so a backend may fire while holding its own.
 *
 * <pre>{@code
 * public final class MyBackend extends AbstractCardBackend {
 *     private void changed(ReaderStatus now) {
 *         fireStateChanged(now);
 *     }
 *
 *     protected void observerFailed(ReaderStatus status, RuntimeException e) {
 *         LOG.warn("Card observer failed on {}", status, e);
 *     }
 *     // status(), connect() ...
 * }
 * }</pre>
 */
public abstract class AbstractCardBackend implements CardBackend {
    private final CopyOnWriteArrayList<BackendObserver> observers = new CopyOnWriteArrayList<>();

    /** For subclasses. */
    protected AbstractCardBackend() {
    }

    /**
     * Adds an observer unless it is already there.
     *
     * @param observer the observer
     * @throws NullPointerException if {@code observer} is {@code null}
     */
    @Override
    public final void addObserver(BackendObserver observer) {
        observers.addIfAbsent(Objects.requireNonNull(observer, "observer"));
    }

    /**
     * Removes an observer; an unknown one (or {@code null}) is ignored.
     *
     * @param observer an observer added before
     */
    @Override
    public final void removeObserver(BackendObserver observer) {
        observers.remove(observer);
    }

    /**
     * Tells every observer, in the order they were added, that this backend is now in {@code status}. An
     * observer that throws a {@link RuntimeException} is passed to {@link #observerFailed}, and the others are
     * still told.
     *
     * @param status the backend's new state
     * @throws NullPointerException if {@code status} is {@code null}
     */
    protected final void fireStateChanged(ReaderStatus status) {
        Objects.requireNonNull(status, "status");
        for (BackendObserver o : observers) {
            try {
                o.stateChanged(this, status);
            } catch (RuntimeException e) {
                observerFailed(status, e);
            }
        }
    }

    /**
     * Called on the firing thread for each observer that threw while being told about {@code status}; must
     * not throw.
     *
     * @param status the state the observer was told about
     * @param failure what it threw
     */
    protected abstract void observerFailed(ReaderStatus status, RuntimeException failure);
}
