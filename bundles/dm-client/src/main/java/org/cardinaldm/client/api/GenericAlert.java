package org.cardinaldm.client.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Generic Alert (Alert 1226, digest 1.10) for one DM server: what happened (Type, a URN or
 * reverse-domain name), its result data and Format, how important it is (Mark), the MO node that
 * raised it (Source) and the Correlator of the Exec it answers. Immutable.
 * <pre>{@code
 * GenericAlert a = GenericAlert.builder("dms.example.com", "org.openmobilealliance.dm.firmwareupdate.download")
 *         .format("int").data("200").source("./FUMO/fw1").correlator("abc123").mark("critical").build();
 * }</pre>
 */
public final class GenericAlert {
    /** Largest Data accepted, in characters. */
    public static final int MAX_DATA_LENGTH = 16_384;
    /** Largest other field accepted, in characters. */
    public static final int MAX_FIELD_LENGTH = 1024;
    /** The Mark values in descending importance (digest 1.10). */
    public static final List<String> MARKS = List.of("fatal", "critical", "minor", "warning", "informational",
            "harmless", "indeterminate");

    private final String serverId;
    private final String type;
    private final String format;
    private final String mark;
    private final String data;
    private final String source;
    private final String target;
    private final String correlator;

    private GenericAlert(Builder b) {
        this.serverId = b.serverId;
        this.type = b.type;
        this.format = b.format;
        this.mark = b.mark;
        this.data = b.data;
        this.source = b.source;
        this.target = b.target;
        this.correlator = b.correlator;
    }

    /**
     * @param serverId the ServerID of the server it is for
     * @param type the alert Type, e.g. {@code org.openmobilealliance.dm.firmwareupdate.download}
     * @return a builder with Format {@code chr}, no Mark, empty Data
     */
    public static Builder builder(String serverId, String type) {
        return new Builder(serverId, type);
    }

    /** @return the ServerID of the server it is for */
    public String serverId() {
        return serverId;
    }

    /** @return the Meta Type */
    public String type() {
        return type;
    }

    /** @return the Meta Format, e.g. {@code int} or {@code chr} */
    public String format() {
        return format;
    }

    /** @return the Meta Mark, if any (the server then assumes {@code informational}) */
    public Optional<String> mark() {
        return Optional.ofNullable(mark);
    }

    /** @return the Item Data, possibly empty */
    public String data() {
        return data;
    }

    /** @return the Item Source LocURI, the MO node that raised the alert, if any */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** @return the Item Target LocURI, if any */
    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    /** @return the Correlator of the Exec this alert answers, if any */
    public Optional<String> correlator() {
        return Optional.ofNullable(correlator);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GenericAlert)) {
            return false;
        }
        GenericAlert a = (GenericAlert) o;
        return serverId.equals(a.serverId) && type.equals(a.type) && format.equals(a.format)
                && Objects.equals(mark, a.mark) && data.equals(a.data) && Objects.equals(source, a.source)
                && Objects.equals(target, a.target) && Objects.equals(correlator, a.correlator);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serverId, type, format, mark, data, source, target, correlator);
    }

    /** @return server, type, mark, source and correlator; the data only by length */
    @Override
    public String toString() {
        return "GenericAlert[" + serverId + " " + type + (mark == null ? "" : " " + mark)
                + (source == null ? "" : " from " + source) + (correlator == null ? "" : " correlator " + correlator)
                + ", " + data.length() + " chars of " + format + "]";
    }

    /** Builds a {@link GenericAlert}. */
    public static final class Builder {
        private final String serverId;
        private final String type;
        private String format = "chr";
        private String mark;
        private String data = "";
        private String source;
        private String target;
        private String correlator;

        private Builder(String serverId, String type) {
            this.serverId = field(serverId, "serverId", false);
            this.type = field(type, "type", false);
        }

        private static String field(String value, String name, boolean emptyAllowed) {
            Objects.requireNonNull(value, name);
            if (!emptyAllowed && value.isBlank()) {
                throw new IllegalArgumentException(name + " is blank");
            }
            if (value.length() > MAX_FIELD_LENGTH) {
                throw new IllegalArgumentException(name + " is longer than " + MAX_FIELD_LENGTH + " characters");
            }
            return value;
        }

        /** @param value the Meta Format, e.g. {@code int} @return this */
        public Builder format(String value) {
            format = field(value, "format", false);
            return this;
        }

        /**
         * @param value one of {@link GenericAlert#MARKS}, or null for none
         * @return this
         */
        public Builder mark(String value) {
            if (value != null && !MARKS.contains(value)) {
                throw new IllegalArgumentException("Mark must be one of " + MARKS);
            }
            mark = value;
            return this;
        }

        /** @param value the Item Data, at most {@value GenericAlert#MAX_DATA_LENGTH} characters @return this */
        public Builder data(String value) {
            Objects.requireNonNull(value, "data");
            if (value.length() > MAX_DATA_LENGTH) {
                throw new IllegalArgumentException("data is longer than " + MAX_DATA_LENGTH + " characters");
            }
            data = value;
            return this;
        }

        /** @param value the Item Source LocURI, or null @return this */
        public Builder source(String value) {
            source = value == null ? null : field(value, "source", false);
            return this;
        }

        /** @param value the Item Target LocURI, or null @return this */
        public Builder target(String value) {
            target = value == null ? null : field(value, "target", false);
            return this;
        }

        /** @param value the Correlator of the Exec, or null @return this */
        public Builder correlator(String value) {
            correlator = value == null ? null : field(value, "correlator", false);
            return this;
        }

        /** @return the alert */
        public GenericAlert build() {
            return new GenericAlert(this);
        }
    }
}
