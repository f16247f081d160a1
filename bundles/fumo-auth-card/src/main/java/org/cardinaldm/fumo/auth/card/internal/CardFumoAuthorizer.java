package org.cardinaldm.fumo.auth.card.internal;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.Authorisation;
import org.cardinaldm.fumo.api.spi.FumoAuthorizer;
import org.cardinaldm.fumo.api.spi.FumoRefusedException;
import org.cardinaldm.fumo.api.spi.UpdateGrant;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardFumo;
import org.cardinaldm.smartcard.dm.api.CardFumoException;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCards;
import org.cardinaldm.smartcard.dm.api.FumoPolicy;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FumoAuthorizer} that asks the smart card (docs/fumo-card-authorisation.md): the card admits an update
 * only for a server it lists and whose session it authenticated, verifies the firmware manifest's signatures with
 * its own keys (M-of-N), the device class and its anti-rollback counter, signs the authorisation, and raises its
 * counter at {@link #commit}. The device verifies the manifest first with pkg-trust against the card's signers and
 * threshold (a refusal there costs no APDU), splits the CMS for the card, and checks the card's signature with the
 * card's authorisation key, pinned at first use per card id ({@link KeyPins}).
 *
 * <p>Result codes: 405 server not allowed, rollback, unknown grant; 409 no card, no FUMO card, no authenticated
 * session, the card failed, or the card's key differs from its pin; 404 bad signature or too few signers; 403 not
 * firmware or not this device class; 402 a manifest that is not a well-formed signed manifest. Nonces, handles,
 * signatures and keys never reach a log or a message.
 */
@Component(service = FumoAuthorizer.class, configurationPid = CardFumoAuthorizer.PID, property = "fumo.authorizer=card")
@Designate(ocd = CardFumoAuthorizer.Config.class)
public final class CardFumoAuthorizer implements FumoAuthorizer {
    static final String PID = "org.cardinaldm.fumo.auth.card";
    static final String ALGORITHM = "SHA256withECDSA";
    private static final Logger LOG = LoggerFactory.getLogger(CardFumoAuthorizer.class);
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    /** Configuration. */
    @ObjectClassDefinition(name = "Cardinal FUMO authorisation by the smart card")
    public @interface Config {
        /** @return the reader of the card that decides; empty: the first DM card with the FUMO commands */
        @AttributeDefinition(description = "Reader of the deciding card; empty: the first card with the FUMO commands")
        String reader() default "";

        /** @return where pinned card keys are kept; empty: the bundle's data area */
        @AttributeDefinition(description = "File of the card keys pinned at first use; empty: card-keys.properties in the bundle's data area")
        String pin_file() default "";
    }

    private final DmCards cards;
    private final ManifestVerifier verifier;
    private final String reader;
    private final KeyPins pins;
    private final Clock clock;

    /**
     * @param cards the DM card service
     * @param verifier pkg-trust's verifier
     * @param config the configuration
     * @param context the bundle's context (its data area holds the pinned keys)
     */
    @Activate
    public CardFumoAuthorizer(@Reference DmCards cards, @Reference ManifestVerifier verifier, Config config,
            BundleContext context) {
        this(cards, verifier, config.reader(), new KeyPins(config.pin_file().isBlank()
                ? context.getDataFile("card-keys.properties").toPath() : java.nio.file.Path.of(config.pin_file())),
                Clock.systemUTC());
        LOG.info("FUMO authorisation by the smart card {}", reader.isEmpty() ? "in any reader" : "in " + reader);
    }

    CardFumoAuthorizer(DmCards cards, ManifestVerifier verifier, String reader, KeyPins pins, Clock clock) {
        this.cards = Objects.requireNonNull(cards, "cards");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.reader = reader == null ? "" : reader.strip();
        this.pins = Objects.requireNonNull(pins, "pins");
        this.clock = clock;
    }

    // ---------------------------------------------------------------- the card

    private DmCard card() throws FumoRefusedException {
        // the DM card service keeps its cards current (insertion, removal); re-checking here would cost a GET CHANGE
        // COUNTER per call, also before a refusal on the device, which must cost no APDU
        Optional<DmCard> card = reader.isEmpty()
                ? cards.cards().stream().filter(c -> c.capabilities().contains(DmCard.CAPABILITY_FUMO)).findFirst()
                : cards.card(reader);
        if (card.isEmpty()) {
            throw new FumoRefusedException(FumoResult.UNDEFINED_ERROR, "No smart card to authorise firmware updates");
        }
        return card.get();
    }

    private static CardFumo fumo(DmCard card) throws FumoRefusedException {
        return card.fumo().orElseThrow(() -> new FumoRefusedException(FumoResult.UNDEFINED_ERROR,
                "The card in " + card.reader() + " has no FUMO commands (profile 1.2)"));
    }

    private static FumoPolicy policy(DmCard card) throws FumoRefusedException {
        return card.fumoPolicy().orElseThrow(() -> new FumoRefusedException(FumoResult.UNDEFINED_ERROR,
                "The card in " + card.reader() + " has no readable FUMO policy"));
    }

    // ---------------------------------------------------------------- FumoAuthorizer

    @Override
    public UpdateGrant admit(String serverId, String instance) throws FumoRefusedException {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(instance, "instance");
        DmCard card = card();
        try {
            byte[] handle = fumo(card).admit(serverId);
            LOG.debug("Card {} admitted an update of {} for {}", card.cardId(), instance, serverId);
            return new UpdateGrant(serverId, instance, card.cardId() + "/" + HEX.formatHex(handle), Instant.now(clock));
        } catch (CardFumoException e) {
            throw refused(e, "admit");
        } catch (SmartCardException e) {
            throw new FumoRefusedException(FumoResult.UNDEFINED_ERROR, e.code() == SmartCardException.Code.SECURITY_STATUS_NOT_SATISFIED
                    ? "The card has not authenticated a DM session of " + serverId
                    : "The card could not admit the update: " + e.code());
        }
    }

    @Override
    public TrustedSigners signers() throws FumoRefusedException {
        return TrustedSigners.ofHex(policy(card()).trustedSigners());
    }

    @Override
    public Authorisation authorise(UpdateGrant grant, byte[] signedManifest, byte[] installerNonce, String deviceClass)
            throws FumoRefusedException {
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(deviceClass, "deviceClass");
        if (installerNonce.length != Authorisation.NONCE_LENGTH) {
            throw new IllegalArgumentException("The installer's nonce has " + Authorisation.NONCE_LENGTH + " bytes");
        }
        DmCard card = card();
        byte[] handle = handle(grant, card);
        FumoPolicy policy = policy(card);
        PublicKey cardKey = pinnedKey(card, policy);

        Verification v = verifier.verifyManifest(signedManifest, TrustedSigners.ofHex(policy.trustedSigners()),
                policy.threshold(), PackageKind.FIRMWARE, deviceClass);
        if (!v.accepted()) {
            throw new FumoRefusedException(result(v), "Manifest refused on the device: " + v.refusal().orElseThrow()
                    + " (" + v.detail() + ")");
        }
        long counter = v.manifest().orElseThrow().manifest().securityCounter().orElseThrow(
                () -> new FumoRefusedException(FumoResult.NOT_ACCEPTABLE, "A firmware manifest without a security counter"));
        CmsSplit.Parts parts = CmsSplit.split(signedManifest);
        List<CardFumo.ManifestSignature> forCard = new ArrayList<>();
        Set<Integer> distinct = new HashSet<>();
        for (CmsSplit.Signer s : parts.signers()) {
            int index = policy.trustedSigners().indexOf(s.spkiSha256());
            if (index >= 0 && s.ecdsa() && distinct.add(index)) {
                forCard.add(new CardFumo.ManifestSignature(index, s.signedAttributes(), s.signature()));
            }
        }
        if (forCard.size() < policy.threshold()) {
            throw new FumoRefusedException(FumoResult.SIGNATURE_FAILED, forCard.size()
                    + " signature(s) the card can check, " + policy.threshold() + " required");
        }
        CardFumo.CardAuthorisation answer;
        try {
            answer = fumo(card).authorise(handle, parts.manifest(), forCard, deviceClass, installerNonce);
        } catch (CardFumoException e) {
            throw refused(e, "authorise");
        } catch (SmartCardException e) {
            throw new FumoRefusedException(FumoResult.UNDEFINED_ERROR, "The card could not authorise: " + e.code());
        }
        byte[] sha = CmsSplit.sha256(parts.manifest());
        Authorisation a = new Authorisation(sha, counter, installerNonce, answer.cardNonce(), ALGORITHM,
                answer.signature(), cardKey);
        if (!a.verifies(sha, installerNonce, counter)) {
            LOG.warn("The card {} answered an authorisation its pinned key does not verify; refused", card.cardId());
            throw new FumoRefusedException(FumoResult.UNDEFINED_ERROR, "The card's authorisation does not verify");
        }
        LOG.debug("Card {} authorised firmware with counter {}", card.cardId(), counter);
        return a;
    }

    @Override
    public void commit(Authorisation authorisation) throws FumoRefusedException {
        Objects.requireNonNull(authorisation, "authorisation");
        DmCard card = card();
        try {
            long now = fumo(card).commit(authorisation.authorityNonce(), authorisation.manifestSha256(),
                    authorisation.securityCounter());
            LOG.info("Card {}: anti-rollback counter now {}", card.cardId(), now);
        } catch (CardFumoException e) {
            throw refused(e, "commit");
        } catch (SmartCardException e) {
            throw new FumoRefusedException(FumoResult.UNDEFINED_ERROR, "The card could not commit: " + e.code());
        }
    }

    @Override
    public void release(UpdateGrant grant) {
        Objects.requireNonNull(grant, "grant");
        try {
            DmCard card = card();
            fumo(card).release(handle(grant, card));
        } catch (FumoRefusedException | SmartCardException e) {
            LOG.debug("Releasing an admission on the card failed ({}); the card replaces it later", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** @return the card's handle of a grant made by this card */
    private static byte[] handle(UpdateGrant grant, DmCard card) throws FumoRefusedException {
        String h = grant.handle();
        int slash = h.indexOf('/');
        if (slash < 0 || !h.substring(0, slash).equalsIgnoreCase(card.cardId())) {
            throw new FumoRefusedException(FumoResult.NOT_ACCEPTABLE, "The grant was not given by the card in "
                    + card.reader());
        }
        try {
            byte[] b = HEX.parseHex(h.substring(slash + 1).toUpperCase(Locale.ROOT));
            if (b.length != 8) {
                throw new IllegalArgumentException("length");
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw new FumoRefusedException(FumoResult.NOT_ACCEPTABLE, "The grant's handle is malformed");
        }
    }

    private PublicKey pinnedKey(DmCard card, FumoPolicy policy) throws FumoRefusedException {
        byte[] spki = policy.authorisationKey().orElseThrow(() -> new FumoRefusedException(FumoResult.UNDEFINED_ERROR,
                "The card's FUMO policy names no authorisation key"));
        String hash = HEX.formatHex(CmsSplit.sha256(spki));
        KeyPins.Pin pin = pins.check(card.cardId(), hash);
        if (pin == KeyPins.Pin.DIFFERS) {
            LOG.warn("Card {} presents another FUMO authorisation key than the one pinned at its first use; refused "
                    + "(remove its line from the pin file if the issuer re-personalised it)", card.cardId());
            throw new FumoRefusedException(FumoResult.UNDEFINED_ERROR, "The card's authorisation key is not the one pinned");
        }
        if (pin == KeyPins.Pin.PINNED_NOW) {
            LOG.info("Card {}: FUMO authorisation key pinned at first use", card.cardId());
        }
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
        } catch (java.security.GeneralSecurityException e) {
            throw new FumoRefusedException(FumoResult.UNDEFINED_ERROR, "The card's authorisation key is not an EC key");
        }
    }

    static FumoResult result(Verification v) {
        return switch (v.refusal().orElseThrow()) {
            case UNSUPPORTED_ALGORITHM, BAD_SIGNATURE, UNTRUSTED_SIGNER -> FumoResult.SIGNATURE_FAILED;
            case WRONG_KIND, WRONG_DEVICE_CLASS -> FumoResult.PACKAGE_MISMATCH;
            case UNSIGNED, TOO_LARGE, MALFORMED, UNSUPPORTED_VERSION, PAYLOAD_MISMATCH -> FumoResult.CORRUPTED_PACKAGE;
            default -> FumoResult.UNDEFINED_ERROR;
        };
    }

    private static FumoRefusedException refused(CardFumoException e, String what) {
        FumoResult r = switch (e.reason()) {
            case SERVER_NOT_ALLOWED, ROLLBACK, UNKNOWN, CONDITIONS -> FumoResult.NOT_ACCEPTABLE;
            case PACKAGE_MISMATCH -> FumoResult.PACKAGE_MISMATCH;
            case BAD_SIGNATURE -> FumoResult.SIGNATURE_FAILED;
            case MALFORMED -> FumoResult.CORRUPTED_PACKAGE;
        };
        return new FumoRefusedException(r, "The card refused to " + what + ": " + e.reason());
    }

}
