package org.cardinaldm.smartcard.api;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable command APDU (ISO/IEC 7816-4:2013 clause 5.1): the header CLA INS P1 P2, the command data
 * (Nc bytes, carried in the Lc field) and the maximum number of response bytes expected (Ne, carried in the
 * Le field).
 *
 * <p>Short and extended length fields are both supported. {@link #bytes()} uses the short form while
 * Nc &le; 255 and Ne &le; 256, and the extended form otherwise; {@link #parse(byte[])} accepts the four cases
 * in both forms. Ne = 256 in the short form (and 65536 in the extended form) is encoded as {@code 00}
 * (respectively {@code 00 00}), meaning "as many as are available".
 *
 * <p>{@link #toString()} prints the header and the lengths but never the command data, because data may be a
 * PIN or key material.
 */
public final class CommandApdu {
    /** Largest Nc (command data length) of the extended form. */
    public static final int MAX_NC = 65535;
    /** Largest Ne (expected response length) of the extended form. */
    public static final int MAX_NE = 65536;
    /** Largest Nc of the short form. */
    public static final int MAX_SHORT_NC = 255;
    /** Largest Ne of the short form. */
    public static final int MAX_SHORT_NE = 256;

    private static final byte[] NO_DATA = new byte[0];
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final int cla;
    private final int ins;
    private final int p1;
    private final int p2;
    private final byte[] data;
    private final int ne;

    private CommandApdu(int cla, int ins, int p1, int p2, byte[] data, int ne) {
        this.cla = checkByte(cla, "CLA");
        this.ins = checkByte(ins, "INS");
        this.p1 = checkByte(p1, "P1");
        this.p2 = checkByte(p2, "P2");
        if (data.length > MAX_NC) {
            throw new IllegalArgumentException("Command data longer than " + MAX_NC + " bytes: " + data.length);
        }
        if (ne < 0 || ne > MAX_NE) {
            throw new IllegalArgumentException("Ne out of range 0.." + MAX_NE + ": " + ne);
        }
        this.data = data;
        this.ne = ne;
    }

    private static int checkByte(int value, String name) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(name + " must be 0x00..0xFF: " + value);
        }
        return value;
    }

    /**
     * A case 1 command: header only.
     *
     * @param cla class byte, 0..255
     * @param ins instruction byte
     * @param p1 parameter 1
     * @param p2 parameter 2
     * @return the command
     */
    public static CommandApdu of(int cla, int ins, int p1, int p2) {
        return new CommandApdu(cla, ins, p1, p2, NO_DATA, 0);
    }

    /**
     * A case 3 command: header and data, no response data expected.
     *
     * @param cla class byte
     * @param ins instruction byte
     * @param p1 parameter 1
     * @param p2 parameter 2
     * @param data the command data (copied), at most {@value #MAX_NC} bytes
     * @return the command
     */
    public static CommandApdu of(int cla, int ins, int p1, int p2, byte[] data) {
        return new CommandApdu(cla, ins, p1, p2, Objects.requireNonNull(data, "data").clone(), 0);
    }

    /**
     * A case 2 command: header and Ne.
     *
     * @param cla class byte
     * @param ins instruction byte
     * @param p1 parameter 1
     * @param p2 parameter 2
     * @param ne the maximum number of response data bytes, 0..{@value #MAX_NE} (0 = none expected)
     * @return the command
     */
    public static CommandApdu of(int cla, int ins, int p1, int p2, int ne) {
        return new CommandApdu(cla, ins, p1, p2, NO_DATA, ne);
    }

    /**
     * A case 4 command (or case 3 if {@code ne} is 0, case 2 if {@code data} is empty).
     *
     * @param cla class byte
     * @param ins instruction byte
     * @param p1 parameter 1
     * @param p2 parameter 2
     * @param data the command data (copied)
     * @param ne the maximum number of response data bytes, 0..{@value #MAX_NE}
     * @return the command
     */
    public static CommandApdu of(int cla, int ins, int p1, int p2, byte[] data, int ne) {
        return new CommandApdu(cla, ins, p1, p2, Objects.requireNonNull(data, "data").clone(), ne);
    }

    /**
     * Decodes a command APDU in any of the cases 1, 2S, 3S, 4S, 2E, 3E, 4E of ISO/IEC 7816-4 clause 5.1.
     *
     * @param apdu the encoded command
     * @return the command
     * @throws IllegalArgumentException if the bytes are not a well-formed command APDU
     */
    public static CommandApdu parse(byte[] apdu) {
        Objects.requireNonNull(apdu, "apdu");
        int n = apdu.length;
        if (n < 4) {
            throw new IllegalArgumentException("A command APDU has at least 4 bytes, got " + n);
        }
        int cla = apdu[0] & 0xFF;
        int ins = apdu[1] & 0xFF;
        int p1 = apdu[2] & 0xFF;
        int p2 = apdu[3] & 0xFF;
        if (n == 4) {
            return new CommandApdu(cla, ins, p1, p2, NO_DATA, 0);
        }
        int b4 = apdu[4] & 0xFF;
        if (n == 5) {
            return new CommandApdu(cla, ins, p1, p2, NO_DATA, b4 == 0 ? MAX_SHORT_NE : b4);
        }
        if (b4 != 0) {
            int lc = b4;
            if (n == 5 + lc) {
                return new CommandApdu(cla, ins, p1, p2, Arrays.copyOfRange(apdu, 5, 5 + lc), 0);
            }
            if (n == 6 + lc) {
                int le = apdu[n - 1] & 0xFF;
                return new CommandApdu(cla, ins, p1, p2, Arrays.copyOfRange(apdu, 5, 5 + lc),
                        le == 0 ? MAX_SHORT_NE : le);
            }
            throw new IllegalArgumentException("Lc=" + lc + " does not match the command length " + n);
        }
        // extended length: 00 followed by two bytes
        if (n < 7) {
            throw new IllegalArgumentException("Extended length needs 3 bytes after the header, got " + (n - 4));
        }
        if (n == 7) {
            int le = ((apdu[5] & 0xFF) << 8) | (apdu[6] & 0xFF);
            return new CommandApdu(cla, ins, p1, p2, NO_DATA, le == 0 ? MAX_NE : le);
        }
        int lc = ((apdu[5] & 0xFF) << 8) | (apdu[6] & 0xFF);
        if (lc == 0) {
            throw new IllegalArgumentException("Extended Lc of 0 in a command of length " + n);
        }
        if (n == 7 + lc) {
            return new CommandApdu(cla, ins, p1, p2, Arrays.copyOfRange(apdu, 7, 7 + lc), 0);
        }
        if (n == 9 + lc) {
            int le = ((apdu[n - 2] & 0xFF) << 8) | (apdu[n - 1] & 0xFF);
            return new CommandApdu(cla, ins, p1, p2, Arrays.copyOfRange(apdu, 7, 7 + lc), le == 0 ? MAX_NE : le);
        }
        throw new IllegalArgumentException("Extended Lc=" + lc + " does not match the command length " + n);
    }

    /** @return the class byte, 0..255 */
    public int cla() {
        return cla;
    }

    /** @return the instruction byte, 0..255 */
    public int ins() {
        return ins;
    }

    /** @return parameter 1, 0..255 */
    public int p1() {
        return p1;
    }

    /** @return parameter 2, 0..255 */
    public int p2() {
        return p2;
    }

    /** @return a copy of the command data (empty for cases 1 and 2) */
    public byte[] data() {
        return data.clone();
    }

    /** @return Nc, the number of command data bytes */
    public int nc() {
        return data.length;
    }

    /** @return Ne, the maximum number of response data bytes expected; 0 if none (cases 1 and 3) */
    public int ne() {
        return ne;
    }

    /** @return whether {@link #bytes()} uses the extended length form */
    public boolean isExtended() {
        return data.length > MAX_SHORT_NC || ne > MAX_SHORT_NE;
    }

    /**
     * @param newNe the new Ne, 0..{@value #MAX_NE}
     * @return this command with another expected response length
     */
    public CommandApdu withNe(int newNe) {
        return newNe == ne ? this : new CommandApdu(cla, ins, p1, p2, data, newNe);
    }

    /**
     * The logical channel this command addresses, read from CLA (ISO/IEC 7816-4 clause 5.4.1): channels 0..3
     * in the first inter-industry form ({@code 0x0X}, and the proprietary {@code 0x8X}/{@code 0x9X} classes
     * that reuse it), channels 4..19 in the further inter-industry form ({@code 0x4X..0x7X}, {@code 0xCX..0xFX}).
     *
     * @return the channel number, 0..19
     * @throws IllegalStateException for the invalid class byte {@code FF}
     */
    public int channel() {
        if (cla == 0xFF) {
            throw new IllegalStateException("CLA FF is invalid");
        }
        return (cla & 0x40) == 0 ? cla & 0x03 : (cla & 0x0F) + 4;
    }

    /**
     * This command addressed to another logical channel: the channel bits of CLA are replaced, switching
     * between the first and further inter-industry forms as needed, keeping the proprietary bit, the chaining
     * bit and the secure-messaging indication.
     *
     * @param channel the logical channel, 0..19
     * @return the command on that channel
     * @throws IllegalArgumentException if the channel is out of range, or the result would be CLA {@code FF}
     */
    public CommandApdu withChannel(int channel) {
        if (channel < 0 || channel > 19) {
            throw new IllegalArgumentException("Logical channel must be 0..19: " + channel);
        }
        if (cla == 0xFF) {
            throw new IllegalStateException("CLA FF is invalid");
        }
        if (channel() == channel) {
            return this;
        }
        boolean further = (cla & 0x40) != 0;
        int proprietary = cla & 0x80;
        int chaining = cla & 0x10;
        boolean secure = further ? (cla & 0x20) != 0 : (cla & 0x0C) != 0;
        int firstSm = further ? (secure ? 0x08 : 0) : cla & 0x0C;
        int newCla;
        if (channel < 4) {
            newCla = proprietary | chaining | firstSm | channel;
        } else {
            newCla = proprietary | 0x40 | (secure ? 0x20 : 0) | chaining | (channel - 4);
            if (newCla == 0xFF) {
                throw new IllegalArgumentException("Channel 19 with secure messaging and chaining in a proprietary"
                        + " class would give the invalid CLA FF");
            }
        }
        return new CommandApdu(newCla, ins, p1, p2, data, ne);
    }

    /** @return the encoded command, short form when possible (see the class description) */
    public byte[] bytes() {
        int nc = data.length;
        boolean extended = isExtended();
        int length = 4;
        if (nc > 0) {
            length += extended ? 3 + nc : 1 + nc;
        }
        if (ne > 0) {
            length += extended ? (nc > 0 ? 2 : 3) : 1;
        }
        byte[] out = new byte[length];
        out[0] = (byte) cla;
        out[1] = (byte) ins;
        out[2] = (byte) p1;
        out[3] = (byte) p2;
        int pos = 4;
        if (nc > 0) {
            if (extended) {
                out[pos++] = 0;
                out[pos++] = (byte) (nc >> 8);
                out[pos++] = (byte) nc;
            } else {
                out[pos++] = (byte) nc;
            }
            System.arraycopy(data, 0, out, pos, nc);
            pos += nc;
        }
        if (ne > 0) {
            if (extended) {
                if (nc == 0) {
                    out[pos++] = 0;
                }
                int le = ne == MAX_NE ? 0 : ne;
                out[pos++] = (byte) (le >> 8);
                out[pos] = (byte) le;
            } else {
                out[pos] = (byte) (ne == MAX_SHORT_NE ? 0 : ne);
            }
        }
        return out;
    }

    /**
     * The full encoding in hexadecimal, command data included. Only for trace output that the caller has
     * decided may show the data; {@link #toString()} is the safe form.
     *
     * @return the encoded command as upper-case hex without separators
     */
    public String toHexString() {
        return HEX.formatHex(bytes());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CommandApdu)) {
            return false;
        }
        CommandApdu other = (CommandApdu) o;
        return cla == other.cla && ins == other.ins && p1 == other.p1 && p2 == other.p2 && ne == other.ne
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        int result = Objects.hash(cla, ins, p1, p2, ne);
        return 31 * result + Arrays.hashCode(data);
    }

    /** @return e.g. {@code C-APDU 00 A4 04 00 Nc=12 Ne=256}; the data bytes are never printed */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("C-APDU ");
        sb.append(HEX.toHexDigits((byte) cla)).append(' ').append(HEX.toHexDigits((byte) ins)).append(' ')
                .append(HEX.toHexDigits((byte) p1)).append(' ').append(HEX.toHexDigits((byte) p2));
        if (data.length > 0) {
            sb.append(" Nc=").append(data.length);
        }
        if (ne > 0) {
            sb.append(" Ne=").append(ne);
        }
        return sb.toString();
    }
}
