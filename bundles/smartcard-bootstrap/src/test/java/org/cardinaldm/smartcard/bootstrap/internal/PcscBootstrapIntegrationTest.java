package org.cardinaldm.smartcard.bootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.AuthScheme;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.pcsc.internal.PcscCardBackend;
import org.cardinaldm.smartcard.pcsc.internal.PcscContext;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardImageCodec;
import org.cardinaldm.smartcard.sim.internal.image.MemoryImageStore;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdConnector;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdPortLock;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/**
 * The smart-card bootstrap through the real pcscd: the software card plugged into vpcd's second reader
 * "Virtual PCD 00 01" (TCP 35964 only, held with {@link VpcdPortLock} for the whole test), reached through
 * javax.smartcardio by the PC/SC backend. Needs pcscd and vsmartcard-vpcd: fails without them when
 * {@code CI=true}, is skipped otherwise.
 */
class PcscBootstrapIntegrationTest {
    static final String READER = "Virtual PCD 00 01";
    static final int PORT = 35964;
    static final String CARD = "98940000000000000DF4";

    @TempDir
    Path dir;

    @Test
    @Timeout(360)
    void a_card_on_pcscd_is_applied_serves_its_digests_and_is_withdrawn_when_pulled() throws Exception {
        requirePcscd();
        TestCard.Server s = TestCard.server("dms-p", "http://127.0.0.1:1/dm", "DIGEST");
        CardImage image = new TestCard(CARD).server(s).policy(CardPolicy.of(true, false, List.of("dms-p"))).image();
        try (VpcdPortLock port = VpcdPortLock.acquire(PORT, Duration.ofMinutes(5));
                Rig rig = new Rig(dir)) {
            SimCardHandle card = SimCardHandle.inMemory(image, new MemoryImageStore(CardImageCodec.encode(image)));
            PcscContext context = new PcscContext();
            context.activate(Converters.standardConverter().convert(Map.of("event.wait.millis", 200, "retry.millis", 500))
                    .to(PcscContext.Config.class));
            PcscCardBackend backend = new PcscCardBackend(context, Converters.standardConverter()
                    .convert(Map.of("card.reader", READER, "exclusive", true)).to(PcscCardBackend.Config.class));
            try (VpcdConnector vpcd = new VpcdConnector("127.0.0.1", PORT, card, true)) {
                assertThat(vpcd.awaitConnected(10_000)).as("connected to vpcd on " + PORT).isTrue();
                rig.startSource(Map.of());
                rig.cardService.addBackend(backend, Map.of("card.reader", READER, "card.backend", "pcsc"));
                awaitCard(rig);

                assertThat(rig.user.prompts).hasSize(1);
                assertThat(rig.user.prompts.get(0).text()).contains(CARD).contains(READER);
                assertThat(rig.bootstrap.origins()).containsEntry("dms-p", "card:" + CARD);
                AccountCredentials creds = rig.source.credentialProvider()
                        .credentials(rig.accounts.byServerId("dms-p").orElseThrow()).orElseThrow();
                byte[] nonce = "pcscd-nonce".getBytes();
                assertThat(creds.clientCredential(AuthScheme.MD5, nonce))
                        .isEqualTo(Credentials.md5Digest(s.clientName(), s.clientSecret(), nonce));
                assertThat(creds.verifyServerCredential(AuthScheme.MD5,
                        Credentials.md5Digest(s.serverName(), s.serverSecret(), nonce), nonce)).isTrue();

                vpcd.pull();
                rig.events.next(DmCardEvent.Type.REMOVED);
                rig.idle();
                assertThat(rig.accountNames()).isEmpty();
            } finally {
                rig.cardService.removeBackend(backend, Map.of("card.reader", READER, "card.backend", "pcsc"));
                backend.close();
                context.deactivate();
            }
        }
    }

    /** vpcd may report a stale connection as a removal first; waits for the card to be read and handled. */
    private static void awaitCard(Rig rig) throws Exception {
        while (true) {
            DmCardEvent e = rig.events.queue.poll(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(e).as("the card is read through pcscd").isNotNull();
            if (e.type() == DmCardEvent.Type.INSERTED && rig.dm.card(READER).isPresent()) {
                rig.idle();
                return;
            }
        }
    }

    private static void requirePcscd() {
        Path socket = Path.of("/run/pcscd/pcscd.comm");
        String missing = null;
        if (!Files.exists(Path.of("/usr/lib/pcsc/drivers/serial/libifdvpcd.so"))) {
            missing = "the vpcd driver is not installed (Debian: apt-get install -y pcscd vsmartcard-vpcd)";
        } else if (!Files.exists(socket) || !answers(socket)) {
            missing = "pcscd is not running (Debian package pcscd; start it with .ci/start-pcscd.sh)";
        }
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("PC/SC integration test cannot run: " + missing);
        }
        Assumptions.abort("PC/SC integration test skipped: " + missing);
    }

    private static boolean answers(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }
}
