package org.cardinaldm.syncml.api.notification;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;

/**
 * The trigger part of a package-0 notification (everything after the 16-byte digest):
 * version (10 bits), ui-mode (2), initiator (1), future use (27 zero bits), session id (16),
 * server-id length (8), server id, vendor data. Immutable.
 */
public final class Notification {
    /** The version this class writes: 11 ("1.1", as DM 1.2 requires). */
    public static final int VERSION = 11;
    /** Lowest version accepted on input. */
    public static final int MIN_VERSION = 10;
    /** Highest version accepted on input. */
    public static final int MAX_VERSION = 12;
    /** Largest notification accepted by {@link #parse(byte[])}. */
    public static final int MAX_BYTES = 65_535;
    private static final int DIGEST_BYTES = 16;
    private static final int HEADER_BYTES = 8;

    private final int version;
    private final UiMode uiMode;
    private final Initiator initiator;
    private final int sessionId;
    private final String serverId;
    private final byte[] vendorData;

    /**
     * @param version the notification version, 0 to 1023 (11 for DM 1.2)
     * @param uiMode the ui-mode
     * @param initiator the initiator
     * @param sessionId the 16-bit session id
     * @param serverId the ServerID, 1 to 255 UTF-8 bytes
     * @param vendorData vendor-specific bytes, possibly empty (copied)
     */
    public Notification(int version, UiMode uiMode, Initiator initiator, int sessionId, String serverId,
            byte[] vendorData) {
        if (version < 0 || version > 0x3FF) {
            throw new IllegalArgumentException("version needs 10 bits: " + version);
        }
        if (sessionId < 0 || sessionId > 0xFFFF) {
            throw new IllegalArgumentException("session id needs 16 bits: " + sessionId);
        }
        int idLength = serverId.getBytes(StandardCharsets.UTF_8).length;
        if (idLength < 1 || idLength > 255) {
            throw new IllegalArgumentException("server id must be 1 to 255 bytes: " + idLength);
        }
        this.version = version;
        this.uiMode = Objects.requireNonNull(uiMode, "uiMode");
        this.initiator = Objects.requireNonNull(initiator, "initiator");
        this.sessionId = sessionId;
        this.serverId = serverId;
        this.vendorData = vendorData.clone();
    }

    /**
     * A server-initiated notification with version 11 and no vendor data.
     *
     * @param serverId the ServerID
     * @param sessionId the session id, 1 to 0xFFFF
     * @param uiMode the ui-mode
     * @return the notification
     */
    public static Notification of(String serverId, int sessionId, UiMode uiMode) {
        return new Notification(VERSION, uiMode, Initiator.SERVER, sessionId, serverId, new byte[0]);
    }

    /** @return the version (11 means 1.1) */
    public int version() {
        return version;
    }

    /** @return the ui-mode */
    public UiMode uiMode() {
        return uiMode;
    }

    /** @return the initiator */
    public Initiator initiator() {
        return initiator;
    }

    /** @return the 16-bit session id */
    public int sessionId() {
        return sessionId;
    }

    /** @return the session id as the SyncHdr SessionID: upper-case hex without leading zeros */
    public String sessionIdHex() {
        return Integer.toHexString(sessionId).toUpperCase(Locale.ROOT);
    }

    /** @return the ServerID */
    public String serverId() {
        return serverId;
    }

    /** @return a copy of the vendor-specific data */
    public byte[] vendorData() {
        return vendorData.clone();
    }

    /** @return the trigger bytes: header, server id and vendor data (what the digest covers) */
    public byte[] trigger() {
        byte[] id = serverId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bb = ByteBuffer.allocate(HEADER_BYTES + id.length + vendorData.length);
        long word = ((long) version << 54) | ((long) uiMode.bits() << 52) | ((long) initiator.bit() << 51)
                | ((long) sessionId << 8) | id.length;
        bb.putLong(word).put(id).put(vendorData);
        return bb.array();
    }

    /**
     * @param password the server password (SRVCRED AAuthSecret)
     * @param nonce the raw nonce (SRVCRED AAuthData)
     * @return the complete package 0: digest then trigger
     */
    public byte[] encode(String password, byte[] nonce) {
        byte[] trigger = trigger();
        byte[] digest = digest(serverId, password, nonce, trigger);
        byte[] out = Arrays.copyOf(digest, DIGEST_BYTES + trigger.length);
        System.arraycopy(trigger, 0, out, DIGEST_BYTES, trigger.length);
        return out;
    }

