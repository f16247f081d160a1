package org.cardinaldm.smartcard.bootstrap.internal;

import java.util.Map;

import org.cardinaldm.smartcard.core.internal.CardServiceImpl;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.backend.SimCardBackend;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardImageCodec;
import org.cardinaldm.smartcard.sim.internal.image.MemoryImageStore;

/** A simulated reader in the JVM: each insertion is a new {@link SimCardBackend} with the card in it. */
final class SimSlot implements CardSlot {
    private final String reader;
    private SimCardBackend backend;

    SimSlot(String reader) {
        this.reader = reader;
    }

    @Override
    public String reader() {
        return reader;
    }

    /** @return the reader backend holding the card now, or {@code null} */
    SimCardBackend backend() {
        return backend;
    }

    @Override
    public void insert(CardServiceImpl cards, TestCard card) throws Exception {
        CardImage image = card.image();
        backend = new SimCardBackend(reader, SimCardHandle.inMemory(image,
                new MemoryImageStore(CardImageCodec.encode(image))), true);
        cards.addBackend(backend, properties());
    }

    @Override
    public void pull(CardServiceImpl cards) {
        SimCardBackend b = backend;
        backend = null;
        cards.removeBackend(b, properties());
        b.close();
    }

    @Override
    public void close(CardServiceImpl cards) {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    private Map<String, Object> properties() {
        return Map.of("card.reader", reader, "card.backend", "sim");
    }
}
