package org.cardinaldm.fumo.server.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The size of one wave: a number of devices or a percentage of the campaign's devices. The waves of a campaign
 * are taken in order from its devices; devices left over after the last wave form one more wave.
 *
 * @param value the number of devices (1 or more) or the percentage (1 to 100)
 * @param percent whether {@code value} is a percentage
 */
public record WaveSize(int value, boolean percent) {
    /** The most waves a campaign has. */
    public static final int MAX_WAVES = 100;

    /** Checks the range. */
    public WaveSize {
        if (value < 1 || percent && value > 100 || value > 10_000_000) {
            throw new IllegalArgumentException("a wave is 1 to 100 % or 1 to 10000000 devices, not " + value
                    + (percent ? " %" : ""));
        }
    }

    /**
     * @param text e.g. {@code 10} or {@code 25%}
     * @return the size
     * @throws IllegalArgumentException when it is neither
     */
    public static WaveSize parse(String text) {
        String t = text == null ? "" : text.strip();
        boolean pct = t.endsWith("%");
        String digits = pct ? t.substring(0, t.length() - 1).strip() : t;
        if (digits.isEmpty() || digits.length() > 8 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("a wave size is a number of devices or a percentage (10, 25%), not '"
                    + (t.length() > 20 ? t.substring(0, 20) + "..." : t) + "'");
        }
        return new WaveSize(Integer.parseInt(digits), pct);
    }

    /**
     * @param text comma-separated sizes, e.g. {@code 1,10%,50%}; blank for one wave of every device
     * @return the sizes
     * @throws IllegalArgumentException when a size is wrong or there are more than {@link #MAX_WAVES}
     */
    public static List<WaveSize> parseList(String text) {
        List<WaveSize> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        String[] parts = text.split(",", MAX_WAVES + 2);
        if (parts.length > MAX_WAVES) {
            throw new IllegalArgumentException("at most " + MAX_WAVES + " waves");
        }
        for (String p : parts) {
            out.add(parse(p));
        }
        return out;
    }

    /**
     * @param sizes the waves
     * @param devices the campaign's devices
     * @return how many devices each wave takes, the remainder as a last wave; no empty wave
     */
    public static List<Integer> split(List<WaveSize> sizes, int devices) {
        List<Integer> out = new ArrayList<>();
        int left = devices;
        for (WaveSize s : sizes) {
            if (left <= 0) {
                break;
            }
            long n = s.percent ? Math.max(1, (long) Math.ceil(devices * (s.value / 100.0))) : s.value;
            int take = (int) Math.min(left, n);
            out.add(take);
            left -= take;
        }
        if (left > 0) {
            out.add(left);
        }
        return out;
    }

    @Override
    public String toString() {
        return value + (percent ? "%" : "");
    }
}
