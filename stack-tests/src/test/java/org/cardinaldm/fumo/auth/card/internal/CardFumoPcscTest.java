package org.cardinaldm.fumo.auth.card.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cardinaldm.fumo.auth.card.internal.DemoFirmware.CLASS;
import static org.cardinaldm.fumo.auth.card.internal.DemoFirmware.SERVER;
import static org.cardinaldm.fumo.auth.card.internal.DemoFirmware.authenticate;
import static org.cardinaldm.fumo.auth.card.internal.DemoFirmware.code;
import static org.cardinaldm.fumo.auth.card.internal.DemoFirmware.demoSigned;
import static org.cardinaldm.fumo.auth.card.internal.DemoFirmware.strangerSigned;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.Authorisation;
import org.cardinaldm.fumo.api.spi.UpdateGrant;
import org.cardinaldm.pkg.trust.standalone.StandaloneVerifier;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardFumo;
import org.cardinaldm.smartcard.dm.api.CardFumoException;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.dm.internal.DemoCard;
import org.cardinaldm.smartcard.dm.internal.DmCardServiceImpl;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdConnector;
import org.cardinaldm.stacktest.card.CardStack;
import org.cardinaldm.testing.RequiresPcscd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/**
 * The card's FUMO authorisation through the real pcscd (issue 14: "the card's refusals tested on the in-JVM card
 * and through pcscd"): the demo card (profile 1.2, image file personalised afresh) plugged into vpcd's reader
 * "Virtual PCD 00 00", reached through javax.smartcardio by smartcard-pcsc, the card service, the DM card service
 * and fumo-auth-card's {@link CardFumoAuthorizer} with pkg-trust's verifier, in the order fumo-core calls them. The
 * demo server opens the card's {@code dm} state as in the other pcscd tests (GET SERVER CHALLENGE, VERIFY SERVER
 * DIGEST). One card for the class, in this order: admit without the {@code dm} state refused; counter 2 authorised
 * and committed (APDUs counted); counter 1 refused 405 by the card; an unknown signer 404 and a wrong device class
 * 403, on the device (no APDU) and on the card itself; a server the card's FUMO policy does not list 405 (the card
 * issuer changes the list with FUMO POLICY UPDATE); the card pulled between authorise and commit (counter
 * unchanged; the authorisation commits after reinsertion and a second commit changes nothing; released, as fumo-core
 * releases the grant when it rolls back, it is refused). Needs pcscd and
 * vsmartcard-vpcd ({@link RequiresPcscd}: skipped without them, failed with {@code CI=true}); holds vpcd port 35963
 * for its whole run (docs/smartcard-profile.md, "One test per vpcd reader at a time").
 */
@RequiresPcscd
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(90)
class CardFumoPcscTest {
    private static final String READER = CardStack.VPCD_READER_0;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private CardStack stack;
    private VpcdConnector vpcd;
    private DmCardServiceImpl dm;
    private CardFumoAuthorizer authorizer;
    private final byte[] nonce = new byte[16];

