package org.cardinaldm.pkg.trust.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A package version: the text shown to people ({@code "1.4.2.202612071200"}) and its comparable form, a
 * sequence of non-negative integers compared element by element ({@code {1, 4, 2, 202612071200}}), both
 * signed in the manifest. Immutable.
 *
 * <p>{@link #compareTo} compares the comparable form only, a missing element counting as 0, so {@code 1.4}
 * and {@code 1.4.0} compare equal although they are not {@link #equals equal} (their text differs).
 */
public final class PackageVersion implements Comparable<PackageVersion> {
    /** Longest text. */
    public static final int MAX_TEXT = 64;
    /** Most elements of the comparable form. */
    public static final int MAX_ELEMENTS = 16;

    private final String text;
    private final List<Long> order;

    private PackageVersion(String text, List<Long> order) {
        this.text = text;
        this.order = order;
    }

    /**
     * A version with an explicit comparable form.
     *
     * @param text the text, 1 to {@value #MAX_TEXT} characters, no control characters
     * @param order the comparable form, 1 to {@value #MAX_ELEMENTS} non-negative numbers
     * @return the version
     * @throws IllegalArgumentException if a part is out of range
     */
    public static PackageVersion of(String text, List<Long> order) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(order, "order");
        if (text.isEmpty() || text.length() > MAX_TEXT || text.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("Version text must have 1.." + MAX_TEXT + " printable characters");
        }
        if (order.isEmpty() || order.size() > MAX_ELEMENTS) {
            throw new IllegalArgumentException("Version order must have 1.." + MAX_ELEMENTS + " elements");
        }
        List<Long> copy = new ArrayList<>(order.size());
        for (Long n : order) {
            if (n == null || n < 0) {
                throw new IllegalArgumentException("Version order elements must be non-negative");
            }
            copy.add(n);
        }
        return new PackageVersion(text, Collections.unmodifiableList(copy));
    }

    /**
     * A version whose comparable form is taken from the text: its leading dot-separated decimal elements
     * ({@code "2.1.0.beta"} → {@code {2, 1, 0}}, the OSGi qualifier is not compared).
     *
     * @param text the version text; must start with a decimal number
     * @return the version
     * @throws IllegalArgumentException if the text does not start with a number or is out of range
     */
    public static PackageVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        List<Long> order = new ArrayList<>();
        for (String part : text.split("\\.", -1)) {
            if (part.isEmpty() || part.length() > 18 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || order.size() == MAX_ELEMENTS) {
                break;
            }
            order.add(Long.parseLong(part));
        }
        if (order.isEmpty()) {
            throw new IllegalArgumentException("Version '" + text + "' does not start with a number;"
                    + " give its comparable form explicitly");
        }
        return of(text, order);
    }

    /** @return the text of the version */
    public String text() {
        return text;
    }

    /** @return the comparable form, unmodifiable */
    public List<Long> order() {
        return order;
    }

    @Override
    public int compareTo(PackageVersion other) {
        int n = Math.max(order.size(), other.order.size());
        for (int i = 0; i < n; i++) {
            long a = i < order.size() ? order.get(i) : 0L;
            long b = i < other.order.size() ? other.order.get(i) : 0L;
            int c = Long.compare(a, b);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackageVersion v && text.equals(v.text) && order.equals(v.order);
    }

    @Override
    public int hashCode() {
        return 31 * text.hashCode() + order.hashCode();
    }

    @Override
    public String toString() {
        return text + order;
    }
}
