package org.cardinaldm.smartcard.dm.internal;

import java.util.Map;

import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.stacktest.card.CardStack;
import org.osgi.util.converter.Converters;

/**
 * The card stack ({@link CardStack}) as smartcard-dm's tests use it in the JVM: the software UICC (image in
 * memory, so tears can be armed) as the stack's own card in the simulated reader {@value CardStack#SIM_READER},
 * not inserted yet, the card service, and the DM card service under test (the demo card's device key, the
 * stack's clock) with {@link CardStack#events()} recording its events.
 */
final class DmStacks {
    private DmStacks() {
    }

    /** @return the stack with the demo card (revalidation on every read) */
    static CardStack demo() throws Exception {
        return demo(SimCardHandle.personalisation(null), 0);
    }

    /** @return the stack with that card, the DM card service revalidating after that many milliseconds */
    static CardStack demo(CardImage image, long revalidateMillis) throws Exception {
        return CardStack.inJvm().card(image)
                .dm((cards, clock) -> new DmCardServiceImpl(cards, Converters.standardConverter()
                        .convert(Map.of("revalidate.millis", revalidateMillis, ".device.key", DemoCard.DEVICE_KEY))
                        .to(DmCardServiceImpl.Config.class), clock))
                .recordEvents().start();
    }
}
