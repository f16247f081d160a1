package org.cardinaldm.smartcard.dm.internal.pkcs15;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A PKCS#15 {@code Path}: file identifiers (absolute from the MF when it starts with {@code 3F00}, otherwise
 * relative to the PKCS#15 application), and optionally the part of the file meant (index and length).
 * Immutable.
 */
public final class Pkcs15Path {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private final byte[] path;
    private final int index;
    private final int length;

    private Pkcs15Path(byte[] path, int index, int length) {
        this.path = path;
        this.index = index;
        this.length = length;
    }

    /**
     * @param path the file identifiers, an even number of bytes, at least two
     * @param index the offset meant, or -1
     * @param length the number of bytes meant, or -1
     * @return the path
     * @throws Pkcs15Exception if the path is empty or odd
     */
    public static Pkcs15Path of(byte[] path, int index, int length) throws Pkcs15Exception {
        if (path.length < 2 || path.length % 2 != 0 || path.length > 16) {
            throw new Pkcs15Exception("A path must be 2..16 bytes of file identifiers, not " + path.length);
        }
        if ((index < 0) != (length < 0)) {
            throw new Pkcs15Exception("A path has both index and length or neither");
        }
        return new Pkcs15Path(path.clone(), index, length);
    }

    /**
     * @param fid one file identifier relative to the application
     * @return the path
     */
    public static Pkcs15Path ofFid(int fid) {
        return new Pkcs15Path(new byte[] {(byte) (fid >> 8), (byte) fid}, -1, -1);
    }

    /** @return a copy of the identifiers */
    public byte[] bytes() {
        return path.clone();
    }

    /** @return whether the path starts at the MF ({@code 3F00}) */
    public boolean isAbsolute() {
        return path[0] == 0x3F && path[1] == 0x00;
    }

    /** @return the last file identifier */
    public int fid() {
        return (path[path.length - 2] & 0xFF) << 8 | (path[path.length - 1] & 0xFF);
    }

    /** @return the number of file identifiers */
    public int depth() {
        return path.length / 2;
    }

    /** @return the offset meant, or -1 */
    public int index() {
        return index;
    }

    /** @return the length meant, or -1 */
    public int length() {
        return length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pkcs15Path && Arrays.equals(path, ((Pkcs15Path) o).path) && index == ((Pkcs15Path) o).index
                && length == ((Pkcs15Path) o).length;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(path) * 31 + index * 7 + length;
    }

    @Override
    public String toString() {
        return HEX.formatHex(path) + (index < 0 ? "" : "[" + index + "+" + length + "]");
    }
}
