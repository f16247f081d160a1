package org.cardinaldm.client.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.syncml.api.model.AlertCodes;

/**
 * A Generic Alert (Alert 1226, digest 1.10) for one DM server: what happened (Type, a URN or
 * reverse-domain name), its result data and Format, how important it is (Mark), the MO node that
 * raised it (Source) and the Correlator of the Exec it answers. Immutable.
 * <pre>{@code
 * GenericAlert a = GenericAlert.builder("dms.example.com", "org.openmobilealliance.dm.firmwareupdate.download")
 *         .format("int").data("200").source("./FUMO/fw1").correlator("abc123").mark("critical").build();
 * }</pre>
 *
 * <p>Its fields, their limits and checks are those of dm-api's {@link AsyncResult} (the outcome an MO plugin
 * reports), which it holds: a Generic Alert adds only that its Mark is one of {@link #MARKS}. A plugin's report
 * becomes an alert with {@link #of(AsyncResult)}.
 */
public final class GenericAlert {
    /** Largest Data accepted, in characters. */
    public static final int MAX_DATA_LENGTH = AsyncResult.MAX_DATA_LENGTH;
    /** Largest other field accepted, in characters. */
    public static final int MAX_FIELD_LENGTH = AsyncResult.MAX_FIELD_LENGTH;
    /** The Mark values in descending importance (digest 1.10). */
    public static final List<String> MARKS = AlertCodes.MARKS;

    private final AsyncResult fields;

    private GenericAlert(AsyncResult fields) {
        this.fields = fields;
    }

    /**
     * @param serverId the ServerID of the server it is for
     * @param type the alert Type, e.g. {@code org.openmobilealliance.dm.firmwareupdate.download}
     * @return a builder with Format {@code chr}, no Mark, empty Data
     */
    public static Builder builder(String serverId, String type) {
        return new Builder(serverId, type);
    }

    /**
     * @param result an MO plugin's report of an Exec it answered 202
     * @return the Generic Alert that carries it: the same server, Type, Format, Mark, Source, Target, Correlator
     *         and Data
     * @throws IllegalArgumentException when its Mark is not one of {@link #MARKS}
     * @since 1.3.0
     */
    public static GenericAlert of(AsyncResult result) {
        checkMark(result.mark().orElse(null));
        return new GenericAlert(result);
    }

    private static String checkMark(String mark) {
        if (mark != null && !MARKS.contains(mark)) {
            throw new IllegalArgumentException("Mark must be one of " + MARKS);
        }
        return mark;
    }

    /** @return the ServerID of the server it is for */
    public String serverId() {
        return fields.serverId();
    }

    /** @return the Meta Type */
    public String type() {
        return fields.type();
    }

    /** @return the Meta Format, e.g. {@code int} or {@code chr} */
    public String format() {
        return fields.format();
    }

    /** @return the Meta Mark, if any (the server then assumes {@code informational}) */
    public Optional<String> mark() {
        return fields.mark();
    }

    /** @return the Item Data, possibly empty */
    public String data() {
        return fields.data();
    }

    /** @return the Item Source LocURI, the MO node that raised the alert, if any */
    public Optional<String> source() {
        return fields.source();
    }

    /** @return the Item Target LocURI, if any */
    public Optional<String> target() {
        return fields.target();
    }

    /** @return the Correlator of the Exec this alert answers, if any */
    public Optional<String> correlator() {
        return fields.correlator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenericAlert a && fields.equals(a.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fields);
    }

    /** @return server, type, mark, source and correlator; the data only by length */
    @Override
    public String toString() {
        return "GenericAlert[" + serverId() + " " + type() + mark().map(m -> " " + m).orElse("")
                + source().map(s -> " from " + s).orElse("") + correlator().map(c -> " correlator " + c).orElse("")
                + ", " + data().length() + " chars of " + format() + "]";
    }

    /** Builds a {@link GenericAlert}; each setter checks its value as {@link AsyncResult.Builder} does. */
    public static final class Builder {
        private final AsyncResult.Builder fields;

        private Builder(String serverId, String type) {
            this.fields = AsyncResult.builder(serverId, type);
        }

        /** @param value the Meta Format, e.g. {@code int} @return this */
        public Builder format(String value) {
            fields.format(value);
            return this;
        }

        /**
         * @param value one of {@link GenericAlert#MARKS}, or null for none
         * @return this
         */
        public Builder mark(String value) {
            fields.mark(checkMark(value));
            return this;
        }

        /** @param value the Item Data, at most {@value GenericAlert#MAX_DATA_LENGTH} characters @return this */
        public Builder data(String value) {
            fields.data(value);
            return this;
        }

        /** @param value the Item Source LocURI, or null @return this */
        public Builder source(String value) {
            fields.source(value);
            return this;
        }

        /** @param value the Item Target LocURI, or null @return this */
        public Builder target(String value) {
            fields.target(value);
            return this;
        }

        /** @param value the Correlator of the Exec, or null (or empty) for none @return this */
        public Builder correlator(String value) {
            fields.correlator(value);
            return this;
        }

        /** @return the alert */
        public GenericAlert build() {
            return new GenericAlert(fields.build());
        }
    }
}
