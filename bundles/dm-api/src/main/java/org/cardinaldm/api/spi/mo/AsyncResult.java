package org.cardinaldm.api.spi.mo;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an accepted Exec, as {@link AsyncResults} sends it: a Generic Alert (1226) item for one
 * server with its Meta Type (a URN naming what happened), Format, optional Mark, Source (the node that
 * was executed), optional Target, the Correlator the Exec carried, and Data. Immutable; build it with
 * {@link #builder(String, String)}.
 */
public final class AsyncResult {
    /** Largest Data accepted, in characters. */
    public static final int MAX_DATA_LENGTH = 16_384;
    /** Largest other field accepted, in characters. */
    public static final int MAX_FIELD_LENGTH = 1024;

    private final String serverId;
    private final String type;
    private final String format;
    private final String mark;
    private final String source;
    private final String target;
    private final String correlator;
    private final String data;

    private AsyncResult(Builder b) {
        this.serverId = b.serverId;
        this.type = b.type;
        this.format = b.format;
        this.mark = b.mark;
        this.source = b.source;
        this.target = b.target;
        this.correlator = b.correlator;
        this.data = b.data;
    }

    /**
     * @param serverId the ServerID of the server that sent the Exec
     * @param type the alert type, e.g. {@code urn:oma:at:scomo:1.0:OperationComplete}
     * @return a builder with Format {@code chr}, no Mark, Source, Target or Correlator, and empty Data
     */
    public static Builder builder(String serverId, String type) {
        return new Builder(serverId, type);
    }

    /** @return the ServerID of the server the result is for */
    public String serverId() {
        return serverId;
    }

    /** @return the alert's Meta Type */
    public String type() {
        return type;
    }

    /** @return the Meta Format of the Data, e.g. {@code chr} or {@code int} */
    public String format() {
        return format;
    }

    /** @return the Meta Mark (e.g. {@code critical}), if any */
    public Optional<String> mark() {
        return Optional.ofNullable(mark);
    }

    /** @return the Item Source: the node that was executed, if given */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** @return the Item Target (e.g. the component the operation produced), if any */
    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    /** @return the Correlator of the Exec this result answers, if the Exec carried one */
    public Optional<String> correlator() {
        return Optional.ofNullable(correlator);
    }

    /** @return the Item Data (for SCOMO and FUMO the result code), possibly empty */
    public String data() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsyncResult r && serverId.equals(r.serverId) && type.equals(r.type)
                && format.equals(r.format) && Objects.equals(mark, r.mark) && Objects.equals(source, r.source)
                && Objects.equals(target, r.target) && Objects.equals(correlator, r.correlator) && data.equals(r.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serverId, type, format, mark, source, target, correlator, data);
    }

    /** Names the server, type, source and correlator; the Data is counted, not shown. */
    @Override
    public String toString() {
        return "AsyncResult[" + serverId + ", " + type + ", source " + source + ", correlator " + correlator
                + ", " + data.length() + " chars of data]";
    }

    /** Builds an {@link AsyncResult}; each setter checks its value. */
    public static final class Builder {
        private final String serverId;
        private final String type;
        private String format = "chr";
        private String mark;
        private String source;
        private String target;
        private String correlator;
        private String data = "";

        private Builder(String serverId, String type) {
            this.serverId = field("serverId", serverId);
            this.type = field("type", type);
        }

        /** @param value the Meta Format @return this */
        public Builder format(String value) {
            this.format = field("format", value);
            return this;
        }

        /** @param value the Meta Mark, or null for none @return this */
        public Builder mark(String value) {
            this.mark = value == null ? null : field("mark", value);
            return this;
        }

        /** @param value the executed node's URI, or null @return this */
        public Builder source(String value) {
            this.source = value == null ? null : field("source", value);
            return this;
        }

        /** @param value the Target URI, or null @return this */
        public Builder target(String value) {
            this.target = value == null ? null : field("target", value);
            return this;
        }

        /** @param value the Exec's Correlator; null or empty for none @return this */
        public Builder correlator(String value) {
            this.correlator = value == null || value.isEmpty() ? null : field("correlator", value);
            return this;
        }

        /** @param value the Data, at most {@link #MAX_DATA_LENGTH} characters @return this */
        public Builder data(String value) {
            Objects.requireNonNull(value, "data");
            if (value.length() > MAX_DATA_LENGTH) {
                throw new IllegalArgumentException("data is longer than " + MAX_DATA_LENGTH + " characters");
            }
            this.data = value;
            return this;
        }

        /** @return the result */
        public AsyncResult build() {
            return new AsyncResult(this);
        }

        private static String field(String name, String value) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " is blank");
            }
            if (value.length() > MAX_FIELD_LENGTH) {
                throw new IllegalArgumentException(name + " is longer than " + MAX_FIELD_LENGTH + " characters");
            }
            return value;
        }
    }
}
