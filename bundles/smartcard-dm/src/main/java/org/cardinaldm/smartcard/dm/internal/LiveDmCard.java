package org.cardinaldm.smartcard.dm.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.FumoPolicy;
import org.cardinaldm.smartcard.dm.internal.card.CardCommands;
import org.cardinaldm.smartcard.dm.internal.card.CardContents;
import org.cardinaldm.smartcard.dm.internal.card.Pkcs15Listing;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Path;
import org.cardinaldm.smartcard.dm.api.CardObject;

/** A {@link DmCard} view on what discovery read; its operations go to the card while it stays inserted. */
final class LiveDmCard implements DmCard {
    private final DmCardServiceImpl service;
    private final String reader;
    private final long insertion;
    private final CardContents contents;

    LiveDmCard(DmCardServiceImpl service, String reader, long insertion, CardContents contents) {
        this.service = service;
        this.reader = reader;
        this.insertion = insertion;
        this.contents = contents;
    }

    /** @return what this view shows */
    CardContents contents() {
        return contents;
    }

    @Override
    public String reader() {
        return reader;
    }

    @Override
    public String cardId() {
        return contents.cardId();
    }

    @Override
    public byte[] atr() {
        return contents.atr().clone();
    }

    @Override
    public String profileVersion() {
        return contents.profileVersion();
    }

    @Override
    public long changeCounter() {
        return contents.changeCounter();
    }

    @Override
    public Set<String> capabilities() {
        return Set.copyOf(contents.capabilities());
    }

    @Override
    public Optional<byte[]> bootstrapDocument() {
        return contents.bootstrapDocument();
    }

    @Override
    public CardPolicy policy() {
        return contents.policy();
    }

    @Override
    public Optional<FumoPolicy> fumoPolicy() {
        return Optional.ofNullable(contents.fumo());
    }

    @Override
    public List<CardCredential> credentials() {
        return contents.credentials();
    }

    @Override
    public long freeSpace() {
        return contents.freeSpace();
    }

    @Override
    public List<CardObject> pkcs15Objects() throws SmartCardException {
        return service.withCard(reader, insertion, Pkcs15Listing::list);
    }

    @Override
    public byte[] readFile(String path) throws SmartCardException {
        Pkcs15Path p = Pkcs15Listing.parsePath(path);
        return service.withCard(reader, insertion, (io, c) -> {
            if (!p.isAbsolute()) {
                io.useState(c.state());
                io.selectApplication(c.application() == null ? Pkcs15.AID : c.application().aid());
            }
            return io.read(p, -1, false);
        });
    }

    private CardCredential credential(String serverId, CardCredential.Level level, DigestType type)
            throws SmartCardException {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(type, "type");
        for (CardCredential c : contents.credentials()) {
            if (c.serverId().equals(serverId) && c.level() == level && c.digests().contains(type)) {
                return c;
            }
        }
        throw new SmartCardException(SmartCardException.Code.NOT_SUPPORTED,
                "The card holds no " + level + " credential for " + serverId + " with " + type.metaType());
    }

    @Override
    public byte[] computeDigest(String serverId, DigestType type, byte[] nonce, byte[] body) throws SmartCardException {
        CardCredential c = credential(serverId, CardCredential.Level.CLIENT, type);
        byte[] n = Objects.requireNonNull(nonce, "nonce").clone();
        return service.withDevice(reader, insertion, false,
                (io, now) -> CardCommands.computeDigest(io, c.keyReference(), type, n, body));
    }

    @Override
    public boolean verifyServer(String serverId, DigestType type, byte[] nonce, byte[] body, byte[] digest)
            throws SmartCardException {
        CardCredential c = credential(serverId, CardCredential.Level.SERVER, type);
        byte[] n = Objects.requireNonNull(nonce, "nonce").clone();
        byte[] d = Objects.requireNonNull(digest, "digest").clone();
        return service.withDevice(reader, insertion, false, (io, now) -> {
            boolean ok = CardCommands.verifyServer(io, c.keyReference(), type, n, body, d);
            if (ok) {
                service.holdForDmSession(reader, insertion, serverId); // before this session gives the card back
            }
            return ok;
        });
    }

    @Override
    public Optional<byte[]> serverChallenge(String serverId) throws SmartCardException {
        Objects.requireNonNull(serverId, "serverId");
        CardCredential c = contents.credentials().stream()
                .filter(x -> x.serverId().equals(serverId) && x.level() == CardCredential.Level.SERVER).findFirst()
                .orElseThrow(() -> new SmartCardException(SmartCardException.Code.NOT_SUPPORTED,
                        "The card holds no SERVER credential for " + serverId));
        if (!contents.capabilities().contains(CAPABILITY_SERVER_CHALLENGE)) {
            return Optional.empty();
        }
        return Optional.of(service.withDevice(reader, insertion, false,
                (io, now) -> CardCommands.serverChallenge(io, c.keyReference())));
    }

    @Override
    public boolean verifyNotification(String serverId, byte[] nonce, byte[] trigger, byte[] digest)
            throws SmartCardException {
        CardCredential c = credential(serverId, CardCredential.Level.SERVER, DigestType.HMAC);
        byte[] n = Objects.requireNonNull(nonce, "nonce").clone();
        byte[] t = Objects.requireNonNull(trigger, "trigger").clone();
        byte[] d = Objects.requireNonNull(digest, "digest").clone();
        if (!contents.capabilities().contains(CAPABILITY_SERVER_CHALLENGE)) {
            // a profile 1.0 card has no notification form: its check opens the dm state, so close it at once
            boolean ok = service.withCard(reader, insertion,
                    (io, now) -> CardCommands.verifyServer(io, c.keyReference(), DigestType.HMAC, n, t, d));
            if (ok) {
                service.withCard(reader, insertion, (io, now) -> {
                    CardCommands.endSession(io);
                    return null;
                });
            }
            return ok;
        }
        // outside a DM session the device key is verified for this check only and forgotten afterwards
        return service.withDevice(reader, insertion, true,
                (io, now) -> CardCommands.verifyNotification(io, c.keyReference(), n, t, d));
    }

    @Override
    public Optional<org.cardinaldm.smartcard.dm.api.CardFumo> fumo() {
        if (!contents.capabilities().contains(CAPABILITY_FUMO)) {
            return Optional.empty();
        }
        return Optional.of(new LiveCardFumo(service, reader, insertion));
    }

    @Override
    public void endDmSession() throws SmartCardException {
        try {
            service.withCard(reader, insertion, (io, now) -> {
                CardCommands.endSession(io);
                return null;
            });
        } finally {
            service.endOfDmSession(reader, insertion);
        }
    }

    @Override
    public String toString() {
        return "DmCard[" + reader + ", card " + cardId() + ", counter " + changeCounter() + "]";
    }
}
