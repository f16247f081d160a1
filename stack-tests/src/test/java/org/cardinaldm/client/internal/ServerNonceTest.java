package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.client.internal.SessionEngineTest.headerStatus;
import static org.cardinaldm.client.internal.SessionEngineTest.item;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.internal.auth.DmAccCredentials;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nonce the client gives the server comes from the credential store when it has one (a card's challenge). */
class ServerNonceTest {
    private static final byte[] STORED = "server-nonce-1".getBytes();

    @TempDir
    Path dir;

    /** The account's own credentials, with a store that chooses the server's next nonce. */
    private static final class ChoosingCredentials extends ForwardingCredentials {
        private final byte[] next;
        int asked;

        ChoosingCredentials(AccountCredentials d, byte[] next) {
            super(d);
            this.next = next;
        }

        @Override
        public Optional<byte[]> nextServerNonce() {
            asked++;
            return Optional.ofNullable(next == null ? null : next.clone());
        }
    }

    private DeviceRig md5Device(byte[] cardNonce, ChoosingCredentials[] made) throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"BASIC", "device", "devpass"},
                new String[] {"DIGEST", "server", "srvpass", Base64.getEncoder().encodeToString(STORED)});
        d.client().bindCredentialProvider(account -> {
            made[0] = new ChoosingCredentials(DmAccCredentials.of(account), cardNonce);
            return Optional.of(made[0]);
        }, Map.of());
        return d;
    }

    private static FakeServer md5Server() {
        FakeServer s = new FakeServer();
        s.cred = new Cred(Meta.of("b64", "syncml:auth-md5"), Data.text(Credentials.md5Digest("server", "srvpass", STORED)));
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("5", item("./Md5", "chr", "x")));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        return s;
    }

    @Test
    void the_next_server_nonce_is_the_one_the_credential_store_chooses() throws Exception {
        byte[] card = "card-challenge-0001".getBytes();
        ChoosingCredentials[] made = new ChoosingCredentials[1];
        DeviceRig d = md5Device(card, made);
        FakeServer s = md5Server();
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        Status hdr = headerStatus(s.received.get(1));
        assertThat(hdr.chal().meta().nextNonce()).isEqualTo(Base64.getEncoder().encodeToString(card));
        assertThat(d.nonce(DeviceRig.SERVER, "sv")).containsExactly(card);
        assertThat(made[0].asked).isPositive();
    }

    @Test
    void a_store_without_a_nonce_of_its_own_lets_the_client_choose_a_random_one() throws Exception {
        ChoosingCredentials[] made = new ChoosingCredentials[1];
        DeviceRig d = md5Device(null, made);
        FakeServer s = md5Server();
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        byte[] next = Base64.getDecoder().decode(headerStatus(s.received.get(1)).chal().meta().nextNonce());
        assertThat(next).hasSize(16).isNotEqualTo(STORED);
        assertThat(d.nonce(DeviceRig.SERVER, "sv")).containsExactly(next);
        assertThat(made[0].asked).isPositive();
    }
}
