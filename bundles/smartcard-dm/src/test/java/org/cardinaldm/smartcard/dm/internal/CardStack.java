package org.cardinaldm.smartcard.dm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.smartcard.core.internal.CardServiceImpl;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.dm.api.DmCardListener;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.backend.SimCardBackend;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardImageCodec;
import org.cardinaldm.smartcard.sim.internal.image.MemoryImageStore;
import org.osgi.util.converter.Converters;

/**
 * The real card stack in one JVM: the software UICC (image in memory, so tears can be armed) in a simulated
 * reader, the card service of smartcard-core, and the DM card service under test with a listener that
 * records its events.
 */
final class CardStack implements AutoCloseable {
    static final String READER = "Sim 0";

    final MemoryImageStore memory;
    final SimCardHandle handle;
    final SimCardBackend backend;
    final CardServiceImpl cardService = new CardServiceImpl();
    final DmCardServiceImpl dm;
    final Events events = new Events();

    /** Records DM card events. */
    static final class Events implements DmCardListener {
        final BlockingQueue<DmCardEvent> queue = new LinkedBlockingQueue<>();

        @Override
        public void dmCardChanged(DmCardEvent event) {
            queue.add(event);
        }

        DmCardEvent next() throws InterruptedException {
            DmCardEvent e = queue.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("a DM card event").isNotNull();
            return e;
        }

        DmCardEvent next(DmCardEvent.Type type) throws InterruptedException {
            while (true) {
                DmCardEvent e = next();
                if (e.type() == type) {
                    return e;
                }
            }
        }
    }

    /** The DM card service's clock (nanoseconds), moved by tests of the idle limit. */
    volatile long clock;

    CardStack() throws Exception {
        this(SimCardHandle.personalisation(null), 0);
    }

    CardStack(CardImage image, long revalidateMillis) throws Exception {
        memory = new MemoryImageStore(CardImageCodec.encode(image));
        handle = SimCardHandle.inMemory(image, memory);
        backend = new SimCardBackend(READER, handle, false);
        dm = new DmCardServiceImpl(cardService, Converters.standardConverter()
                .convert(Map.of("revalidate.millis", revalidateMillis, ".device.key", DemoCard.DEVICE_KEY))
                .to(DmCardServiceImpl.Config.class), () -> clock);
        dm.addListener(events, Map.of());
        cardService.addListener(dm, Map.of());
        cardService.addBackend(backend, Map.of("card.reader", READER, "card.backend", "sim"));
    }

    /** Inserts the card and waits until the DM card service has read it. */
    DmCardEvent insert() throws Exception {
        backend.insert();
        return events.next(DmCardEvent.Type.INSERTED);
    }

    /** Removes the card and waits until the DM card service has noticed. */
    DmCardEvent remove() throws Exception {
        backend.remove();
        return events.next(DmCardEvent.Type.REMOVED);
    }

    @Override
    public void close() throws Exception {
        dm.deactivate();
        cardService.deactivate();
        backend.close();
    }
}
