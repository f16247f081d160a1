package org.cardinaldm.syncml.api.model;

/**
 * An {@code Item}: Target?, Source?, Meta?, Data?, MoreData? (digest section 1.2).
 *
 * @param target the Target, or null
 * @param source the Source, or null
 * @param meta the Meta, or null
 * @param data the Data, or null
 * @param moreData whether the empty MoreData flag is present (a large-object chunk that is not the last)
 */
public record Item(Location target, Location source, Meta meta, Data data, boolean moreData) {

    /**
     * @param targetUri the Target LocURI
     * @return an Item with only a Target, as in Get and Delete
     */
    public static Item target(String targetUri) {
        return new Item(Location.of(targetUri), null, null, null, false);
    }

    /**
     * @param sourceUri the Source LocURI
     * @param data the Data
     * @return an Item with a Source and data, as in Results and Replace of DevInfo
     */
    public static Item source(String sourceUri, Data data) {
        return new Item(null, Location.of(sourceUri), null, data, false);
    }

    /**
     * @param data the Data
     * @return an Item with only data, as in alert options
     */
    public static Item data(Data data) {
        return new Item(null, null, null, data, false);
    }

    /** @return a new empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param newMeta the Meta
     * @return a copy with that Meta
     */
    public Item withMeta(Meta newMeta) {
        return new Item(target, source, newMeta, data, moreData);
    }

    /**
     * @param newData the Data
     * @return a copy with that Data
     */
    public Item withData(Data newData) {
        return new Item(target, source, meta, newData, moreData);
    }

    /** Builds an {@link Item}. */
    public static final class Builder {
        private Location target;
        private Location source;
        private Meta meta;
        private Data data;
        private boolean moreData;

        private Builder() {
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
         * @param value the Target
         * @return this
         */
        public Builder target(Location value) {
            this.target = value;
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
         * @param value the Source
         * @return this
         */
        public Builder source(Location value) {
            this.source = value;
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

        /**
         * @param value the Data
         * @return this
         */
        public Builder data(Data value) {
            this.data = value;
            return this;
        }

        /**
         * @param text the Data as text
         * @return this
         */
        public Builder data(String text) {
            this.data = Data.text(text);
            return this;
        }

        /**
         * @param value whether MoreData is present
         * @return this
         */
        public Builder moreData(boolean value) {
            this.moreData = value;
            return this;
        }

        /** @return the Item */
        public Item build() {
            return new Item(target, source, meta, data, moreData);
        }
    }
}
