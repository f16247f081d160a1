package org.cardinaldm.smartcard.dm.api;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.cardinaldm.smartcard.api.SmartCardException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The card's FUMO commands (profile 1.2, docs/smartcard-profile.md A8.6-A8.9), as {@link DmCard#fumo()} offers
 * them: the card admits an update while an authenticated server asks, verifies a firmware manifest with its own
 * keys and crypto, signs its authorisation, and raises (never lowers) its anti-rollback counter. Every command runs
 * on the DM session's card session and channel, after the device key. No key ever leaves the card.
 *
 * @since 1.2
 */
@ProviderType
public interface CardFumo {
    /**
     * One signer's part of a CMS SignedData, as the card checks it.
     *
     * @param signerIndex the signer's position in {@link FumoPolicy#signerKeys()}
     * @param signedAttributes the DER SET of the SignerInfo's signed attributes (what the signature covers)
     * @param signature the DER ECDSA signature
     */
    record ManifestSignature(int signerIndex, byte[] signedAttributes, byte[] signature) {
        /** Copies the arrays and checks the index. */
        public ManifestSignature {
            if (signerIndex < 0 || signerIndex > 254) {
                throw new IllegalArgumentException("signer index 0..254");
            }
            signedAttributes = signedAttributes.clone();
            signature = signature.clone();
        }

        @Override
        public byte[] signedAttributes() {
            return signedAttributes.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ManifestSignature m && signerIndex == m.signerIndex
                    && Arrays.equals(signedAttributes, m.signedAttributes) && Arrays.equals(signature, m.signature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(signerIndex, Arrays.hashCode(signature));
        }

        @Override
        public String toString() {
            return "ManifestSignature[signer " + signerIndex + "]";
        }
    }

    /**
     * The card's answer to FUMO AUTHORISE.
     *
     * @param cardNonce the card's nonce of the admission (the authority nonce of fumo-api's Authorisation)
     * @param signature the card's ECDSA P-256/SHA-256 signature over fumo-api's {@code Authorisation.signedBytes}
     */
    record CardAuthorisation(byte[] cardNonce, byte[] signature) {
        /** Copies the arrays. */
        public CardAuthorisation {
            cardNonce = cardNonce.clone();
            signature = signature.clone();
        }

        @Override
        public byte[] cardNonce() {
            return cardNonce.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CardAuthorisation a && Arrays.equals(cardNonce, a.cardNonce)
                    && Arrays.equals(signature, a.signature);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(signature);
        }

        /** Shows no nonce and no signature. */
        @Override
        public String toString() {
            return "CardAuthorisation[]";
        }
    }

    /**
     * One signature of a policy change.
     *
     * @param signerIndex the signer's position in {@link FumoPolicy#signerKeys()}, or {@link #ISSUER}
     * @param signature the DER ECDSA signature over {@link #policySignedBytes}
     */
    record PolicySignature(int signerIndex, byte[] signature) {
        /** Copies the array. */
        public PolicySignature {
            if (signerIndex < 0 || signerIndex > ISSUER) {
                throw new IllegalArgumentException("signer index 0..255");
            }
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PolicySignature p && signerIndex == p.signerIndex && Arrays.equals(signature, p.signature);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(signature);
        }
    }

    /** The signer index of the card issuer's key in a {@link PolicySignature}. */
    int ISSUER = 0xFF;

    /**
     * FUMO ADMIT: records an admission for the server whose digest the card verified on this DM session. Call it
     * while that server's DM session is open.
     *
     * @param serverId the server's ServerID
     * @return the admission's handle (8 bytes, no secret)
     * @throws CardFumoException {@link CardFumoException.Reason#SERVER_NOT_ALLOWED}
     * @throws SmartCardException {@link SmartCardException.Code#SECURITY_STATUS_NOT_SATISFIED} when no session of
     *         that server is authenticated by the card, {@link SmartCardException.Code#CARD_REMOVED}, or another failure
     */
    byte[] admit(String serverId) throws SmartCardException, CardFumoException;

    /**
     * FUMO AUTHORISE: the card verifies the manifest's signatures with its keys, applies its threshold, the device
     * class and its counter, and signs the authorisation (sent in as many APDUs as the input needs).
     *
     * @param handle the admission's handle
     * @param manifest the DER of the manifest (the CMS eContent)
     * @param signatures the signers' parts, 1..8
     * @param deviceClass the device class
     * @param installerNonce 16 bytes
     * @return the card's nonce and signature
     * @throws CardFumoException the card's verdict
     * @throws SmartCardException the card failed or is gone
     */
    CardAuthorisation authorise(byte[] handle, byte[] manifest, List<ManifestSignature> signatures, String deviceClass,
            byte[] installerNonce) throws SmartCardException, CardFumoException;

    /**
     * FUMO COMMIT: raises the card's anti-rollback counter to an authorisation it issued; never lowers it. A
     * second commit of the same authorisation succeeds and changes nothing.
     *
     * @param cardNonce the authorisation's card nonce
     * @param manifestSha256 the authorised manifest's SHA-256
     * @param securityCounter the authorised counter
     * @return the card's counter afterwards
     * @throws CardFumoException {@link CardFumoException.Reason#UNKNOWN} for an authorisation the card did not issue
     * @throws SmartCardException the card failed or is gone
     */
    long commit(byte[] cardNonce, byte[] manifestSha256, long securityCounter) throws SmartCardException, CardFumoException;

    /**
     * FUMO RELEASE: forgets an admission (an unknown one is no error).
     *
     * @param handle the admission's handle
     * @throws SmartCardException the card failed or is gone
     */
    void release(byte[] handle) throws SmartCardException;

    /**
     * GET FUMO CHALLENGE: the one-time challenge the next policy change must sign.
     *
     * @return 16 bytes
     * @throws SmartCardException the card failed or is gone
     */
    byte[] policyChallenge() throws SmartCardException;

    /**
     * FUMO POLICY UPDATE: signer rotation or revocation, threshold, allowed servers, the counter (lowered only with
     * the issuer's signature).
     *
     * @param change the DER of the FumoPolicyChange
     * @param signatures the signatures over {@link #policySignedBytes} with the pending challenge
     * @throws CardFumoException the card's verdict
     * @throws SmartCardException the card failed or is gone
     */
    void updatePolicy(byte[] change, List<PolicySignature> signatures) throws SmartCardException, CardFumoException;

    /**
     * The bytes a signer of a policy change signs (A8.9).
     *
     * @param cardId the card id (EF.DMSTATE)
     * @param challenge the card's FUMO challenge
     * @param change the DER of the FumoPolicyChange
     * @return {@code "CDM-FUMO-POLICY-1" | len(cardId) | cardId | challenge | change}
     */
    static byte[] policySignedBytes(byte[] cardId, byte[] challenge, byte[] change) {
        byte[] label = "CDM-FUMO-POLICY-1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return java.nio.ByteBuffer.allocate(label.length + 1 + cardId.length + challenge.length + change.length)
                .put(label).put((byte) cardId.length).put(cardId).put(challenge).put(change).array();
    }
}
