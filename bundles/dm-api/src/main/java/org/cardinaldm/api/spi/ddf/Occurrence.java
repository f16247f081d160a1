package org.cardinaldm.api.spi.ddf;

/** How many instances of a described node may exist below one parent (the DDF {@code Occurrence}). */
public enum Occurrence {
    /** Exactly one. */
    ONE(1, 1),
    /** At most one. */
    ZERO_OR_ONE(0, 1),
    /** Any number. */
    ZERO_OR_MORE(0, Integer.MAX_VALUE),
    /** At least one. */
    ONE_OR_MORE(1, Integer.MAX_VALUE);

    private final int min;
    private final int max;

    Occurrence(int min, int max) {
        this.min = min;
        this.max = max;
    }

    /** @return the least number of instances the MO requires */
    public int min() {
        return min;
    }

    /** @return the largest number of instances allowed, {@link Integer#MAX_VALUE} for unbounded */
    public int max() {
        return max;
    }
}
