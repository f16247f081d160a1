package org.cardinaldm.smartcard.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An immutable response APDU (ISO/IEC 7816-4:2013 clause 5.1): response data followed by the status word
 * SW1-SW2.
 *
 * <p>{@link #toString()} prints the length of the data and the status word, never the data.
 */
public final class ResponseApdu {
    private static final byte[] NO_DATA = new byte[0];

    private final byte[] data;
    private final int sw;

    private ResponseApdu(byte[] data, int sw) {
        if (sw < 0 || sw > 0xFFFF) {
            throw new IllegalArgumentException("Status word must be 0x0000..0xFFFF: " + sw);
        }
        this.data = data;
        this.sw = sw;
    }

    /**
     * @param sw the status word
     * @return a response without data
     */
    public static ResponseApdu of(int sw) {
        return new ResponseApdu(NO_DATA, sw);
    }

    /**
     * @param data the response data (copied)
     * @param sw the status word
     * @return the response
     */
    public static ResponseApdu of(byte[] data, int sw) {
        return new ResponseApdu(Objects.requireNonNull(data, "data").clone(), sw);
    }

    /**
     * @param response the encoded response: data then SW1 SW2
     * @return the response
     * @throws IllegalArgumentException if it has fewer than two bytes
     */
    public static ResponseApdu parse(byte[] response) {
        Objects.requireNonNull(response, "response");
        int n = response.length;
        if (n < 2) {
            throw new IllegalArgumentException("A response APDU has at least 2 bytes, got " + n);
        }
        return new ResponseApdu(Arrays.copyOf(response, n - 2),
                ((response[n - 2] & 0xFF) << 8) | (response[n - 1] & 0xFF));
    }

    /** @return a copy of the response data */
    public byte[] data() {
        return data.clone();
    }

    /** @return the number of response data bytes */
    public int length() {
        return data.length;
    }

    /** @return the status word SW1-SW2 */
    public int sw() {
        return sw;
    }

    /** @return SW1 */
    public int sw1() {
        return sw >> 8;
    }

    /** @return SW2 */
    public int sw2() {
        return sw & 0xFF;
    }

    /** @return whether the status word is {@code 9000} */
    public boolean isSuccess() {
        return sw == StatusWord.NO_ERROR;
    }

    /** @return whether the status word is a warning ({@code 62XX} or {@code 63XX}): processing completed */
    public boolean isWarning() {
        int sw1 = sw1();
        return sw1 == 0x62 || sw1 == 0x63;
    }

    /** @return whether the status word is {@code 61XX}: more response bytes wait for GET RESPONSE */
    public boolean hasMoreData() {
        return sw1() == 0x61;
    }

    /**
     * @return for {@code 63CX}, the X further attempts a failed verification leaves; for {@code 6983}
     *         (blocked), 0; otherwise empty
     */
    public OptionalInt retriesLeft() {
        if ((sw & 0xFFF0) == StatusWord.VERIFY_FAILED) {
            return OptionalInt.of(sw & 0x0F);
        }
        if (sw == StatusWord.AUTHENTICATION_BLOCKED) {
            return OptionalInt.of(0);
        }
        return OptionalInt.empty();
    }

    /**
     * @param context what was attempted, for the exception message, e.g. {@code "READ BINARY 5031"}
     * @return this response if its status word is {@code 9000}
     * @throws SmartCardException with the code that fits the status word otherwise
     *         ({@link SmartCardException#forStatus(int, String)})
     */
    public ResponseApdu requireSuccess(String context) throws SmartCardException {
        if (!isSuccess()) {
            throw SmartCardException.forStatus(sw, context);
        }
        return this;
    }

    /** @return the encoded response: data then SW1 SW2 */
    public byte[] bytes() {
        byte[] out = Arrays.copyOf(data, data.length + 2);
        out[data.length] = (byte) (sw >> 8);
        out[data.length + 1] = (byte) sw;
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ResponseApdu)) {
            return false;
        }
        ResponseApdu other = (ResponseApdu) o;
        return sw == other.sw && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * sw + Arrays.hashCode(data);
    }

    /** @return e.g. {@code R-APDU 12 bytes SW=9000 (success)}; the data bytes are never printed */
    @Override
    public String toString() {
        return "R-APDU " + data.length + " bytes SW=" + StatusWord.toHex(sw) + " (" + StatusWord.describe(sw) + ")";
    }
}
