package org.cardinaldm.smartcard.dm.internal.card;

import java.util.concurrent.atomic.AtomicLong;

/** Counts APDUs and bytes (command and response, status word included) exchanged with cards. Thread-safe. */
public final class ApduStats {
    private final AtomicLong apdus = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();

    void record(int commandBytes, int responseBytes) {
        apdus.incrementAndGet();
        sent.addAndGet(commandBytes);
        received.addAndGet(responseBytes);
    }

    /** @return APDUs sent */
    public long apdus() {
        return apdus.get();
    }

    /** @return command bytes sent */
    public long bytesSent() {
        return sent.get();
    }

    /** @return response bytes received, status words included */
    public long bytesReceived() {
        return received.get();
    }

    /** Sets all counts to zero. */
    public void reset() {
        apdus.set(0);
        sent.set(0);
        received.set(0);
    }

    @Override
    public String toString() {
        return apdus.get() + " APDUs, " + sent.get() + " bytes out, " + received.get() + " bytes in";
    }
}
