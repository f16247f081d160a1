package org.cardinaldm.smartcard.dm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.cardinaldm.smartcard.api.CardChannel;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.fumo.auth.card.internal.DemoFirmware;
import org.cardinaldm.smartcard.dm.api.CardFumo;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.internal.card.ApduStats;
import org.cardinaldm.smartcard.dm.internal.card.CardCommands;
import org.cardinaldm.smartcard.dm.internal.card.CardContents;
import org.cardinaldm.smartcard.dm.internal.card.CardIo;
import org.cardinaldm.smartcard.dm.internal.card.Discovery;
import org.cardinaldm.smartcard.dm.internal.card.FumoCommands;
import org.cardinaldm.smartcard.dm.internal.card.TearSafe;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.stacktest.card.CardStack;
import org.junit.jupiter.api.Test;

/**
 * Records the APDUs of the profile's four scenarios and of one FUMO authorisation (profile 1.2) on the demo card
 * (the worked trace of docs/smartcard-profile.md A11; {@code -Dcardinal.trace.print=true} writes it to
 * target/apdu-trace.txt) and checks their counts.
 */
class ApduTraceTest {
    /** A channel that records every exchange. */
    static final class Recording implements CardChannel {
        final CardChannel inner;
        final List<String> lines = new ArrayList<>();

        Recording(CardChannel inner) {
            this.inner = inner;
        }

        @Override
        public int number() {
            return inner.number();
        }

