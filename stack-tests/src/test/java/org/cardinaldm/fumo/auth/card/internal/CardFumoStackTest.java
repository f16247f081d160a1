package org.cardinaldm.fumo.auth.card.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.Authorisation;
import org.cardinaldm.fumo.api.spi.UpdateGrant;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.internal.CardStackAccess;
import org.cardinaldm.stacktest.card.CardStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card decides, end to end in the JVM: the demo card (smartcard-sim, profile 1.2), the card service, the DM
 * card service (smartcard-dm) and the card authorizer (fumo-auth-card) with pkg-trust's verifier, in the order
 * FUMO calls them. Counts the APDUs of one authorisation (admit + authorise + commit), the figure in
 * docs/fumo-card-authorisation.md, and runs the demo's three packages: counter 2 accepted, counter 1 refused
 * (405), an unknown signer refused (404).
 */
class CardFumoStackTest {
    private static final String CLASS = DemoFirmware.CLASS;

    @TempDir
    Path dir;

    @Test
    void the_demo_rollout_upgrade_accepted_downgrade_405_unknown_signer_404_and_the_apdu_count() throws Exception {
        try (CardStackAccess stack = new CardStackAccess()) {
            stack.insert();
            CardFumoAuthorizer authorizer = new CardFumoAuthorizer(stack.dm(), org.cardinaldm.pkg.trust.standalone.StandaloneVerifier.create(), "",
                    new KeyPins(dir.resolve("card-keys.properties")), Clock.systemUTC());
            DmCard card = stack.dm().card(CardStack.SIM_READER).orElseThrow();
            assertThat(card.capabilities()).contains(DmCard.CAPABILITY_FUMO);
            assertThat(card.profileVersion()).isEqualTo("1.2");
            assertThat(authorizer.signers().sha256Hex()).containsExactly(
                    "7fb1ea7ad6b51ecf2ba63cd7ab925adb9e73c59011c790f63216b01a170c23f0");

            // the server's DM session: the card verifies it, then FUMO admits while processing its Exec
            DemoFirmware.authenticate(card);
            stack.stats().reset();
            UpdateGrant grant = authorizer.admit("cardinal-dms", "Gateway");
            long admitApdus = stack.stats().apdus();
            card.endDmSession(); // the session ends; download and update come later

            byte[] cms = DemoFirmware.demoSigned(2);
            byte[] nonce = new byte[16];
            new SecureRandom().nextBytes(nonce);
            stack.stats().reset();
            Authorisation a = authorizer.authorise(grant, cms, nonce, CLASS);
            long authoriseApdus = stack.stats().apdus();
            assertThat(a.verifies(a.manifestSha256(), nonce, 2)).isTrue();
            stack.stats().reset();
            authorizer.commit(a);
            long commitApdus = stack.stats().apdus();
            authorizer.commit(a); // a device that crashed before its bookkeeping commits again: no error
            assertThat(stack.dm().refresh(CardStack.SIM_READER).orElseThrow().fumoPolicy().orElseThrow()
                    .antiRollbackCounter()).isEqualTo(2);
            System.out.printf("APDUs of one card authorisation: admit %d, authorise %d (manifest %d bytes), commit %d%n",
                    admitApdus, authoriseApdus, cms.length, commitApdus);
            assertThat(admitApdus).isEqualTo(1);
            assertThat(commitApdus).isEqualTo(1);
            assertThat(authoriseApdus).isBetween(2L, 4L); // VERIFY device key + the blocks of AUTHORISE

            // the demo's downgrade: counter 1 below the card's 2
            card = stack.dm().card(CardStack.SIM_READER).orElseThrow();
            DemoFirmware.authenticate(card);
            UpdateGrant g2 = authorizer.admit("cardinal-dms", "Gateway");
            assertThat(DemoFirmware.code(() -> authorizer.authorise(g2, DemoFirmware.demoSigned(1), nonce, CLASS))).isEqualTo(FumoResult.NOT_ACCEPTABLE);
            // the demo's unknown signer
            assertThat(DemoFirmware.code(() -> authorizer.authorise(g2, DemoFirmware.strangerSigned(3), nonce, CLASS)))
                    .isEqualTo(FumoResult.SIGNATURE_FAILED);
            // a server the card did not authenticate in this session cannot be admitted
            card.endDmSession();
            assertThat(DemoFirmware.code(() -> authorizer.admit("cardinal-dms", "Gateway"))).isEqualTo(FumoResult.UNDEFINED_ERROR);
            authorizer.release(g2);
        }
    }
}
