package org.cardinaldm.smartcard.sim.internal.card;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the card keeps across power cycles: ATR, protocol, number of logical channels, the file system
 * under the MF, PINs, keys, the persistent data of the card's applets (invisible to every file command), and a
 * change counter incremented by every committed modification. The {@link Uicc} persists it through
 * {@link CardImageCodec} after each modifying command, so applet data changes are as tear-safe as file writes.
 */
public final class CardImage {
    /** Transmission protocol the simulated card announces. */
    public enum Protocol {
        /** Character protocol: response data is fetched with GET RESPONSE. */
        T0("T=0"),
        /** Block protocol. */
        T1("T=1");

        private final String label;

        Protocol(String label) {
            this.label = label;
        }

        /** @return {@code "T=0"} or {@code "T=1"} */
        public String label() {
            return label;
        }

        /**
         * @param text {@code T=0}, {@code T0}, {@code T=1} or {@code T1} (case-insensitive)
         * @return the protocol
         */
        public static Protocol parse(String text) {
            switch (text.trim().toUpperCase(java.util.Locale.ROOT)) {
                case "T=0":
                case "T0":
                    return T0;
                case "T=1":
                case "T1":
                    return T1;
                default:
                    throw new IllegalArgumentException("Protocol must be T=0 or T=1: " + text);
            }
        }
    }

    private final byte[] atr;
    private final Protocol protocol;
    private final int channels;
    private final DedicatedFile mf;
    private final Map<Integer, Pin> pins = new TreeMap<>();
    private final Map<Integer, CardKey> keys = new TreeMap<>();
    private final Map<String, byte[]> appletData = new TreeMap<>();
    private long changeCounter;

    /**
     * @param atr the ATR (checked)
     * @param protocol the protocol
     * @param channels logical channels supported including the basic one, 1..20
     * @param mf the master file with its subtree
     */
    public CardImage(byte[] atr, Protocol protocol, int channels, DedicatedFile mf) {
        Atr.check(atr);
        if (channels < 1 || channels > 20) {
            throw new IllegalArgumentException("Logical channels must be 1..20: " + channels);
        }
        if (mf.fid() != CardFile.MF_FID || mf.parent() != null) {
            throw new IllegalArgumentException("The root must be the MF 3F00");
        }
        this.atr = atr.clone();
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.channels = channels;
        this.mf = mf;
    }

    /** @return a copy of the ATR */
    public byte[] atr() {
        return atr.clone();
    }

    /** @return the protocol */
    public Protocol protocol() {
        return protocol;
    }

    /** @return logical channels including the basic one */
    public int channels() {
        return channels;
    }

    /** @return the master file */
    public DedicatedFile mf() {
        return mf;
    }

    /** @param pin a PIN, its reference not yet used */
    public void addPin(Pin pin) {
        if (pins.putIfAbsent(pin.reference(), pin) != null) {
            throw new IllegalArgumentException(String.format("PIN %02X defined twice", pin.reference()));
        }
    }

    /** @param key a key, its reference not yet used */
    public void addKey(CardKey key) {
        if (keys.putIfAbsent(key.reference(), key) != null) {
            throw new IllegalArgumentException(String.format("Key %02X defined twice", key.reference()));
        }
    }

    /** @return the PINs by reference */
    public Map<Integer, Pin> pins() {
        return Collections.unmodifiableMap(pins);
    }

    /** @return the keys by reference */
    public Map<Integer, CardKey> keys() {
        return Collections.unmodifiableMap(keys);
    }

    /** Longest name of an applet data entry. */
    public static final int MAX_APPLET_NAME = 64;
    /** Largest applet data entry. */
    public static final int MAX_APPLET_DATA = 4096;

    /**
     * @param name the entry's name, e.g. {@code dm.challenge.03}
     * @return a copy of an applet's persistent data entry, if there is one
     */
    public Optional<byte[]> appletData(String name) {
        byte[] value = appletData.get(name);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    /** @return the applet data entries' names, sorted */
    public java.util.Set<String> appletDataNames() {
        return Collections.unmodifiableSet(appletData.keySet());
    }

    /**
     * Sets or removes an applet's persistent data entry; it is stored with the next commit.
     *
     * @param name the entry's name, 1..{@value #MAX_APPLET_NAME} characters
     * @param value the new value (copied), at most {@value #MAX_APPLET_DATA} bytes, or {@code null} to remove it
     */
    public void putAppletData(String name, byte[] value) {
        if (name.isEmpty() || name.length() > MAX_APPLET_NAME) {
            throw new IllegalArgumentException("Applet data name must have 1.." + MAX_APPLET_NAME + " characters");
        }
        if (value == null) {
            appletData.remove(name);
            return;
        }
        if (value.length > MAX_APPLET_DATA) {
            throw new IllegalArgumentException("Applet data entry longer than " + MAX_APPLET_DATA + " bytes");
        }
        appletData.put(name, value.clone());
    }

    /** @return how many modifications were committed since personalisation */
    public long changeCounter() {
        return changeCounter;
    }

    void setChangeCounter(long value) {
        changeCounter = value;
    }

    void incrementChangeCounter() {
        changeCounter++;
    }
}
