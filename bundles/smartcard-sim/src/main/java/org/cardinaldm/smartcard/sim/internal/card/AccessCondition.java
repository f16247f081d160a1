package org.cardinaldm.smartcard.sim.internal.card;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An access condition of a file operation: a set of alternatives, any one of which grants access. The
 * alternatives are {@code always}, a verified PIN ({@code pinXX}, XX its reference in hex), the issuer's
 * administrative key ({@code adm}, EXTERNAL AUTHENTICATE with a key of usage {@code adm}) and an
 * authenticated DM server ({@code dm}, a card security state opened by Cardinal's DM profile commands). No
 * alternative at all means {@code never}. Immutable.
 *
 * <p>Text form, as in the personalisation profile: alternatives joined by {@code |}, e.g. {@code adm|dm},
 * {@code pin01}, {@code always}, {@code never}.
 *
 * <p>One-byte form, as in the proprietary security attribute (FCP tag {@code 86}) and the card image:
 * {@code 00} always, {@code FF} never; otherwise bit 8 ADM, bit 7 DM, bit 6 the PIN is local (reference
 * {@code 8X}), bits 5-1 the PIN number (0 = no PIN). The byte form holds at most one PIN.
 */
public final class AccessCondition {
    /** Access always granted. */
    public static final AccessCondition ALWAYS = new AccessCondition(true, false, false, new int[0]);
    /** Access never granted. */
    public static final AccessCondition NEVER = new AccessCondition(false, false, false, new int[0]);
    /** Granted after ADM authentication. */
    public static final AccessCondition ADM = new AccessCondition(false, true, false, new int[0]);

    private final boolean always;
    private final boolean adm;
    private final boolean dm;
    private final int[] pins;

    private AccessCondition(boolean always, boolean adm, boolean dm, int[] pins) {
        this.always = always;
        this.adm = adm;
        this.dm = dm;
        this.pins = pins;
    }

    /**
     * @param adm ADM key grants access
     * @param dm an authenticated DM server grants access
     * @param pins PIN references any of which grants access
     * @return the condition
     */
    public static AccessCondition of(boolean adm, boolean dm, int... pins) {
        for (int pin : pins) {
            checkPinReference(pin);
        }
        return new AccessCondition(false, adm, dm, pins.clone());
    }

    /**
     * @param pin a PIN reference
     * @return the condition "that PIN verified"
     */
    public static AccessCondition pin(int pin) {
        return of(false, false, pin);
    }

    static void checkPinReference(int pin) {
        int number = pin & 0x7F;
        if (pin < 0 || pin > 0xFF || number < 1 || number > 0x1F) {
            throw new IllegalArgumentException("PIN reference must be 01..1F or 81..9F: " + pin);
        }
    }

    /**
     * @param text e.g. {@code adm|dm}, {@code pin01}, {@code always}, {@code never}
     * @return the condition
     * @throws IllegalArgumentException for unknown alternatives
     */
    public static AccessCondition parse(String text) {
        boolean adm = false;
        boolean dm = false;
        List<Integer> pins = new ArrayList<>();
        for (String part : text.trim().toLowerCase(Locale.ROOT).split("\\|")) {
            String p = part.trim();
            switch (p) {
                case "always":
                    return ALWAYS;
                case "never":
                    continue;
                case "adm":
                    adm = true;
                    continue;
                case "dm":
                    dm = true;
                    continue;
                default:
                    if (p.matches("pin[0-9a-f]{2}")) {
                        int ref = Integer.parseInt(p.substring(3), 16);
                        checkPinReference(ref);
                        pins.add(ref);
                        continue;
                    }
                    throw new IllegalArgumentException("Unknown access condition '" + p
                            + "' (use always, never, adm, dm, pinXX, joined by |)");
            }
        }
        return new AccessCondition(false, adm, dm, pins.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * @param b the one-byte form
     * @return the condition
     */
    public static AccessCondition fromByte(int b) {
        if (b == 0x00) {
            return ALWAYS;
        }
        if (b == 0xFF) {
            return NEVER;
        }
        int number = b & 0x1F;
        int[] pins = number == 0 ? new int[0] : new int[] {((b & 0x20) != 0 ? 0x80 : 0) | number};
        return new AccessCondition(false, (b & 0x80) != 0, (b & 0x40) != 0, pins);
    }

    /** @return the one-byte form; with several PINs only the first is kept */
    public int toByte() {
        if (always) {
            return 0x00;
        }
        if (!adm && !dm && pins.length == 0) {
            return 0xFF;
        }
        int b = (adm ? 0x80 : 0) | (dm ? 0x40 : 0);
        if (pins.length > 0) {
            b |= ((pins[0] & 0x80) != 0 ? 0x20 : 0) | (pins[0] & 0x1F);
        }
        return b;
    }

    /**
     * @param state the card's security state on the channel
     * @return whether any alternative is satisfied
     */
    public boolean isSatisfiedBy(SecurityState state) {
        if (always || (adm && state.isAdmAuthenticated()) || (dm && state.isDmServerAuthenticated())) {
            return true;
        }
        for (int pin : pins) {
            if (state.isPinVerified(pin)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether this is {@code always} */
    public boolean isAlways() {
        return always;
    }

    /** @return whether ADM grants access */
    public boolean allowsAdm() {
        return adm;
    }

    /** @return whether an authenticated DM server grants access */
    public boolean allowsDm() {
        return dm;
    }

    /** @return the PIN references that grant access */
    public int[] pins() {
        return pins.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AccessCondition)) {
            return false;
        }
        AccessCondition other = (AccessCondition) o;
        return always == other.always && adm == other.adm && dm == other.dm && Arrays.equals(pins, other.pins);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pins) * 31 + (always ? 1 : 0) + (adm ? 2 : 0) + (dm ? 4 : 0);
    }

    /** @return the text form, e.g. {@code adm|dm} */
    @Override
    public String toString() {
        if (always) {
            return "always";
        }
        List<String> parts = new ArrayList<>();
        for (int pin : pins) {
            parts.add(String.format("pin%02x", pin));
        }
        if (adm) {
            parts.add("adm");
        }
        if (dm) {
            parts.add("dm");
        }
        return parts.isEmpty() ? "never" : String.join("|", parts);
    }
}
