package org.cardinaldm.fumo.auth.card.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.Authorisation;
import org.cardinaldm.fumo.api.spi.FumoRefusedException;
import org.cardinaldm.fumo.api.spi.UpdateGrant;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardFumo;
import org.cardinaldm.smartcard.dm.api.CardFumoException;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCards;
import org.cardinaldm.smartcard.dm.api.FumoPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

/**
 * The authorizer against a card whose answers the test controls (Mockito), pkg-trust's real verifier and real
 * CMS manifests (one signer and M-of-N): the device-side checks, the split for the card, the result codes, the
 * check of the card's signature and the key pinned per card. The card itself is tested in smartcard-sim and, with
 * this bundle, in stack-tests.
 */
class CardFumoAuthorizerTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String CLASS = "Cardinal/Gateway";
    private static final byte[] NONCE = new byte[16];
    private static final byte[] CARD_NONCE = HEX.parseHex("0F0E0D0C0B0A09080706050403020100");
    private static final byte[] HANDLE = HEX.parseHex("0102030405060708");

    @TempDir
    Path dir;
    private final DmCards cards = mock(DmCards.class);
    private final DmCard card = mock(DmCard.class);
    private final CardFumo fumo = mock(CardFumo.class);
    private final KeyPair cardKey = ec();
    private final KeyPair a = ec();
    private final KeyPair b = ec();
    private final KeyPair c = ec();

    private CardFumoAuthorizer authorizer(FumoPolicy policy) {
        when(cards.cards()).thenReturn(List.of(card));
        when(card.capabilities()).thenReturn(Set.of(DmCard.CAPABILITY_FUMO));
        when(card.cardId()).thenReturn("989400000000000010F2");
        when(card.reader()).thenReturn("Cardinal SIM 0");
        when(card.fumo()).thenReturn(Optional.of(fumo));
        when(card.fumoPolicy()).thenReturn(Optional.of(policy));
        return new CardFumoAuthorizer(cards, org.cardinaldm.pkg.trust.standalone.StandaloneVerifier.create(), "", new KeyPins(dir.resolve("pins")),
                Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC));
    }

    private FumoPolicy policy(int threshold, KeyPair... signers) {
        List<String> hashes = java.util.Arrays.stream(signers).map(k -> HEX.formatHex(sha256(k.getPublic().getEncoded())))
                .toList();
        List<byte[]> keys = java.util.Arrays.stream(signers).map(k -> k.getPublic().getEncoded()).toList();
        return FumoPolicy.of(hashes, List.of("cardinal-dms"), 1, keys, threshold, cardKey.getPublic().getEncoded());
    }

    private UpdateGrant grant() {
        return new UpdateGrant("cardinal-dms", "Gateway", "989400000000000010F2/0102030405060708", Instant.EPOCH);
    }

    /** The card answers with a signature of its key over the authorisation bytes of what it was sent. */
    private void cardSigns() throws Exception {
        when(fumo.authorise(any(), any(), anyList(), anyString(), any())).thenAnswer(inv -> {
            byte[] manifest = inv.getArgument(1);
            long counter = 2; // the manifests of this test carry counter 2
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(cardKey.getPrivate());
            s.update(Authorisation.signedBytes(sha256(manifest), counter, inv.getArgument(4), CARD_NONCE));
            return new CardFumo.CardAuthorisation(CARD_NONCE, s.sign());
        });
    }

    @Test
    void admit_returns_a_grant_naming_the_card_and_maps_the_cards_refusals() throws Exception {
        CardFumoAuthorizer auth = authorizer(policy(1, a));
        when(fumo.admit("cardinal-dms")).thenReturn(HANDLE);
        UpdateGrant g = auth.admit("cardinal-dms", "Gateway");
        assertThat(g.handle()).isEqualTo("989400000000000010F2/0102030405060708");
        assertThat(g.granted()).isEqualTo(Instant.parse("2026-12-07T12:00:00Z"));

        when(fumo.admit("other")).thenThrow(new CardFumoException(CardFumoException.Reason.SERVER_NOT_ALLOWED, 0x6F05, "x"));
        assertThatThrownBy(() -> auth.admit("other", "Gateway")).isInstanceOf(FumoRefusedException.class)
                .extracting(e -> ((FumoRefusedException) e).result()).isEqualTo(FumoResult.NOT_ACCEPTABLE);
        when(fumo.admit("nosession")).thenThrow(new SmartCardException(SmartCardException.Code.SECURITY_STATUS_NOT_SATISFIED, "6982"));
        assertThatThrownBy(() -> auth.admit("nosession", "Gateway")).extracting(e -> ((FumoRefusedException) e).result())
                .isEqualTo(FumoResult.UNDEFINED_ERROR);
    }

    @Test
    void without_a_card_or_without_its_fumo_commands_nothing_is_authorised_409() throws Exception {
        CardFumoAuthorizer auth = authorizer(policy(1, a));
        when(card.fumo()).thenReturn(Optional.empty());
        assertThatThrownBy(() -> auth.admit("cardinal-dms", "Gateway")).extracting(e -> ((FumoRefusedException) e).result())
                .isEqualTo(FumoResult.UNDEFINED_ERROR);
        when(cards.cards()).thenReturn(List.of());
        assertThatThrownBy(auth::signers).extracting(e -> ((FumoRefusedException) e).result())
                .isEqualTo(FumoResult.UNDEFINED_ERROR);
    }

    @Test
    void signers_are_the_cards_list() throws Exception {
        CardFumoAuthorizer auth = authorizer(policy(1, a, b));
        assertThat(auth.signers()).isEqualTo(TrustedSigners.ofKeys(List.of(a.getPublic(), b.getPublic())));
    }

    @Test
    void authorise_sends_the_manifest_and_the_signers_part_and_checks_the_cards_signature() throws Exception {
        CardFumoAuthorizer auth = authorizer(policy(1, b, a));
        cardSigns();
        byte[] cms = sign(firmware(CLASS, 2L), a);
        Authorisation result = auth.authorise(grant(), cms, NONCE, CLASS);
        assertThat(result.securityCounter()).isEqualTo(2);
        assertThat(result.authorityNonce()).isEqualTo(CARD_NONCE);
        assertThat(result.key()).isEqualTo(cardKey.getPublic());
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<CardFumo.ManifestSignature>> sent = ArgumentCaptor.forClass(List.class);
        verify(fumo).authorise(eq(HANDLE), any(), sent.capture(), eq(CLASS), eq(NONCE));
        assertThat(sent.getValue()).hasSize(1);
        assertThat(sent.getValue().get(0).signerIndex()).as("a is the card's second signer").isEqualTo(1);
        assertThat(sent.getValue().get(0).signedAttributes()[0]).as("a DER SET").isEqualTo((byte) 0x31);
        assertThat(result.verifies(result.manifestSha256(), NONCE, 2)).isTrue();
    }

    @Test
    void m_of_n_sends_only_the_cards_signers_and_refuses_too_few_before_asking_the_card() throws Exception {
        CardFumoAuthorizer auth = authorizer(policy(2, a, b));
        cardSigns();
        byte[] cms = sign(firmware(CLASS, 2L), a, c, b); // c is not on the card
        auth.authorise(grant(), cms, NONCE, CLASS);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<CardFumo.ManifestSignature>> sent = ArgumentCaptor.forClass(List.class);
        verify(fumo).authorise(any(), any(), sent.capture(), any(), any());
        assertThat(sent.getValue()).extracting(CardFumo.ManifestSignature::signerIndex).containsExactlyInAnyOrder(0, 1);

        CardFumoAuthorizer strict = authorizer(policy(2, a, b));
        assertThatThrownBy(() -> strict.authorise(grant(), sign(firmware(CLASS, 2L), a, c), NONCE, CLASS))
                .extracting(e -> ((FumoRefusedException) e).result()).isEqualTo(FumoResult.SIGNATURE_FAILED);
    }

    @Test
    void the_device_refuses_first_without_an_apdu() throws Exception {
        CardFumoAuthorizer auth = authorizer(policy(1, a));
        assertThat(code(() -> auth.authorise(grant(), sign(firmware(CLASS, 2L), c), NONCE, CLASS)))
                .as("unknown signer").isEqualTo(FumoResult.SIGNATURE_FAILED);
        assertThat(code(() -> auth.authorise(grant(), sign(firmware("Acme/Other", 2L), a), NONCE, CLASS)))
                .as("another device class").isEqualTo(FumoResult.PACKAGE_MISMATCH);
        assertThat(code(() -> auth.authorise(grant(), new byte[] {0x30, 0x00}, NONCE, CLASS)))
                .as("not a manifest").isEqualTo(FumoResult.CORRUPTED_PACKAGE);
        assertThat(code(() -> auth.authorise(grant(), sign(firmware(CLASS, null), a), NONCE, CLASS)))
                .as("no counter").isEqualTo(FumoResult.NOT_ACCEPTABLE);
        verify(fumo, never()).authorise(any(), any(), anyList(), any(), any());
    }

    @Test
    void a_configured_reader_takes_the_card_in_it_without_re_reading_it_so_a_device_refusal_costs_no_apdu()
            throws Exception {
        authorizer(policy(1, a));
        when(cards.card("Cardinal SIM 0")).thenReturn(Optional.of(card));
        when(cards.card("Other")).thenReturn(Optional.empty());
        CardFumoAuthorizer auth = new CardFumoAuthorizer(cards, org.cardinaldm.pkg.trust.standalone.StandaloneVerifier.create(),
                " Cardinal SIM 0 ", new KeyPins(dir.resolve("pins")), Clock.systemUTC());
        assertThat(code(() -> auth.authorise(grant(), sign(firmware(CLASS, 2L), c), NONCE, CLASS)))
                .as("unknown signer").isEqualTo(FumoResult.SIGNATURE_FAILED);
        assertThat(auth.signers().sha256Hex()).hasSize(1);
        CardFumoAuthorizer other = new CardFumoAuthorizer(cards, org.cardinaldm.pkg.trust.standalone.StandaloneVerifier.create(),
                "Other", new KeyPins(dir.resolve("pins")), Clock.systemUTC());
        assertThat(code(() -> other.admit("cardinal-dms", "Gateway"))).as("no card in that reader")
                .isEqualTo(FumoResult.UNDEFINED_ERROR);
        verify(cards, never()).refresh(anyString());
        verify(fumo, never()).authorise(any(), any(), anyList(), any(), any());
    }

    @Test
    void the_cards_verdicts_map_to_fumo_result_codes() throws Exception {
        CardFumoAuthorizer auth = authorizer(policy(1, a));
        byte[] cms = sign(firmware(CLASS, 2L), a);
        for (Object[] row : new Object[][] {{CardFumoException.Reason.ROLLBACK, FumoResult.NOT_ACCEPTABLE},
            {CardFumoException.Reason.BAD_SIGNATURE, FumoResult.SIGNATURE_FAILED},
            {CardFumoException.Reason.PACKAGE_MISMATCH, FumoResult.PACKAGE_MISMATCH},
            {CardFumoException.Reason.UNKNOWN, FumoResult.NOT_ACCEPTABLE}}) {
            doThrow(new CardFumoException((CardFumoException.Reason) row[0], 0x6F00, "x")).when(fumo)
                    .authorise(any(), any(), anyList(), any(), any());
            assertThat(code(() -> auth.authorise(grant(), cms, NONCE, CLASS))).as(row[0].toString()).isEqualTo(row[1]);
        }
    }

    @Test
    void a_card_signature_that_does_not_verify_is_refused() throws Exception {
        CardFumoAuthorizer auth = authorizer(policy(1, a));
        when(fumo.authorise(any(), any(), anyList(), any(), any()))
                .thenReturn(new CardFumo.CardAuthorisation(CARD_NONCE, new byte[] {0x30, 0x00}));
        assertThat(code(() -> auth.authorise(grant(), sign(firmware(CLASS, 2L), a), NONCE, CLASS)))
                .isEqualTo(FumoResult.UNDEFINED_ERROR);
    }

    @Test
    void another_authorisation_key_on_the_same_card_id_is_refused_after_the_first_use() throws Exception {
        CardFumoAuthorizer auth = authorizer(policy(1, a));
        cardSigns();
        auth.authorise(grant(), sign(firmware(CLASS, 2L), a), NONCE, CLASS);
        KeyPair other = ec();
        when(card.fumoPolicy()).thenReturn(Optional.of(FumoPolicy.of(policy(1, a).trustedSigners(), List.of(), 1,
                List.of(a.getPublic().getEncoded()), 1, other.getPublic().getEncoded())));
        assertThat(code(() -> auth.authorise(grant(), sign(firmware(CLASS, 2L), a), NONCE, CLASS)))
                .isEqualTo(FumoResult.UNDEFINED_ERROR);
    }

    @Test
    void a_grant_of_another_card_is_refused_405() throws Exception {
        CardFumoAuthorizer auth = authorizer(policy(1, a));
        UpdateGrant foreign = new UpdateGrant("cardinal-dms", "Gateway", "0011/0102030405060708", Instant.EPOCH);
        assertThat(code(() -> auth.authorise(foreign, sign(firmware(CLASS, 2L), a), NONCE, CLASS)))
                .isEqualTo(FumoResult.NOT_ACCEPTABLE);
        UpdateGrant malformed = new UpdateGrant("cardinal-dms", "Gateway", "989400000000000010F2/zz", Instant.EPOCH);
        assertThat(code(() -> auth.authorise(malformed, sign(firmware(CLASS, 2L), a), NONCE, CLASS)))
                .isEqualTo(FumoResult.NOT_ACCEPTABLE);
    }

    @Test
    void commit_passes_the_authorisation_and_release_swallows_failures() throws Exception {
        CardFumoAuthorizer auth = authorizer(policy(1, a));
        cardSigns();
        Authorisation result = auth.authorise(grant(), sign(firmware(CLASS, 2L), a), NONCE, CLASS);
        when(fumo.commit(any(), any(), anyLong())).thenReturn(2L);
        auth.commit(result);
        verify(fumo).commit(CARD_NONCE, result.manifestSha256(), 2);
        doThrow(new CardFumoException(CardFumoException.Reason.UNKNOWN, 0x6A88, "x")).when(fumo).commit(any(), any(), anyLong());
        assertThat(code(() -> auth.commit(result))).isEqualTo(FumoResult.NOT_ACCEPTABLE);
        doThrow(new SmartCardException(SmartCardException.Code.CARD_REMOVED, "gone")).when(fumo).release(any());
        auth.release(grant());
        verify(fumo).release(HANDLE);
    }

    // ---------------------------------------------------------------- helpers

    private interface Call {
        void run() throws Exception;
    }

    private static FumoResult code(Call call) {
        try {
            call.run();
        } catch (FumoRefusedException e) {
            return e.result();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("not refused");
    }

    static PackageManifest firmware(String deviceClass, Long counter) {
        PackageManifest.Builder b = PackageManifest.builder().kind(PackageKind.FIRMWARE).name("gateway")
                .version(PackageVersion.parse("1.1.0")).deviceClass(deviceClass).payload(4, new byte[32]);
        if (counter != null) {
            b.securityCounter(counter);
        }
        return b.build();
    }

    static byte[] sign(PackageManifest m, KeyPair... keys) throws Exception {
        List<ManifestSigner> signers = new java.util.ArrayList<>();
        for (KeyPair k : keys) {
            signers.add(ManifestSigner.of(k.getPrivate(), certificate(k)));
        }
        return ManifestSigner.signJointly(m, signers);
    }

    static X509Certificate certificate(KeyPair k) throws Exception {
        X500Name name = new X500Name("CN=test signer");
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(System.nanoTime()), new Date(0), new Date(4_102_444_800_000L), name, k.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())));
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
