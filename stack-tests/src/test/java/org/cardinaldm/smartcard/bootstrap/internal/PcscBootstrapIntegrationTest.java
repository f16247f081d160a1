package org.cardinaldm.smartcard.bootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.AuthScheme;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.pcsc.internal.PcscContext;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdPortLock;
import org.cardinaldm.stacktest.card.CardStack;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.testing.RequiresPcscd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card-held credentials through the real pcscd: the software card plugged into vpcd's second reader
 * "Virtual PCD 00 01" ({@link CardStack#overPcscd(int)}, TCP 35964 only, held with {@link VpcdPortLock} for the whole test),
 * reached through javax.smartcardio by the PC/SC backend. Needs pcscd and vsmartcard-vpcd ({@link RequiresPcscd}): fails
 * without them when {@code CI=true}, is skipped otherwise.
 */
@RequiresPcscd
class PcscBootstrapIntegrationTest {
    static final String CARD = "98940000000000000DF4";

    @TempDir
    Path dir;

    @Test
    @Timeout(360)
    void a_card_on_pcscd_is_applied_serves_its_digests_and_is_withdrawn_when_pulled() throws Exception {
        TestServer s = TestCard.server("dms-p", "http://127.0.0.1:1/dm", "DIGEST");
        try (VpcdPortLock port = VpcdPortLock.acquire(CardStack.VPCD_PORT_1, Duration.ofMinutes(5))) {
            PcscContext context = CardStack.newPcscContext();
            try (Rig rig = new Rig(dir, CardStack.overPcscd(1).pcscContext(context).portHeldByCaller())) {
                rig.startSource(Map.of());
                rig.insert(new TestCard(CARD).server(s).policy(CardPolicy.of(true, false, List.of("dms-p"))));

                assertThat(rig.user.prompts).hasSize(1);
                assertThat(rig.user.prompts.get(0).text()).contains(CARD).contains(CardStack.VPCD_READER_1);
                assertThat(rig.bootstrap.origins()).containsEntry("dms-p", "card:" + CARD);
                AccountCredentials creds = rig.source.credentialProvider()
                        .credentials(rig.accounts.byServerId("dms-p").orElseThrow()).orElseThrow();
                byte[] nonce = "pcscd-nonce".getBytes();
                assertThat(creds.clientCredential(AuthScheme.MD5, nonce))
                        .isEqualTo(Credentials.md5Digest(s.clientName(), s.clientSecret(), nonce));
                // the card verifies the server only against a challenge it chose itself, once (profile 1.1)
                assertThat(creds.verifyServerCredential(AuthScheme.MD5,
                        Credentials.md5Digest(s.serverName(), s.serverSecret(), nonce), nonce))
                        .as("a nonce the caller chose").isFalse();
                byte[] challenge = creds.nextServerNonce().orElseThrow();
                String server = Credentials.md5Digest(s.serverName(), s.serverSecret(), challenge);
                assertThat(creds.verifyServerCredential(AuthScheme.MD5, server, challenge)).isTrue();
                assertThat(creds.verifyServerCredential(AuthScheme.MD5, server, challenge))
                        .as("the same server credential, replayed").isFalse();

                rig.remove();
                assertThat(rig.accountNames()).isEmpty();
            } finally {
                context.deactivate();
            }
        }
    }
}
