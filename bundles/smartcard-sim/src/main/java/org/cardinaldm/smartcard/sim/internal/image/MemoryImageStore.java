package org.cardinaldm.smartcard.sim.internal.image;

import java.io.IOException;
import java.util.Optional;

import org.cardinaldm.smartcard.sim.internal.card.Uicc;

/**
 * A card image kept in memory, for volatile cards, tests and benchmarks. It can be told to pull the card at
 * the n-th save, either before the image is stored (the write is lost) or after (the write is kept but the
 * terminal never hears the answer): the two ends of a tear during one command.
 */
public final class MemoryImageStore implements Uicc.ImageSink {
    private byte[] stored;
    private int saves;
    private int tearAt;
    private boolean tearAfterStoring;

    /** @param initial the personalised image (its {@code CardImageCodec} encoding) */
    public MemoryImageStore(byte[] initial) {
        this.stored = initial.clone();
    }

    /**
     * Arms a tear: the {@code n}-th save from now (1 = the next one) pulls the card.
     *
     * @param n which save, 1 or more; 0 disarms
     * @param afterStoring whether the image of that save is stored before the card loses power
     */
    public synchronized void tearAt(int n, boolean afterStoring) {
        this.tearAt = n;
        this.tearAfterStoring = afterStoring;
        this.saves = 0;
    }

    /** @return saves since the last {@link #tearAt} */
    public synchronized int saves() {
        return saves;
    }

    @Override
    public synchronized void save(byte[] encodedImage) throws IOException {
        saves++;
        boolean tear = tearAt > 0 && saves == tearAt;
        if (tear && !tearAfterStoring) {
            tearAt = 0;
            throw new Uicc.CardPowerLostException("card pulled before save " + saves + " was stored");
        }
        stored = encodedImage.clone();
        if (tear) {
            tearAt = 0;
            throw new Uicc.CardPowerLostException("card pulled after save " + saves + " was stored");
        }
    }

    /** @return the stored image */
    public synchronized Optional<byte[]> load() {
        return Optional.of(stored.clone());
    }
}
