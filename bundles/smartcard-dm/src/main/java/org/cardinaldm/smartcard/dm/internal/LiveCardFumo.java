package org.cardinaldm.smartcard.dm.internal;

import java.util.List;
import java.util.Objects;

import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardFumo;
import org.cardinaldm.smartcard.dm.api.CardFumoException;
import org.cardinaldm.smartcard.dm.internal.card.FumoCommands;

/**
 * {@link CardFumo} of a {@link LiveDmCard}: every command runs through the DM card service's device-key path
 * ({@code withDevice}), on the basic channel of the card session that the DM session uses, so FUMO ADMIT sees the
 * {@code dm} state the server's verification opened there.
 */
final class LiveCardFumo implements CardFumo {
    private final DmCardServiceImpl service;
    private final String reader;
    private final long insertion;

    LiveCardFumo(DmCardServiceImpl service, String reader, long insertion) {
        this.service = service;
        this.reader = reader;
        this.insertion = insertion;
    }

    /** A card operation that may end in a FUMO verdict; the verdict is carried through the card service. */
    @FunctionalInterface
    private interface FumoOperation<T> {
        T run(org.cardinaldm.smartcard.dm.internal.card.CardIo io) throws SmartCardException, CardFumoException;
    }

    private static final class Verdict extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient CardFumoException refusal;

        Verdict(CardFumoException refusal) {
            super(null, null, false, false);
            this.refusal = refusal;
        }
    }

    private <T> T run(FumoOperation<T> op) throws SmartCardException, CardFumoException {
        try {
            return service.withDevice(reader, insertion, false, (io, contents) -> {
                try {
                    return op.run(io);
                } catch (CardFumoException e) {
                    throw new Verdict(e);
                }
            });
        } catch (Verdict v) {
            throw v.refusal;
        }
    }

    @Override
    public byte[] admit(String serverId) throws SmartCardException, CardFumoException {
        Objects.requireNonNull(serverId, "serverId");
        return run(io -> FumoCommands.admit(io, serverId));
    }

    @Override
    public CardAuthorisation authorise(byte[] handle, byte[] manifest, List<ManifestSignature> signatures,
            String deviceClass, byte[] installerNonce) throws SmartCardException, CardFumoException {
        byte[] h = handle.clone();
        byte[] m = manifest.clone();
        byte[] n = installerNonce.clone();
        List<ManifestSignature> s = List.copyOf(signatures);
        Objects.requireNonNull(deviceClass, "deviceClass");
        return run(io -> FumoCommands.authorise(io, h, m, s, deviceClass, n));
    }

    @Override
    public long commit(byte[] cardNonce, byte[] manifestSha256, long securityCounter)
            throws SmartCardException, CardFumoException {
        byte[] n = cardNonce.clone();
        byte[] sha = manifestSha256.clone();
        return run(io -> FumoCommands.commit(io, n, sha, securityCounter));
    }

    @Override
    public void release(byte[] handle) throws SmartCardException {
        byte[] h = handle.clone();
        service.withDevice(reader, insertion, false, (io, contents) -> {
            FumoCommands.release(io, h);
            return null;
        });
    }

    @Override
    public byte[] policyChallenge() throws SmartCardException {
        return service.withDevice(reader, insertion, false, (io, contents) -> FumoCommands.challenge(io));
    }

    @Override
    public void updatePolicy(byte[] change, List<PolicySignature> signatures) throws SmartCardException, CardFumoException {
        byte[] c = change.clone();
        List<PolicySignature> s = List.copyOf(signatures);
        run(io -> {
            FumoCommands.updatePolicy(io, c, s);
            return null;
        });
    }

    @Override
    public String toString() {
        return "CardFumo[" + reader + "]";
    }
}