    @BeforeAll
    @Timeout(360)
    void start(@TempDir Path dir) throws Exception {
        stack = CardStack.overPcscd(0)
                .card(SimCardHandle.open(dir.resolve("fumo.img"), null, SimCardHandle.Personalize.ALWAYS))
                .dm((cards, clock) -> new DmCardServiceImpl(cards, Converters.standardConverter()
                        .convert(Map.of(".device.key", DemoCard.DEVICE_KEY)).to(DmCardServiceImpl.Config.class)))
                .recordEvents().start();
        vpcd = stack.vpcd();
        dm = stack.dm();
        authorizer = new CardFumoAuthorizer(dm, StandaloneVerifier.create(), READER,
                new KeyPins(dir.resolve("card-keys.properties")), Clock.systemUTC());
        new SecureRandom().nextBytes(nonce);
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /** Waits until the card is read; vpcd may report a stale connection removed once first. */
    private DmCard awaitCard() throws InterruptedException {
        while (dm.card(READER).isEmpty()) {
            DmCardEvent e = stack.events().next();
            if (e.type() != DmCardEvent.Type.REMOVED && dm.card(READER).isPresent()) {
                break;
            }
        }
        return dm.card(READER).orElseThrow();
    }

    private long cardCounter() throws Exception {
        return dm.refresh(READER).orElseThrow().fumoPolicy().orElseThrow().antiRollbackCounter();
    }

    /** The demo server's session: the card authenticates it, FUMO admits, the session ends. */
    private UpdateGrant admitted() throws Exception {
        DmCard card = awaitCard();
        authenticate(card);
        UpdateGrant grant = authorizer.admit(SERVER, "Gateway");
        card.endDmSession();
        return grant;
    }

    private static FumoResult cardVerdict(CardFumoException e) {
        return switch (e.reason()) {
            case PACKAGE_MISMATCH -> FumoResult.PACKAGE_MISMATCH;
            case BAD_SIGNATURE -> FumoResult.SIGNATURE_FAILED;
            case ROLLBACK, SERVER_NOT_ALLOWED -> FumoResult.NOT_ACCEPTABLE;
            default -> FumoResult.UNDEFINED_ERROR;
        };
    }

    @Test
    @Order(1)
    void the_demo_card_on_pcscd_is_a_fumo_card_and_admit_without_the_dm_state_is_refused_by_the_card()
            throws Exception {
        DmCard card = awaitCard();
        assertThat(card.profileVersion()).isEqualTo("1.2");
        assertThat(card.capabilities()).contains(DmCard.CAPABILITY_FUMO);
        assertThat(cardCounter()).isEqualTo(1);

        dm.stats().reset();
        assertThat(code(() -> authorizer.admit(SERVER, "Gateway"))).isEqualTo(FumoResult.UNDEFINED_ERROR);
        assertThat(dm.stats().apdus()).as("the card itself was asked").isPositive();
        assertThatThrownBy(() -> card.fumo().orElseThrow().admit(SERVER))
                .isInstanceOfSatisfying(SmartCardException.class,
                        e -> assertThat(e.code()).isEqualTo(SmartCardException.Code.SECURITY_STATUS_NOT_SATISFIED));
        assertThat(cardCounter()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void a_counter_2_manifest_is_admitted_authorised_and_committed_in_5_apdus() throws Exception {
        DmCard card = awaitCard();
        authenticate(card);
        dm.stats().reset();
        long t0 = System.nanoTime();
        UpdateGrant grant = authorizer.admit(SERVER, "Gateway");
        long admitMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
        long admitApdus = dm.stats().apdus();
        card.endDmSession();

        byte[] cms = demoSigned(2);
        dm.stats().reset();
        t0 = System.nanoTime();
        Authorisation a = authorizer.authorise(grant, cms, nonce, CLASS);
        long authoriseMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
        long authoriseApdus = dm.stats().apdus();
        assertThat(a.securityCounter()).isEqualTo(2);
        assertThat(a.verifies(a.manifestSha256(), nonce, 2)).isTrue();
        assertThat(cardCounter()).as("authorising raises nothing").isEqualTo(1);

        dm.stats().reset();
        t0 = System.nanoTime();
        authorizer.commit(a);
        long commitMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
        long commitApdus = dm.stats().apdus();
        assertThat(cardCounter()).isEqualTo(2);
        System.out.printf("pcscd: one card authorisation: admit %d APDU (%d us), authorise %d (%d us, CMS %d bytes), "
                + "commit %d (%d us)%n", admitApdus, admitMicros, authoriseApdus, authoriseMicros, cms.length,
                commitApdus, commitMicros);
        assertThat(admitApdus).isEqualTo(1);
        assertThat(authoriseApdus).as("VERIFY device key + 2 blocks").isEqualTo(3);
        // 1; 3 when pcscd powered the card off since AUTHORISE (VERIFY device key again, then COMMIT once more)
        assertThat(commitApdus).isIn(1L, 3L);
    }

    @Test
    @Order(3)
    void a_counter_1_manifest_is_refused_by_the_card_405_rollback() throws Exception {
        UpdateGrant grant = admitted();
        byte[] cms = demoSigned(1);
        dm.stats().reset();
        assertThat(code(() -> authorizer.authorise(grant, cms, nonce, CLASS))).isEqualTo(FumoResult.NOT_ACCEPTABLE);
        assertThat(dm.stats().apdus()).as("the device's check passes, the card refuses").isPositive();

        CmsSplit.Parts parts = CmsSplit.split(cms);
        CardFumoException e = refusedByCard(grant, parts.manifest(), List.of(demoSignature(parts)), CLASS);
        assertThat(e.reason()).isEqualTo(CardFumoException.Reason.ROLLBACK);
        assertThat(e.statusWord()).isEqualTo(0x6F05);
        assertThat(cardVerdict(e)).isEqualTo(FumoResult.NOT_ACCEPTABLE);
        authorizer.release(grant);
        assertThat(cardCounter()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void an_unknown_signer_is_refused_404_by_the_device_without_an_apdu_and_by_the_card() throws Exception {
        UpdateGrant grant = admitted();
        byte[] cms = strangerSigned(3);
        dm.stats().reset();
        assertThat(code(() -> authorizer.authorise(grant, cms, nonce, CLASS))).isEqualTo(FumoResult.SIGNATURE_FAILED);
        assertThat(dm.stats().apdus()).as("refused on the device").isZero();

        // a device that skipped its own check: the stranger's signature presented as the demo signer's
        CmsSplit.Parts parts = CmsSplit.split(cms);
        CmsSplit.Signer s = parts.signers().get(0);
        CardFumoException e = refusedByCard(grant, parts.manifest(),
                List.of(new CardFumo.ManifestSignature(0, s.signedAttributes(), s.signature())), CLASS);
        assertThat(e.reason()).isEqualTo(CardFumoException.Reason.BAD_SIGNATURE);
        assertThat(e.statusWord()).isEqualTo(0x6F04);
        assertThat(cardVerdict(e)).isEqualTo(FumoResult.SIGNATURE_FAILED);
        authorizer.release(grant);
        assertThat(cardCounter()).isEqualTo(2);
    }

    @Test
    @Order(5)
    void a_wrong_device_class_is_refused_403_by_the_device_without_an_apdu_and_by_the_card() throws Exception {
        UpdateGrant grant = admitted();
        byte[] cms = demoSigned(3);
        dm.stats().reset();
        assertThat(code(() -> authorizer.authorise(grant, cms, nonce, "Acme/Toaster")))
                .isEqualTo(FumoResult.PACKAGE_MISMATCH);
        assertThat(code(() -> authorizer.authorise(grant, demoSigned(3, "Acme/Toaster"), nonce, CLASS)))
                .isEqualTo(FumoResult.PACKAGE_MISMATCH);
        assertThat(dm.stats().apdus()).as("refused on the device").isZero();

        CmsSplit.Parts parts = CmsSplit.split(cms);
        CardFumoException e = refusedByCard(grant, parts.manifest(), List.of(demoSignature(parts)), "Acme/Toaster");
        assertThat(e.reason()).isEqualTo(CardFumoException.Reason.PACKAGE_MISMATCH);
        assertThat(e.statusWord()).isEqualTo(0x6F03);
        assertThat(cardVerdict(e)).isEqualTo(FumoResult.PACKAGE_MISMATCH);
        authorizer.release(grant);
        assertThat(cardCounter()).isEqualTo(2);
    }

    @Test
    @Order(6)
    void a_server_the_cards_fumo_policy_does_not_list_is_refused_405() throws Exception {
        issuerSetsAllowedServers(List.of("other-dms"));
        assertThat(dm.refresh(READER).orElseThrow().fumoPolicy().orElseThrow().allowedServers())
                .containsExactly("other-dms");
        DmCard card = awaitCard();
        authenticate(card);
        assertThat(code(() -> authorizer.admit(SERVER, "Gateway"))).isEqualTo(FumoResult.NOT_ACCEPTABLE);
        assertThatThrownBy(() -> card.fumo().orElseThrow().admit(SERVER))
                .isInstanceOfSatisfying(CardFumoException.class, e -> {
                    assertThat(e.reason()).isEqualTo(CardFumoException.Reason.SERVER_NOT_ALLOWED);
                    assertThat(e.statusWord()).isEqualTo(0x6F05);
                });
        card.endDmSession();

        issuerSetsAllowedServers(List.of(SERVER));
        assertThat(admitted().serverId()).isEqualTo(SERVER);
        assertThat(cardCounter()).as("the issuer kept the counter").isEqualTo(2);
    }

    @Test
    @Order(7)
    void a_card_pulled_between_authorise_and_commit_keeps_its_counter_and_commits_that_authorisation_once_back()
            throws Exception {
        UpdateGrant grant = admitted();
        Authorisation a = authorizer.authorise(grant, demoSigned(3), nonce, CLASS);

        vpcd.pull();
        assertThat(stack.events().next(DmCardEvent.Type.REMOVED).reader()).isEqualTo(READER);
        assertThat(code(() -> authorizer.commit(a))).as("no card: fumo-core rolls back")
                .isEqualTo(FumoResult.UNDEFINED_ERROR);

        vpcd.insert();
        awaitCard();
        assertThat(cardCounter()).as("the pull changed nothing").isEqualTo(2);
        // the admission and its authorisation are in the card image (they survive power loss): the device may
        // still commit the update it installed; a second commit answers 9000 and changes nothing
        authorizer.commit(a);
        assertThat(cardCounter()).isEqualTo(3);
        authorizer.commit(a);
        assertThat(cardCounter()).isEqualTo(3);
        // an authorisation the card did not issue (another counter) is refused
        Authorisation forged = new Authorisation(a.manifestSha256(), 9, nonce, a.authorityNonce(), a.algorithm(),
                a.signature(), a.key());
        assertThat(code(() -> authorizer.commit(forged))).isEqualTo(FumoResult.NOT_ACCEPTABLE);
        assertThat(cardCounter()).isEqualTo(3);
        // and the downgrade to the old counter 2 is refused now
        UpdateGrant g2 = admitted();
        assertThat(code(() -> authorizer.authorise(g2, demoSigned(2), nonce, CLASS))).isEqualTo(FumoResult.NOT_ACCEPTABLE);
        authorizer.release(g2);
    }

    @Test
    @Order(8)
    void an_authorisation_released_after_a_pull_as_fumo_core_does_when_it_rolls_back_can_no_longer_be_committed()
            throws Exception {
        UpdateGrant grant = admitted();
        Authorisation a = authorizer.authorise(grant, demoSigned(4), nonce, CLASS);
        vpcd.pull();
        assertThat(stack.events().next(DmCardEvent.Type.REMOVED).reader()).isEqualTo(READER);
        assertThat(code(() -> authorizer.commit(a))).isEqualTo(FumoResult.UNDEFINED_ERROR);
        vpcd.insert();
        awaitCard();
        // fumo-core: the commit failed, so the update is rolled back (410) and the grant released
        authorizer.release(grant);
        assertThat(code(() -> authorizer.commit(a))).as("the card answers 6A88").isEqualTo(FumoResult.NOT_ACCEPTABLE);
        assertThat(cardCounter()).as("the counter of the firmware that stayed").isEqualTo(3);
    }

    // ---------------------------------------------------------------- helpers

    private static CardFumo.ManifestSignature demoSignature(CmsSplit.Parts parts) {
        CmsSplit.Signer s = parts.signers().get(0);
        return new CardFumo.ManifestSignature(0, s.signedAttributes(), s.signature());
    }

    /** FUMO AUTHORISE sent straight to the card (the device's own check skipped); the card must refuse. */
    private CardFumoException refusedByCard(UpdateGrant grant, byte[] manifest, List<CardFumo.ManifestSignature> sigs,
            String deviceClass) throws Exception {
        DmCard card = awaitCard();
        byte[] handle = HEX.parseHex(grant.handle().substring(grant.handle().indexOf('/') + 1));
        try {
            card.fumo().orElseThrow().authorise(handle, manifest, sigs, deviceClass, nonce);
        } catch (CardFumoException e) {
            return e;
        }
        throw new AssertionError("the card authorised");
    }

    /** The card issuer changes the FUMO policy's allowed servers (FUMO POLICY UPDATE signed with its key). */
    private void issuerSetsAllowedServers(List<String> servers) throws Exception {
        DmCard card = awaitCard();
        long counter = cardCounter();
        CardFumo fumo = card.fumo().orElseThrow();
        byte[] challenge = fumo.policyChallenge();
        byte[] change = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
            new DERSequence(SubjectPublicKeyInfo.getInstance(DemoFirmware.signerCertificate().getPublicKey().getEncoded())),
            new ASN1Integer(1),
            new DERSequence(servers.stream().map(DERUTF8String::new).toArray(org.bouncycastle.asn1.ASN1Encodable[]::new)),
            new ASN1Integer(counter)}).getEncoded(ASN1Encoding.DER);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(DemoFirmware.issuerKey());
        s.update(CardFumo.policySignedBytes(HEX.parseHex(card.cardId()), challenge, change));
        fumo.updatePolicy(change, List.of(new CardFumo.PolicySignature(CardFumo.ISSUER, s.sign())));
    }
}
