package org.cardinaldm.syncml.api.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code Meta} element: the MetInf 1.2 elements DM uses (digest sections 1.4, 2.5). Every field is
 * optional (null, false or empty when absent).
 *
 * @param format Format, e.g. {@code chr}, {@code b64}, {@code node}
 * @param type Type, e.g. {@code text/plain} or {@code syncml:auth-md5}
 * @param mark Mark, e.g. {@code critical} for a Generic Alert
 * @param size Size in bytes (of the encoded data; first chunk of a large object)
 * @param nextNonce NextNonce, base64 text
 * @param version Version
 * @param maxMsgSize MaxMsgSize in bytes
 * @param maxObjSize MaxObjSize in bytes
 * @param emi EMI extensions, in order
 * @param anchor Anchor (data synchronisation)
 * @param mem Mem (data synchronisation)
 * @param fieldLevel whether the empty FieldLevel flag is present
 */
public record Meta(String format, String type, String mark, Long size, String nextNonce, String version,
        Long maxMsgSize, Long maxObjSize, List<String> emi, Anchor anchor, Mem mem, boolean fieldLevel) {

    /** A Meta with no content. */
    public static final Meta EMPTY = builder().build();

    /** Copies the EMI list. */
    public Meta {
        emi = emi == null ? List.of() : List.copyOf(emi);
    }

    /**
     * @param format the Format, or null
     * @param type the Type, or null
     * @return a Meta with just those two
     */
    public static Meta of(String format, String type) {
        return builder().format(format).type(type).build();
    }

    /** @return a new empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this Meta's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.format = format;
        b.type = type;
        b.mark = mark;
        b.size = size;
        b.nextNonce = nextNonce;
        b.version = version;
        b.maxMsgSize = maxMsgSize;
        b.maxObjSize = maxObjSize;
        b.emi.addAll(emi);
        b.anchor = anchor;
        b.mem = mem;
        b.fieldLevel = fieldLevel;
        return b;
    }

    /** @return true when no MetInf element is present */
    public boolean isEmpty() {
        return equals(EMPTY);
    }

    /** Builds a {@link Meta}. */
    public static final class Builder {
        private String format;
        private String type;
        private String mark;
        private Long size;
        private String nextNonce;
        private String version;
        private Long maxMsgSize;
        private Long maxObjSize;
        private final List<String> emi = new ArrayList<>();
        private Anchor anchor;
        private Mem mem;
        private boolean fieldLevel;

        private Builder() {
        }

        /**
         * @param value the Format
         * @return this
         */
        public Builder format(String value) {
            this.format = value;
            return this;
        }

        /**
         * @param value the Type
         * @return this
         */
        public Builder type(String value) {
            this.type = value;
            return this;
        }

        /**
         * @param value the Mark
         * @return this
         */
        public Builder mark(String value) {
            this.mark = value;
            return this;
        }

        /**
         * @param value the Size
         * @return this
         */
        public Builder size(Long value) {
            this.size = value;
            return this;
        }

        /**
         * @param value the NextNonce (base64 text)
         * @return this
         */
        public Builder nextNonce(String value) {
            this.nextNonce = value;
            return this;
        }

        /**
         * @param value the Version
         * @return this
         */
        public Builder version(String value) {
            this.version = value;
            return this;
        }

        /**
         * @param value the MaxMsgSize
         * @return this
         */
        public Builder maxMsgSize(Long value) {
            this.maxMsgSize = value;
            return this;
        }

        /**
         * @param value the MaxObjSize
         * @return this
         */
        public Builder maxObjSize(Long value) {
            this.maxObjSize = value;
            return this;
        }

        /**
         * @param value one EMI extension, appended
         * @return this
         */
        public Builder addEmi(String value) {
            this.emi.add(java.util.Objects.requireNonNull(value, "emi"));
            return this;
        }

        /**
         * @param value the Anchor
         * @return this
         */
        public Builder anchor(Anchor value) {
            this.anchor = value;
            return this;
        }

        /**
         * @param value the Mem
         * @return this
         */
        public Builder mem(Mem value) {
            this.mem = value;
            return this;
        }

        /**
         * @param value whether FieldLevel is present
         * @return this
         */
        public Builder fieldLevel(boolean value) {
            this.fieldLevel = value;
            return this;
        }

        /** @return the Meta */
        public Meta build() {
            return new Meta(format, type, mark, size, nextNonce, version, maxMsgSize, maxObjSize, emi, anchor, mem,
                    fieldLevel);
        }
    }
}
