package org.cardinaldm.smartcard.pcsc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.api.spi.CardConnection;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdConnector;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdPortLock;
import org.cardinaldm.testing.Pcscd;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.util.converter.Converters;

/**
 * The readers come back after pcscd restarts (javax.smartcardio's cached context is re-established). This test
 * kills and restarts the machine's pcscd, so it runs only with {@code CARDINAL_TEST_RESTART_PCSCD=true}.
 */
@Timeout(120)
@org.junit.jupiter.api.Tag(org.cardinaldm.testing.Requirements.OUTSIDE_TAG) // asks for pcscd or a program in code
class PcscdRestartTest {
    @Test
    void readers_come_back_after_pcscd_restarts() throws Exception {
        Assumptions.assumeTrue("true".equals(System.getenv("CARDINAL_TEST_RESTART_PCSCD")),
                "restarts pcscd: set CARDINAL_TEST_RESTART_PCSCD=true to run");
        Pcscd.require();
        Path start = Path.of("../../.ci/start-pcscd.sh").toAbsolutePath().normalize();
        assertThat(Files.isExecutable(start)).as("%s", start).isTrue();

        BlockingQueue<ReaderStatus> seen = new LinkedBlockingQueue<>();
        try (VpcdPortLock port = VpcdPortLock.acquire(35963, java.time.Duration.ofSeconds(60));
                SimCardHandle card = SimCardHandle.open(null, null, SimCardHandle.Personalize.IF_ABSENT);
                VpcdConnector vpcd = new VpcdConnector("127.0.0.1", 35963, card, true)) {
            assertThat(vpcd.awaitConnected(10_000)).isTrue();
            PcscContext context = new PcscContext();
            context.activate(Converters.standardConverter()
                    .convert(Map.of("event.wait.millis", 200, "retry.millis", 300)).to(PcscContext.Config.class));
            PcscCardBackend backend = new PcscCardBackend(context, Converters.standardConverter()
                    .convert(Map.of("card.reader", "Virtual PCD 00 00")).to(PcscCardBackend.Config.class));
            backend.addObserver((b, s) -> seen.add(s));
            try {
                await(seen, CardState.PRESENT);
                Process restart = new ProcessBuilder("bash", "-c",
                        "kill $(pgrep -x pcscd); for i in $(seq 100); do pgrep -x pcscd >/dev/null || break; sleep 0.1; done; "
                                + start).inheritIO().start();
                assertThat(restart.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(restart.exitValue()).isZero();
                await(seen, CardState.NO_READER);
                await(seen, CardState.PRESENT);
                try (CardConnection c = backend.connect()) {
                    assertThat(c.transmit(CommandApdu.of(0, 0xA4, 0, 0x0C, new byte[] {0x3F, 0})).sw())
                            .isEqualTo(0x9000);
                }
            } finally {
                backend.close();
                context.deactivate();
            }
        }
    }

    private static void await(BlockingQueue<ReaderStatus> seen, CardState state) throws InterruptedException {
        while (true) {
            ReaderStatus s = seen.poll(60, TimeUnit.SECONDS);
            assertThat(s).as("reader state %s", state).isNotNull();
            if (s.state() == state && (state != CardState.PRESENT || s.atr().length > 0)) {
                return;
            }
            assertThat(List.of(CardState.values())).contains(s.state());
        }
    }
}