        @Override
        public ResponseApdu transmit(CommandApdu command) throws SmartCardException {
            ResponseApdu r = inner.transmit(command);
            lines.add(command.toHexString() + "\n   -> " + DemoCard.HEX.formatHex(r.bytes()));
            return r;
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void the_scenarios_of_the_worked_trace() throws Exception {
        StringBuilder out = new StringBuilder();
        try (CardStack stack = DmStacks.demo()) {
            stack.insert(); // the DM card service reads it first: wait for that, then start from a fresh card
            CardContents cold;
            try (CardSession s = stack.cards().openSession(CardStack.SIM_READER)) {
                s.reset(); // as just inserted: MF selected, no security state
                Recording rec = new Recording(s.basicChannel());
                cold = Discovery.cold(new CardIo(rec, new ApduStats()), CardStack.SIM_READER, s.atr());
                section(out, "cold detection", rec);
                assertThat(rec.lines).hasSize(15);
            }
            try (CardSession s = stack.cards().openSession(CardStack.SIM_READER)) {
                Recording rec = new Recording(s.basicChannel());
                assertThat(Discovery.refresh(new CardIo(rec, new ApduStats()), cold)).isSameAs(cold);
                section(out, "warm re-check", rec);
                assertThat(rec.lines).hasSize(1);
            }
            byte[] nonce = Base64.getDecoder().decode("q83vASNFZ4k=");
            try (CardSession s = stack.cards().openSession(CardStack.SIM_READER)) {
                Recording rec = new Recording(s.basicChannel());
                CardIo io = new CardIo(rec, new ApduStats());
                CardCommands.verifyDevice(io, java.util.HexFormat.of().parseHex(DemoCard.DEVICE_KEY));
                byte[] d = CardCommands.computeDigest(io, DemoCard.CLIENT_KEY, DigestType.MD5, nonce, null);
                assertThat(Base64.getEncoder().encodeToString(d))
                        .isEqualTo(Credentials.md5Digest(DemoCard.CLIENT_NAME, DemoCard.CLIENT_SECRET, nonce));
                byte[] challenge = CardCommands.serverChallenge(io, DemoCard.SERVER_KEY);
                byte[] server = Base64.getDecoder().decode(
                        Credentials.md5Digest(DemoCard.SERVER_NAME, DemoCard.SERVER_SECRET, challenge));
                assertThat(CardCommands.verifyServer(io, DemoCard.SERVER_KEY, DigestType.MD5, challenge, null, server))
                        .isTrue();
                section(out, "device key, credential digest, server challenge and server check", rec);
                assertThat(rec.lines).hasSize(4);
            }
            try (CardSession s = stack.cards().openSession(CardStack.SIM_READER)) {
                Recording rec = new Recording(s.basicChannel());
                CardIo io = new CardIo(rec, new ApduStats());
                CardContents c = Discovery.refresh(io, cold);
                io.useState(c.state());
                io.selectApplication(c.application().aid());
                byte[] content = SyncML.tndsWbxml(DemoCard.moStoreOptions()).encode(DemoCard.moStore());
                TearSafe.write(io, c.moPath(), c.moControl(), content);
                CardCommands.endSession(io);
                section(out, "MO write (after VERIFY SERVER DIGEST)", rec);
                assertThat(rec.lines).hasSize(1 + 1 + (content.length + 254) / 255 + 1 + 1);
            }
            fumoAuthorisation(stack, out);
        }
        if (Boolean.getBoolean("cardinal.trace.print")) {
            Files.writeString(Path.of("target", "apdu-trace.txt"), out);
        }
    }

    /**
     * One FUMO authorisation (profile 1.2) as fumo-auth-card runs it: FUMO ADMIT in the server's DM session (the
     * device key and the server's digest verified before it), then, after the session ended and the download, VERIFY
     * of the device key, FUMO AUTHORISE in its blocks and FUMO COMMIT: 5 APDUs of its own for one signer.
     */
    private static void fumoAuthorisation(CardStack stack, StringBuilder out) throws Exception {
        byte[] handle;
        try (CardSession s = stack.cards().openSession(CardStack.SIM_READER)) {
            CardIo session = new CardIo(s.basicChannel(), new ApduStats());
            CardCommands.verifyDevice(session, java.util.HexFormat.of().parseHex(DemoCard.DEVICE_KEY));
            byte[] challenge = CardCommands.serverChallenge(session, DemoCard.SERVER_KEY);
            byte[] server = Base64.getDecoder().decode(
                    Credentials.md5Digest(DemoCard.SERVER_NAME, DemoCard.SERVER_SECRET, challenge));
            assertThat(CardCommands.verifyServer(session, DemoCard.SERVER_KEY, DigestType.MD5, challenge, null, server))
                    .isTrue();
            Recording rec = new Recording(s.basicChannel());
            CardIo io = new CardIo(rec, new ApduStats());
            handle = FumoCommands.admit(io, DemoCard.SERVER_ID);
            CardCommands.endSession(io);
            section(out, "FUMO ADMIT in the server's DM session (after VERIFY SERVER DIGEST), then END DM SESSION", rec);
            assertThat(rec.lines).hasSize(2);
        }
        byte[] cms = DemoFirmware.demoSigned(2);
        byte[] manifest = DemoFirmware.manifestOf(cms);
        byte[] installerNonce = java.util.HexFormat.of().parseHex("00112233445566778899AABBCCDDEEFF");
        try (CardSession s = stack.cards().openSession(CardStack.SIM_READER)) {
            Recording rec = new Recording(s.basicChannel());
            CardIo io = new CardIo(rec, new ApduStats());
            CardCommands.verifyDevice(io, java.util.HexFormat.of().parseHex(DemoCard.DEVICE_KEY));
            CardFumo.CardAuthorisation a = FumoCommands.authorise(io, handle, manifest,
                    DemoFirmware.cardSignatures(cms), "Cardinal/Gateway", installerNonce);
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(manifest);
            assertThat(FumoCommands.commit(io, a.cardNonce(), sha, 2)).isEqualTo(2);
            section(out, "FUMO AUTHORISE and COMMIT after the download (manifest " + manifest.length + " bytes, CMS "
                    + cms.length + " bytes, 1 signer)", rec);
            // VERIFY device key, AUTHORISE in blocks of 255 bytes, COMMIT
            int input = rec.lines.size() - 2;
            assertThat(input).isEqualTo(2);
            java.security.Signature v = java.security.Signature.getInstance("SHA256withECDSA");
            v.initVerify(stack.dm().card(CardStack.SIM_READER).orElseThrow().fumoPolicy().orElseThrow()
                    .authorisationKey().map(ApduTraceTest::ecKey).orElseThrow());
            v.update(org.cardinaldm.fumo.api.spi.Authorisation.signedBytes(sha, 2, installerNonce, a.cardNonce()));
            assertThat(v.verify(a.signature())).as("the card signed the authorisation bytes").isTrue();
        }
        assertThat(stack.dm().refresh(CardStack.SIM_READER).orElseThrow().fumoPolicy().orElseThrow()
                .antiRollbackCounter()).isEqualTo(2);
    }

    private static java.security.PublicKey ecKey(byte[] spki) {
        try {
            return java.security.KeyFactory.getInstance("EC").generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void section(StringBuilder out, String title, Recording rec) {
        out.append("## ").append(title).append(" (").append(rec.lines.size()).append(" APDUs)\n");
        for (String l : rec.lines) {
            out.append(l).append('\n');
        }
    }
}
