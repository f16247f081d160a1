package org.cardinaldm.smartcard.api;

import java.util.Objects;

/**
 * A smart-card operation failed; {@link #code()} says why. When the failure is a status word returned by
 * the card, {@link #statusWord()} carries it.
 *
 * <p>The message is for logs and operators. It never contains a PIN, a key, a nonce or APDU data.
 */
public final class SmartCardException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a smart-card operation failed. */
    public enum Code {
        /** No reader of that name is known, or the reader was unplugged. */
        READER_ABSENT,
        /** The reader has no card. */
        CARD_ABSENT,
        /** The card was removed during the session; the session is unusable. */
        CARD_REMOVED,
        /** The card was reset (by another application or a power cycle); its security state is lost. */
        CARD_RESET,
        /** Exclusive access to the reader was not obtained in time (another session holds it). */
        READER_BUSY,
        /** The thread was interrupted while waiting for the card. */
        INTERRUPTED,
        /** Communication with the reader, the daemon or the card failed. */
        IO_ERROR,
        /** The card answered something that is not a valid response (e.g. fewer than two bytes). */
        PROTOCOL_ERROR,
        /** The session or channel was already closed. */
        SESSION_CLOSED,
        /** The card has no free logical channel, or does not support logical channels. */
        NO_CHANNEL_AVAILABLE,
        /** The card refused the command: security status not satisfied ({@code 6982}). */
        SECURITY_STATUS_NOT_SATISFIED,
        /** A PIN or key verification failed ({@code 63CX}, {@code 6300}). */
        AUTHENTICATION_FAILED,
        /** The PIN or key is blocked ({@code 6983}). */
        AUTHENTICATION_BLOCKED,
        /** The file or application was not found ({@code 6A82}). */
        FILE_NOT_FOUND,
        /** The card returned another error status word; see {@link SmartCardException#statusWord()}. */
        CARD_ERROR,
        /** The backend does not support the operation. */
        NOT_SUPPORTED
    }

    private final Code code;
    private final int statusWord;

    /**
     * @param code why it failed
     * @param message what failed, for logs; no secrets
     */
    public SmartCardException(Code code, String message) {
        this(code, message, null);
    }

    /**
     * @param code why it failed
     * @param message what failed, for logs; no secrets
     * @param cause the underlying failure, or {@code null}
     */
    public SmartCardException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.statusWord = 0;
    }

    private SmartCardException(Code code, int statusWord, String message) {
        super(message);
        this.code = code;
        this.statusWord = statusWord;
    }

    /**
     * The exception for a status word that is not success, with the code that fits it: 6982 gives
     * {@link Code#SECURITY_STATUS_NOT_SATISFIED}, 63CX and 6300 {@link Code#AUTHENTICATION_FAILED}, 6983
     * {@link Code#AUTHENTICATION_BLOCKED}, 6A82 {@link Code#FILE_NOT_FOUND}, 6881 {@link Code#NO_CHANNEL_AVAILABLE},
     * anything else {@link Code#CARD_ERROR}.
     *
     * @param sw the status word
     * @param context what was attempted, e.g. {@code "SELECT 5031"}; no secrets
     * @return the exception, carrying {@code sw}
     */
    public static SmartCardException forStatus(int sw, String context) {
        Code code;
        if (sw == StatusWord.SECURITY_STATUS_NOT_SATISFIED) {
            code = Code.SECURITY_STATUS_NOT_SATISFIED;
        } else if ((sw & 0xFFF0) == StatusWord.VERIFY_FAILED || sw == StatusWord.AUTHENTICATION_FAILED) {
            code = Code.AUTHENTICATION_FAILED;
        } else if (sw == StatusWord.AUTHENTICATION_BLOCKED) {
            code = Code.AUTHENTICATION_BLOCKED;
        } else if (sw == StatusWord.FILE_NOT_FOUND) {
            code = Code.FILE_NOT_FOUND;
        } else if (sw == StatusWord.LOGICAL_CHANNEL_NOT_SUPPORTED) {
            code = Code.NO_CHANNEL_AVAILABLE;
        } else {
            code = Code.CARD_ERROR;
        }
        return new SmartCardException(code, sw & 0xFFFF,
                context + ": " + StatusWord.toHex(sw) + " (" + StatusWord.describe(sw) + ")");
    }

    /** @return why it failed */
    public Code code() {
        return code;
    }

    /** @return the card's status word when the card refused a command, otherwise 0 */
    public int statusWord() {
        return statusWord;
    }
}