    /**
     * Computes H(B64(H(server-id ":" password)) ":" nonce ":" B64(H(trigger))).
     *
     * @param serverId the ServerID (or the SRVCRED AAuthName)
     * @param password the password
     * @param nonce the raw nonce
     * @param trigger the trigger bytes
     * @return the 16-byte MD5 digest
     */
    public static byte[] digest(String serverId, String password, byte[] nonce, byte[] trigger) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] a = Base64.getEncoder().encode(md5.digest((serverId + ":" + password).getBytes(StandardCharsets.UTF_8)));
            byte[] t = Base64.getEncoder().encode(md5.digest(trigger));
            md5.update(a);
            md5.update((byte) ':');
            md5.update(nonce);
            md5.update((byte) ':');
            md5.update(t);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    /**
     * Parses a package 0. Versions 10 to 12 are accepted; the future-use bits are ignored.
     *
     * @param bytes the whole notification
     * @return the digest and the decoded trigger
     * @throws CodecException when the bytes are truncated, too long, or carry another version
     */
    public static Signed parse(byte[] bytes) throws CodecException {
        if (bytes.length > MAX_BYTES) {
            throw new CodecException(CodecError.MESSAGE_TOO_LARGE, "notification longer than " + MAX_BYTES + " bytes");
        }
        if (bytes.length < DIGEST_BYTES + HEADER_BYTES) {
            throw new CodecException(CodecError.MALFORMED,
                    "notification of " + bytes.length + " bytes is shorter than its 24-byte header");
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        long word = bb.getLong(DIGEST_BYTES);
        int version = (int) (word >>> 54) & 0x3FF;
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new CodecException(CodecError.UNSUPPORTED_VERSION, "notification version " + version
                    + " (" + MIN_VERSION + " to " + MAX_VERSION + " are read)");
        }
        UiMode ui = UiMode.of((int) (word >>> 52));
        Initiator initiator = ((word >>> 51) & 1) == 1 ? Initiator.SERVER : Initiator.CLIENT;
        int session = (int) (word >>> 8) & 0xFFFF;
        int idLength = (int) word & 0xFF;
        int idStart = DIGEST_BYTES + HEADER_BYTES;
        if (idLength == 0) {
            throw new CodecException(CodecError.INCOMPLETE, "notification has an empty server id");
        }
        if (idStart + idLength > bytes.length) {
            throw new CodecException(CodecError.MALFORMED,
                    "server id length " + idLength + " exceeds the notification (truncated)");
        }
        String serverId;
        try {
            serverId = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, idStart, idLength)).toString();
        } catch (CharacterCodingException e) {
            throw new CodecException(CodecError.MALFORMED, "server id is not UTF-8 text");
        }
        byte[] vendor = Arrays.copyOfRange(bytes, idStart + idLength, bytes.length);
        Notification n = new Notification(version, ui, initiator, session, serverId, vendor);
        return new Signed(Arrays.copyOf(bytes, DIGEST_BYTES), n, Arrays.copyOfRange(bytes, DIGEST_BYTES, bytes.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Notification n && version == n.version && uiMode == n.uiMode
                && initiator == n.initiator && sessionId == n.sessionId && serverId.equals(n.serverId)
                && Arrays.equals(vendorData, n.vendorData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, uiMode, initiator, sessionId, serverId, Arrays.hashCode(vendorData));
    }

    @Override
    public String toString() {
        return "Notification[version=" + version + ", uiMode=" + uiMode + ", initiator=" + initiator + ", sessionId="
                + sessionIdHex() + ", serverId=" + serverId + ", vendorData=" + vendorData.length + " bytes]";
    }

    /** A received notification: its digest, its decoded trigger and the exact trigger bytes. */
    public static final class Signed {
        private final byte[] digest;
        private final Notification notification;
        private final byte[] trigger;

        private Signed(byte[] digest, Notification notification, byte[] trigger) {
            this.digest = digest;
            this.notification = notification;
            this.trigger = trigger;
        }

        /** @return the decoded trigger */
        public Notification notification() {
            return notification;
        }

        /** @return a copy of the 16-byte digest as received */
        public byte[] digest() {
            return digest.clone();
        }

        /** @return a copy of the exact trigger bytes as received */
        public byte[] trigger() {
            return trigger.clone();
        }

        /**
         * Checks the digest in constant time over the bytes as received.
         *
         * @param serverId the name to hash: the ServerID, or the SRVCRED AAuthName when it differs
         * @param password the SRVCRED secret
         * @param nonce the raw SRVCRED nonce
         * @return true when the digest matches
         */
        public boolean verify(String serverId, String password, byte[] nonce) {
            return MessageDigest.isEqual(Notification.digest(serverId, password, nonce, trigger), digest);
        }

        /**
         * Checks the digest with the notification's own ServerID.
         *
         * @param password the SRVCRED secret
         * @param nonce the raw SRVCRED nonce
         * @return true when the digest matches
         */
        public boolean verify(String password, byte[] nonce) {
            return verify(notification.serverId(), password, nonce);
        }

        @Override
        public String toString() {
            return "Signed" + notification;
        }
    }
}
