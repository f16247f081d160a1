package org.cardinaldm.smartcard.api.spi;

import org.cardinaldm.smartcard.api.ReaderStatus;
import org.osgi.annotation.versioning.ProviderType;

/** Told by a {@link CardBackend} about its state changes; implemented by the card service. */
@ProviderType
public interface BackendObserver {
    /**
     * The reader's state changed. A card removed and inserted again is reported as two calls (absent, then
     * present), never collapsed into one. Returns quickly; never throws.
     *
     * @param backend the backend that changed
     * @param status its new state
     */
    void stateChanged(CardBackend backend, ReaderStatus status);
}
