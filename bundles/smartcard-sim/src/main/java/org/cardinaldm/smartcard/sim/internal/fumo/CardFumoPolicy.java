package org.cardinaldm.smartcard.sim.internal.fumo;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.sim.internal.card.CardFile;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.DedicatedFile;
import org.cardinaldm.smartcard.sim.internal.card.TransparentFile;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandContext;
import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandException;
import org.cardinaldm.smartcard.sim.internal.dm.DmApplet;

/**
 * The FUMO policy as the card keeps it (docs/smartcard-profile.md A5.2, profile 1.2): the tear-safe object
 * whose control EF is {@code 643A} in the PKCS#15 application (a fixed FID in 1.2, like EF.DMSTATE, because the
 * card itself rewrites it), content
 * <pre>
 * FumoPolicy ::= SEQUENCE {
 *   version             INTEGER { v1(0) },
 *   trustedSigners      SEQUENCE OF OCTET STRING (SIZE(32)),   -- SHA-256 of each signer key's SPKI
 *   allowedServers      SEQUENCE OF UTF8String,                -- empty: any server the card authenticated
 *   antiRollbackCounter INTEGER (0..2^63-1),
 *   signerKeys       [0] IMPLICIT SEQUENCE OF SubjectPublicKeyInfo OPTIONAL,  -- 1.2: same order as trustedSigners
 *   threshold        [1] IMPLICIT INTEGER (1..8) OPTIONAL,                   -- 1.2: default 1
 *   authorisationKey [2] IMPLICIT SubjectPublicKeyInfo OPTIONAL,             -- 1.2: the card's fumo-auth key
 *   ... }
 * </pre>
 * Only the card writes it after personalisation (its slots' update condition is {@code adm}): FUMO COMMIT and
 * FUMO POLICY UPDATE write the new content into the inactive slot and the control record in the same commit of
 * the card image, counted in EF.DMSTATE like any DM file write. A policy the card cannot read (no control, a
 * slot that does not match its control, malformed DER, signer hashes that do not match the keys) makes every
 * FUMO command that needs it answer {@code 6985}: fail closed.
 *
 * @param signerHashes the trustedSigners
 * @param allowedServers the allowedServers
 * @param counter the anti-rollback counter
 * @param signerKeys the signer keys (SPKI DER), same order
 * @param threshold M of the M-of-N rule
 * @param authorisationKey the card's authorisation key (SPKI DER), or null
 */
