package org.cardinaldm.syncml.api.model;

import java.util.Objects;

/**
 * {@code SyncHdr}: VerDTD, VerProto, SessionID, MsgID, Target, Source, RespURI?, NoResp?, Cred?, Meta?
 * (digest sections 1.2 and 1.3).
 *
 * @param verDtd VerDTD, {@code 1.2} for DM 1.2
 * @param verProto VerProto, {@code DM/1.2}
 * @param sessionId SessionID (upper-case hex without leading zeros when answering a notification)
 * @param msgId MsgID
 * @param target the recipient
 * @param source the sender (its LocName carries the user name with MD5 authentication)
 * @param respUri RespURI, or null
 * @param noResp whether NoResp is present
 * @param cred the credentials, or null
 * @param meta the Meta (MaxMsgSize, MaxObjSize), or null
 */
public record SyncHeader(String verDtd, String verProto, String sessionId, String msgId, Location target,
        Location source, String respUri, boolean noResp, Cred cred, Meta meta) {

    /** VerDTD of SyncML DM 1.2. */
    public static final String VER_DTD_1_2 = "1.2";
    /** VerProto of SyncML DM 1.2. */
    public static final String VER_PROTO_DM_1_2 = "DM/1.2";

    /** Checks the mandatory parts. */
    public SyncHeader {
        Checks.nonEmpty(verDtd, "VerDTD");
        Checks.nonEmpty(verProto, "VerProto");
        Objects.requireNonNull(sessionId, "SessionID");
        Checks.nonEmpty(msgId, "MsgID");
        Objects.requireNonNull(target, "Target");
        Objects.requireNonNull(source, "Source");
    }

    /** @return a builder with VerDTD 1.2 and VerProto DM/1.2 */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this header's values */
    public Builder toBuilder() {
        return new Builder().verDtd(verDtd).verProto(verProto).sessionId(sessionId).msgId(msgId).target(target)
                .source(source).respUri(respUri).noResp(noResp).cred(cred).meta(meta);
    }

    /** Builds a {@link SyncHeader}. */
    public static final class Builder {
        private String verDtd = VER_DTD_1_2;
        private String verProto = VER_PROTO_DM_1_2;
        private String sessionId;
        private String msgId;
        private Location target;
        private Location source;
        private String respUri;
        private boolean noResp;
        private Cred cred;
        private Meta meta;

        private Builder() {
        }

        /**
         * @param value VerDTD
         * @return this
         */
        public Builder verDtd(String value) {
            this.verDtd = value;
            return this;
        }

        /**
         * @param value VerProto
         * @return this
         */
        public Builder verProto(String value) {
            this.verProto = value;
            return this;
        }

        /**
         * @param value SessionID
         * @return this
         */
        public Builder sessionId(String value) {
            this.sessionId = value;
            return this;
        }

        /**
         * Sets the SessionID from a 16-bit session number, as upper-case hex without leading zeros.
         *
         * @param value the session number, 0 to 0xFFFF
         * @return this
         */
        public Builder sessionId(int value) {
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException("session id out of range: " + value);
            }
            this.sessionId = Integer.toHexString(value).toUpperCase(java.util.Locale.ROOT);
            return this;
        }

        /**
         * @param value MsgID
         * @return this
         */
        public Builder msgId(String value) {
            this.msgId = value;
            return this;
        }

        /**
         * @param value the Target
         * @return this
         */
        public Builder target(Location value) {
            this.target = value;
            return this;
        }

        /**
         * @param uri the Target LocURI
         * @return this
         */
        public Builder target(String uri) {
            this.target = Location.of(uri);
            return this;
        }

        /**
         * @param value the Source
         * @return this
         */
        public Builder source(Location value) {
            this.source = value;
            return this;
        }

        /**
         * @param uri the Source LocURI
         * @return this
         */
        public Builder source(String uri) {
            this.source = Location.of(uri);
            return this;
        }

        /**
         * @param value RespURI
         * @return this
         */
        public Builder respUri(String value) {
            this.respUri = value;
            return this;
        }

        /**
         * @param value whether NoResp is present
         * @return this
         */
        public Builder noResp(boolean value) {
            this.noResp = value;
            return this;
        }

        /**
         * @param value the Cred
         * @return this
         */
        public Builder cred(Cred value) {
            this.cred = value;
            return this;
        }

        /**
         * @param value the Meta
         * @return this
         */
        public Builder meta(Meta value) {
            this.meta = value;
            return this;
        }

        /** @return the header */
        public SyncHeader build() {
            return new SyncHeader(verDtd, verProto, sessionId, msgId, target, source, respUri, noResp, cred, meta);
        }
    }
}
