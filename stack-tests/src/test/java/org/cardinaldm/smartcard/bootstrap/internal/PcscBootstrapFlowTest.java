package org.cardinaldm.smartcard.bootstrap.internal;

import java.time.Duration;

import org.cardinaldm.smartcard.pcsc.internal.PcscContext;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdPortLock;
import org.cardinaldm.stacktest.card.CardStack;
import org.cardinaldm.testing.RequiresPcscd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * The bootstrap flows ({@link CardBootstrapFlows}) through the real pcscd: each card is plugged into vpcd's
 * second reader "Virtual PCD 00 01" (TCP 35964 only, {@link CardStack#overPcscd(int)}) and read through javax.smartcardio by the
 * PC/SC backend; a removal closes the vpcd connection, a replacement connects another card image. The port is
 * held with {@link VpcdPortLock} for the whole class. Needs pcscd and vsmartcard-vpcd ({@link RequiresPcscd}):
 * fails without them when {@code CI=true}, is skipped otherwise.
 */
@RequiresPcscd
@Timeout(120)
class PcscBootstrapFlowTest extends CardBootstrapFlows {
    private static VpcdPortLock port;
    private static PcscContext context;

    @BeforeAll
    @Timeout(360)
    static void plugIntoPcscd() throws Exception {
        port = VpcdPortLock.acquire(CardStack.VPCD_PORT_1, Duration.ofMinutes(5));
        context = CardStack.newPcscContext();
    }

    @AfterAll
    static void release() throws Exception {
        if (context != null) {
            context.deactivate();
        }
        if (port != null) {
            port.close();
        }
    }

    @Override
    CardStack.Builder cards() {
        return CardStack.overPcscd(1).pcscContext(context).portHeldByCaller();
    }
}