record CardFumoPolicy(List<byte[]> signerHashes, List<String> allowedServers, long counter, List<byte[]> signerKeys,
        int threshold, byte[] authorisationKey) {
    /** FID of the FUMO policy's control EF in the PKCS#15 application (fixed in profile 1.2). */
    static final int CONTROL_FID = 0x643A;
    /** Most signer keys a card holds. */
    static final int MAX_SIGNERS = 8;
    /** Most allowed servers, and longest ServerID. */
    static final int MAX_SERVERS = 8;
    static final int MAX_SERVER_ID = 64;

    /** @return the policy with another counter */
    CardFumoPolicy withCounter(long next) {
        return new CardFumoPolicy(signerHashes, allowedServers, next, signerKeys, threshold, authorisationKey);
    }

    /** @return whether a server may start an update (an empty list allows any authenticated server) */
    boolean allows(String serverId) {
        return allowedServers.isEmpty() || allowedServers.contains(serverId);
    }

    // ---------------------------------------------------------------- reading

    /** The control record of a tear-safe object, as the card reads it. */
    private record Control(long generation, int active, int length, int slotSize, byte[] sha256, int[] slots) {
    }

    /**
     * @param image the card image
     * @return the card's FUMO policy
     * @throws CommandException {@code 6985} if the card has none it can trust
     */
    static CardFumoPolicy read(CardImage image) throws CommandException {
        try {
            Files f = files(image);
            byte[] content = Arrays.copyOf(f.slots[f.control.active].content(), f.control.length);
            if (f.control.length > f.slots[f.control.active].size()
                    || !MessageDigest.isEqual(CardCrypto.sha256(content), f.control.sha256)) {
                throw new Der.Malformed("slot does not match its control");
            }
            return decode(content);
        } catch (Der.Malformed e) {
            throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
    }

    private record Files(TransparentFile controlFile, Control control, TransparentFile[] slots) {
    }

    private static Files files(CardImage image) throws Der.Malformed {
        DedicatedFile app = DmApplet.application(image).orElseThrow(() -> new Der.Malformed("no DM application"));
        TransparentFile controlFile = transparent(app, CONTROL_FID);
        Der.Reader r = new Der.Reader(controlFile.content());
        Der.Reader c = r.next().expect(0x30).children();
        long generation = c.next().nonNegative();
        long active = c.next().nonNegative();
        long length = c.next().nonNegative();
        long slotSize = c.next().nonNegative();
        byte[] sha = c.next().expect(0x04).value();
        Der.Reader paths = c.next().expect(0x30).children();
        int[] slots = {fid(paths.next()), fid(paths.next())};
        paths.end();
        if (active > 1 || sha.length != 32 || length > Der.MAX_LENGTH || slotSize > Der.MAX_LENGTH) {
            throw new Der.Malformed("control record out of range");
        }
        Control control = new Control(generation, (int) active, (int) length, (int) slotSize, sha, slots);
        return new Files(controlFile, control, new TransparentFile[] {transparent(app, slots[0]), transparent(app, slots[1])});
    }

    private static int fid(Der.Element path) throws Der.Malformed {
        byte[] p = path.expect(0x30).children().next().expect(0x04).value();
        if (p.length != 2) {
            throw new Der.Malformed("the card keeps its FUMO slots in its own application");
        }
        return (p[0] & 0xFF) << 8 | (p[1] & 0xFF);
    }

    private static TransparentFile transparent(DedicatedFile app, int fid) throws Der.Malformed {
        Optional<CardFile> f = app.child(fid);
        if (f.isEmpty() || !(f.get() instanceof TransparentFile t)) {
            throw new Der.Malformed("no transparent EF " + Integer.toHexString(fid));
        }
        return t;
    }

    static CardFumoPolicy decode(byte[] der) throws Der.Malformed {
        Der.Reader s = Der.single(der).expect(0x30).children();
        if (s.next().nonNegative() != 0) {
            throw new Der.Malformed("FumoPolicy version");
        }
        List<byte[]> hashes = new ArrayList<>();
        for (Der.Reader r = s.next().expect(0x30).children(); r.hasMore();) {
            byte[] h = r.next().expect(0x04).value();
            if (h.length != 32 || hashes.size() >= MAX_SIGNERS) {
                throw new Der.Malformed("trustedSigners");
            }
            hashes.add(h);
        }
        List<String> servers = servers(s.next());
        long counter = s.next().nonNegative();
        List<byte[]> keys = new ArrayList<>();
        int threshold = 1;
        byte[] authKey = null;
        if (s.peekTag() == 0xA0) {
            for (Der.Reader r = s.next().children(); r.hasMore();) {
                byte[] spki = r.next().expect(0x30).encoded();
                CardCrypto.p256(spki);
                keys.add(spki);
            }
        }
        if (s.peekTag() == 0x81) {
            threshold = (int) Math.min(MAX_SIGNERS + 1, reTag(s.next()).nonNegative());
        }
        if (s.peekTag() == 0xA2) {
            Der.Element k = s.next();
            authKey = Der.tlv(0x30, k.value());
        }
        // later elements ([3] onwards) are ignored, as the profile's extension rule says
        if (!keys.isEmpty()) {
            if (keys.size() != hashes.size()) {
                throw new Der.Malformed("signerKeys and trustedSigners differ");
            }
            for (int i = 0; i < keys.size(); i++) {
                if (!MessageDigest.isEqual(CardCrypto.sha256(keys.get(i)), hashes.get(i))) {
                    throw new Der.Malformed("signerKeys and trustedSigners differ");
                }
            }
        }
        if (threshold < 1 || threshold > MAX_SIGNERS) {
            throw new Der.Malformed("threshold");
        }
        return new CardFumoPolicy(List.copyOf(hashes), servers, counter, List.copyOf(keys), threshold, authKey);
    }

    /** @return an implicitly tagged INTEGER read as an INTEGER */
    private static Der.Element reTag(Der.Element e) throws Der.Malformed {
        return Der.single(Der.tlv(0x02, e.value()));
    }

    static List<String> servers(Der.Element seq) throws Der.Malformed {
        List<String> servers = new ArrayList<>();
        for (Der.Reader r = seq.expect(0x30).children(); r.hasMore();) {
            String id = r.next().utf8();
            if (id.isEmpty() || id.length() > MAX_SERVER_ID || servers.size() >= MAX_SERVERS || servers.contains(id)) {
                throw new Der.Malformed("allowedServers");
            }
            servers.add(id);
        }
        return List.copyOf(servers);
    }

    // ---------------------------------------------------------------- writing

    byte[] encode() {
        byte[][] hashes = signerHashes.stream().map(h -> Der.tlv(0x04, h)).toArray(byte[][]::new);
        byte[][] servers = allowedServers.stream().map(Der::utf8).toArray(byte[][]::new);
        List<byte[]> parts = new ArrayList<>(List.of(Der.integer(0x02, 0), Der.tlv(0x30, hashes), Der.tlv(0x30, servers),
                Der.integer(0x02, counter)));
        parts.add(Der.tlv(0xA0, signerKeys.toArray(byte[][]::new)));
        parts.add(Der.integer(0x81, threshold));
        if (authorisationKey != null) {
            parts.add(Der.tlv(0xA2, Arrays.copyOfRange(authorisationKey, headerLength(authorisationKey), authorisationKey.length)));
        }
        return Der.tlv(0x30, parts.toArray(byte[][]::new));
    }

    private static int headerLength(byte[] der) {
        int first = der[1] & 0xFF;
        return first < 0x80 ? 2 : 2 + (first & 0x7F);
    }

    /**
     * Writes this policy the tear-safe way, as part of the command's next commit: the content into the inactive
     * slot, then the control record naming it (generation + 1), both counted in EF.DMSTATE. The caller commits.
     *
     * @param context the command's card
     * @throws CommandException {@code 6A84} if the content does not fit a slot, {@code 6985} if the object is unreadable
     */
    void write(CommandContext context) throws CommandException {
        byte[] content = encode();
        try {
            Files f = files(context.image());
            int target = 1 - f.control.active;
            TransparentFile slot = f.slots[target];
            if (content.length > slot.size()) {
                throw new CommandException(StatusWord.NOT_ENOUGH_MEMORY);
            }
            byte[] path0 = Der.tlv(0x30, Der.tlv(0x04, new byte[] {(byte) (f.control.slots[0] >> 8), (byte) f.control.slots[0]}));
            byte[] path1 = Der.tlv(0x30, Der.tlv(0x04, new byte[] {(byte) (f.control.slots[1] >> 8), (byte) f.control.slots[1]}));
            byte[] control = Der.tlv(0x30, Der.integer(0x02, (f.control.generation + 1) & 0xFFFFFFFFL),
                    Der.integer(0x02, target), Der.integer(0x02, content.length), Der.integer(0x02, f.control.slotSize),
                    Der.tlv(0x04, CardCrypto.sha256(content)), Der.tlv(0x30, path0, path1));
            if (control.length > f.controlFile.size()) {
                throw new CommandException(StatusWord.NOT_ENOUGH_MEMORY);
            }
            context.write(slot, 0, Arrays.copyOf(content, slot.size()));
            DmApplet.count(context, slot);
            context.write(f.controlFile, 0, Arrays.copyOf(control, f.controlFile.size()));
            DmApplet.count(context, f.controlFile);
        } catch (Der.Malformed e) {
            throw new CommandException(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
    }

    /** Names the counter and the number of signers only. */
    @Override
    public String toString() {
        return "CardFumoPolicy[signers=" + signerHashes.size() + ", threshold=" + threshold + ", counter=" + counter + "]";
    }
}
