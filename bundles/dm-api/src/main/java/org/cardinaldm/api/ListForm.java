package org.cardinaldm.api;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code ?list=} form of DM Get (OMA-TS-DM_TND-V1_2 "Tree exchange"; digest 5.6 and 7): what a
 * serialised subtree carries.
 *
 * <ul>
 * <li>{@code Struct}: the structure; every node with its Format and Type, no values.</li>
 * <li>{@code StructData}: the same plus the values of leaves.</li>
 * <li>{@code TNDS}: a TNDS object of the subtree with every property and the values;
 *     {@code TNDS+ACL+Value} lists what to include, {@code TNDS-Format-Size} what to leave out
 *     ({@code +} and {@code -} are not combined). The names are the properties of
 *     {@link Property} and {@code Value}.</li>
 * </ul>
 *
 * <p>Immutable. Names are case-sensitive, as written in the specification.
 */
public final class ListForm {
    /** The three forms. */
    public enum Kind {
        /** {@code Struct}. */
        STRUCT("Struct"),
        /** {@code StructData}. */
        STRUCT_DATA("StructData"),
        /** {@code TNDS}. */
        TNDS("TNDS");

        private final String token;

        Kind(String token) {
            this.token = token;
        }

        /** @return the name as written after {@code ?list=} */
        public String token() {
            return token;
        }
    }

    /** The name of the leaf values in a TNDS property list. */
    public static final String VALUE = "Value";

    private static final Set<Property> STRUCT_PROPERTIES =
            Collections.unmodifiableSet(EnumSet.of(Property.FORMAT, Property.TYPE));
    private static final Set<Property> ALL = Collections.unmodifiableSet(EnumSet.allOf(Property.class));
    private static final ListForm STRUCT = new ListForm(Kind.STRUCT, STRUCT_PROPERTIES, false, "Struct");
    private static final ListForm STRUCT_DATA = new ListForm(Kind.STRUCT_DATA, STRUCT_PROPERTIES, true, "StructData");
    private static final ListForm TNDS_ALL = new ListForm(Kind.TNDS, ALL, true, "TNDS");

    private final Kind kind;
    private final Set<Property> properties;
    private final boolean values;
    private final String text;

    private ListForm(Kind kind, Set<Property> properties, boolean values, String text) {
        this.kind = kind;
        this.properties = properties;
        this.values = values;
        this.text = text;
    }

    /** @return {@code Struct}: Format and Type of every node */
    public static ListForm struct() {
        return STRUCT;
    }

    /** @return {@code StructData}: Format, Type and the leaf values */
    public static ListForm structData() {
        return STRUCT_DATA;
    }

    /** @return {@code TNDS}: every property and the leaf values */
    public static ListForm tnds() {
        return TNDS_ALL;
    }

    /**
     * @param properties the properties to include
     * @param values whether to include the leaf values
     * @return the TNDS form that includes exactly these, written as an include list
     */
    public static ListForm tnds(Set<Property> properties, boolean values) {
        Objects.requireNonNull(properties, "properties");
        EnumSet<Property> set = EnumSet.noneOf(Property.class);
        set.addAll(properties);
        if (set.isEmpty() && !values) {
            throw new IllegalArgumentException("A TNDS form must include at least one property or the values");
        }
        if (set.equals(ALL) && values) {
            return TNDS_ALL;
        }
        StringBuilder sb = new StringBuilder("TNDS");
        for (Property p : set) {
            sb.append('+').append(p.token());
        }
        if (values) {
            sb.append('+').append(VALUE);
        }
        return new ListForm(Kind.TNDS, Collections.unmodifiableSet(set), values, sb.toString());
    }

    /**
     * Parses what follows {@code ?list=}.
     *
     * @param text e.g. {@code Struct}, {@code TNDS+ACL+Value}, {@code TNDS-Format}
     * @return the form
     * @throws DmException 406 (optional feature not supported) for any other form, an unknown name
     *     in a property list, a mix of {@code +} and {@code -}, or an empty entry
     */
    public static ListForm parse(String text) throws DmException {
        if (text == null) {
            throw unsupported("missing");
        }
        switch (text) {
            case "Struct":
                return STRUCT;
            case "StructData":
                return STRUCT_DATA;
            case "TNDS":
                return TNDS_ALL;
            default:
                break;
        }
        if (!text.startsWith("TNDS") || text.length() < 6) {
            throw unsupported(text);
        }
        char sign = text.charAt(4);
        if (sign != '+' && sign != '-') {
            throw unsupported(text);
        }
        String rest = text.substring(5);
        if (rest.indexOf(sign == '+' ? '-' : '+') >= 0) {
            throw new DmException(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED,
                    "A TNDS property list is either an include list (+) or an exclude list (-), not both");
        }
        EnumSet<Property> named = EnumSet.noneOf(Property.class);
        boolean value = false;
        for (String token : rest.split(sign == '+' ? "\\+" : "-", -1)) {
            if (token.equals(VALUE)) {
                value = true;
            } else {
                named.add(Property.fromToken(token).orElseThrow(() -> unsupported(text)));
            }
        }
        if (sign == '+') {
            return new ListForm(Kind.TNDS, Collections.unmodifiableSet(named), value, text);
        }
        EnumSet<Property> kept = EnumSet.complementOf(named);
        if (kept.isEmpty() && value) {
            throw new DmException(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, "The TNDS exclude list leaves nothing");
        }
        return new ListForm(Kind.TNDS, Collections.unmodifiableSet(kept), !value, text);
    }

    private static DmException unsupported(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return new DmException(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, "Unsupported ?list= form '" + shown
                + "' (supported: Struct, StructData, TNDS, TNDS+<names>, TNDS-<names>)");
    }

    /** @return the form */
    public Kind kind() {
        return kind;
    }

    /** @return the properties each serialised node carries (Format and Type for the Struct forms) */
    public Set<Property> properties() {
        return properties;
    }

    /**
     * @param property a property
     * @return true when serialised nodes carry it
     */
    public boolean includes(Property property) {
        return properties.contains(property);
    }

    /** @return true when leaf values are included ({@code StructData}, {@code TNDS} with Value) */
    public boolean values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ListForm)) {
            return false;
        }
        ListForm f = (ListForm) o;
        return kind == f.kind && values == f.values && properties.equals(f.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, properties, values);
    }

    /** @return the form as it was written (or would be written) after {@code ?list=} */
    @Override
    public String toString() {
        return text;
    }
}
