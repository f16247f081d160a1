package org.cardinaldm.client.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A DM-profile bootstrap (OMA-TS-DM_Bootstrap-V1_2; digest 8): a SyncML DM message whose Add and
 * Replace commands create DM accounts (and other MOs), processed without a response. It comes from
 * an origin that can later withdraw it: a smart card ({@code card:<card id>}), a file
 * ({@code file:<name>}) or a push ({@code push:<bearer>}). Immutable.
 * <pre>{@code
 * BootstrapPackage p = BootstrapPackage.builder("card:89440000001234567890", wbxml, MediaTypes.DM_WBXML)
 *         .confirm(true, "Use the operator's management settings from the SIM card?").connect(true).build();
 * BootstrapResult r = bootstrap.apply(p);
 * }</pre>
 */
public final class BootstrapPackage {
    /** The SEC and MAC content-type parameters of a pushed bootstrap (digest 8.2). */
    public record Security(String sec, String mac) {
        /** Checks for null. */
        public Security {
            Objects.requireNonNull(sec, "sec");
            Objects.requireNonNull(mac, "mac");
        }

        /** @return SEC and the MAC's length only */
        @Override
        public String toString() {
            return "Security[SEC=" + sec + ", MAC " + mac.length() + " hex digits]";
        }
    }

    private final String origin;
    private final byte[] document;
    private final String mediaType;
    private final Security security;
    private final boolean confirm;
    private final String prompt;
    private final boolean connect;
    private final String fingerprint;

    private BootstrapPackage(Builder b) {
        this.origin = b.origin;
        this.document = b.document;
        this.mediaType = b.mediaType;
        this.security = b.security;
        this.confirm = b.confirm;
        this.prompt = b.prompt;
        this.connect = b.connect;
        this.fingerprint = b.fingerprint;
    }

    /**
     * @param origin where it comes from, {@code <kind>:<id>} such as {@code card:8944...}; the same
     *     origin withdraws it later
     * @param document the bootstrap message (copied)
     * @param mediaType its media type, {@code application/vnd.syncml.dm+wbxml} (or {@code +xml})
     * @return a builder: no confirmation, no connection, no SEC/MAC
     */
    public static Builder builder(String origin, byte[] document, String mediaType) {
        return new Builder(origin, document, mediaType);
    }

    /** @return the origin */
    public String origin() {
        return origin;
    }

    /** @return a copy of the document */
    public byte[] document() {
        return document.clone();
    }

    /** @return its media type */
    public String mediaType() {
        return mediaType;
    }

    /** @return SEC and MAC, when the bearer delivered them */
    public Optional<Security> security() {
        return Optional.ofNullable(security);
    }

    /** @return whether the user must accept it first (nothing is applied on refusal or without a UI) */
    public boolean confirm() {
        return confirm;
    }

    /** @return the question shown when {@link #confirm()} */
    public String prompt() {
        return prompt;
    }

    /** @return whether to open a client-initiated session with each new server afterwards */
    public boolean connect() {
        return connect;
    }

    /**
     * A text the source uses to recognise content it has applied already, such as a hash of a card's
     * bootstrap document and policy. When present, every account the package creates remembers it, and
     * {@link DmBootstrap#appliedFingerprint(String)} gives it back for the origin until the accounts are
     * withdrawn or replaced.
     *
     * @return the fingerprint, when the source gave one
     * @since 1.2
     */
    public Optional<String> fingerprint() {
        return Optional.ofNullable(fingerprint);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BootstrapPackage)) {
            return false;
        }
        BootstrapPackage p = (BootstrapPackage) o;
        return origin.equals(p.origin) && Arrays.equals(document, p.document) && mediaType.equals(p.mediaType)
                && Objects.equals(security, p.security) && confirm == p.confirm && prompt.equals(p.prompt)
                && connect == p.connect && Objects.equals(fingerprint, p.fingerprint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, mediaType, security, confirm, prompt, connect, fingerprint) * 31
                + Arrays.hashCode(document);
    }

    /** @return origin, size and flags; never the document */
    @Override
    public String toString() {
        return "BootstrapPackage[" + origin + ", " + document.length + " bytes " + mediaType + (confirm ? ", confirm" : "")
                + (connect ? ", connect" : "") + (security == null ? "" : ", " + security) + "]";
    }

    /** Builds a {@link BootstrapPackage}. */
    public static final class Builder {
        private final String origin;
        private final byte[] document;
        private final String mediaType;
        private Security security;
        private boolean confirm;
        private String prompt = "";
        private boolean connect;
        private String fingerprint;

        private Builder(String origin, byte[] document, String mediaType) {
            Objects.requireNonNull(origin, "origin");
            if (origin.isBlank() || origin.indexOf(':') <= 0) {
                throw new IllegalArgumentException("origin must be <kind>:<id>, e.g. card:8944...");
            }
            this.origin = origin;
            this.document = Objects.requireNonNull(document, "document").clone();
            this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
        }

        /** @param value SEC and MAC, or null @return this */
        public Builder security(Security value) {
            security = value;
            return this;
        }

        /**
         * @param value whether the user must accept first
         * @param question what to ask
         * @return this
         */
        public Builder confirm(boolean value, String question) {
            confirm = value;
            prompt = Objects.requireNonNull(question, "question");
            return this;
        }

        /** @param value whether to connect to each new server afterwards @return this */
        public Builder connect(boolean value) {
            connect = value;
            return this;
        }

        /**
         * @param value a non-blank text that recognises the content later (see {@link BootstrapPackage#fingerprint()}),
         *     or null for none
         * @return this
         * @throws IllegalArgumentException when the value is blank
         * @since 1.2
         */
        public Builder fingerprint(String value) {
            if (value != null && value.isBlank()) {
                throw new IllegalArgumentException("a fingerprint must not be blank");
            }
            fingerprint = value;
            return this;
        }

        /** @return the package */
        public BootstrapPackage build() {
            return new BootstrapPackage(this);
        }
    }
}
