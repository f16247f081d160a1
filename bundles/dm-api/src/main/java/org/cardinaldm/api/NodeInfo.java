package org.cardinaldm.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about a node apart from its value: kind, properties and whether it is permanent.
 * Immutable; build one with {@link #interior(NodeUri)} or {@link #leaf(NodeUri, Format)}.
 *
 * <p>Properties after OMA-TS-DM_TND-V1_2 (digest 5.6). {@link #acl()} is the node's own ACL, empty
 * when it inherits. Size is only defined for leaves.
 */
public final class NodeInfo {
    private static final DateTimeFormatter TSTAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final NodeUri uri;
    private final Format format;
    private final String type;
    private final Acl acl;
    private final String title;
    private final Instant timestamp;
    private final int version;
    private final long size;
    private final boolean permanent;

    private NodeInfo(Builder b) {
        this.uri = b.uri;
        this.format = b.format;
        this.type = b.type;
        this.acl = b.acl;
        this.title = b.title;
        this.timestamp = b.timestamp;
        this.version = b.version;
        this.size = b.format == Format.NODE ? -1 : b.size;
        this.permanent = b.permanent;
    }

    /** @param uri the node @return a builder for an interior node */
    public static Builder interior(NodeUri uri) {
        return new Builder(uri, Format.NODE);
    }

    /** @param uri the node @param format its format (not {@code node}) @return a builder for a leaf */
    public static Builder leaf(NodeUri uri, Format format) {
        if (format == Format.NODE) {
            throw new IllegalArgumentException("A leaf cannot have the node format");
        }
        return new Builder(uri, format);
    }

    /** @return a builder initialised from this node */
    public Builder toBuilder() {
        Builder b = new Builder(uri, format);
        b.type = type;
        b.acl = acl;
        b.title = title;
        b.timestamp = timestamp;
        b.version = version;
        b.size = size;
        b.permanent = permanent;
        return b;
    }

    /** @return the node's address */
    public NodeUri uri() {
        return uri;
    }

    /** @return the node's name (the Name property) */
    public String name() {
        return uri.name();
    }

    /** @return true for interior nodes */
    public boolean isInterior() {
        return format == Format.NODE;
    }

    /** @return the Format property */
    public Format format() {
        return format;
    }

    /** @return the Type property: a MIME type for leaves, an MO identifier or empty for interior nodes */
    public String type() {
        return type;
    }

    /** @return the node's own ACL, empty when it inherits */
    public Acl acl() {
        return acl;
    }

    /** @return the Title property, possibly empty */
    public String title() {
        return title;
    }

    /** @return the time of the last change, when known */
    public Optional<Instant> timestamp() {
        return Optional.ofNullable(timestamp);
    }

    /** @return the TStamp property, ISO 8601 basic UTC such as {@code 20010711T163817Z}, or empty */
    public String timestampProperty() {
        return timestamp == null ? "" : TSTAMP.format(timestamp);
    }

    /** @return the VerNo property (0..65535), or -1 when not maintained */
    public int version() {
        return version;
    }

    /** @return the Size property of a leaf in bytes, or -1 for interior nodes and unknown sizes */
    public long size() {
        return size;
    }

    /** @return true for permanent nodes, which servers can neither delete nor rename */
    public boolean isPermanent() {
        return permanent;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NodeInfo)) {
            return false;
        }
        NodeInfo n = (NodeInfo) o;
        return uri.equals(n.uri) && format == n.format && type.equals(n.type) && acl.equals(n.acl)
                && title.equals(n.title) && Objects.equals(timestamp, n.timestamp) && version == n.version
                && size == n.size && permanent == n.permanent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, format, type, acl, title, timestamp, version, size, permanent);
    }

    @Override
    public String toString() {
        return "NodeInfo[" + uri + " " + format + (type.isEmpty() ? "" : " " + type)
                + (acl.isEmpty() ? "" : " acl=" + acl) + (permanent ? " permanent" : "") + "]";
    }

    /** Builds a {@link NodeInfo}; every property but the URI and format has a default. */
    public static final class Builder {
        private final NodeUri uri;
        private final Format format;
        private String type = "";
        private Acl acl = Acl.empty();
        private String title = "";
        private Instant timestamp;
        private int version = -1;
        private long size = -1;
        private boolean permanent;

        private Builder(NodeUri uri, Format format) {
            this.uri = Objects.requireNonNull(uri, "uri");
            this.format = Objects.requireNonNull(format, "format");
        }

        /** @param type MIME type or MO identifier @return this */
        public Builder type(String type) {
            this.type = Objects.requireNonNull(type, "type");
            return this;
        }

        /** @param acl the node's own ACL @return this */
        public Builder acl(Acl acl) {
            this.acl = Objects.requireNonNull(acl, "acl");
            return this;
        }

        /** @param title the title @return this */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /** @param timestamp time of last change, or null @return this */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /** @param version VerNo 0..65535, or -1 @return this */
        public Builder version(int version) {
            if (version < -1 || version > 0xFFFF) {
                throw new IllegalArgumentException("VerNo out of range: " + version);
            }
            this.version = version;
            return this;
        }

        /** @param size value size in bytes, or -1 @return this */
        public Builder size(long size) {
            this.size = size;
            return this;
        }

        /** @param permanent true for a permanent node @return this */
        public Builder permanent(boolean permanent) {
            this.permanent = permanent;
            return this;
        }

        /** @return the node information */
        public NodeInfo build() {
            return new NodeInfo(this);
        }
    }
}
