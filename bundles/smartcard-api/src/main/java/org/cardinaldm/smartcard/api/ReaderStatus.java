package org.cardinaldm.smartcard.api;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable snapshot of one reader: its name, the backend that serves it ({@code card.backend}, e.g.
 * {@code pcsc} or {@code sim}), the {@link CardState} and, when a card is present, its Answer To Reset.
 */
public final class ReaderStatus {
    private static final byte[] NO_ATR = new byte[0];

    private final String reader;
    private final String backend;
    private final CardState state;
    private final byte[] atr;

    private ReaderStatus(String reader, String backend, CardState state, byte[] atr) {
        this.reader = reader;
        this.backend = backend;
        this.state = state;
        this.atr = atr;
    }

    /**
     * @param reader the reader name, not empty
     * @param backend the backend kind, e.g. {@code pcsc}
     * @param state what the reader holds
     * @param atr the card's ATR (copied); must be empty unless {@code state} is {@link CardState#PRESENT}
     * @return the snapshot
     */
    public static ReaderStatus of(String reader, String backend, CardState state, byte[] atr) {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(atr, "atr");
        if (reader.isEmpty()) {
            throw new IllegalArgumentException("Reader name must not be empty");
        }
        if (state != CardState.PRESENT && atr.length > 0) {
            throw new IllegalArgumentException("Only a present card has an ATR (state " + state + ")");
        }
        return new ReaderStatus(reader, backend, state, atr.length == 0 ? NO_ATR : atr.clone());
    }

    /**
     * @param reader the reader name
     * @param backend the backend kind
     * @param state {@link CardState#ABSENT} or {@link CardState#NO_READER}
     * @return a snapshot without ATR
     */
    public static ReaderStatus of(String reader, String backend, CardState state) {
        return of(reader, backend, state, NO_ATR);
    }

    /** @return the reader name */
    public String reader() {
        return reader;
    }

    /** @return the backend kind ({@code card.backend}) */
    public String backend() {
        return backend;
    }

    /** @return what the reader holds */
    public CardState state() {
        return state;
    }

    /** @return whether a card is present */
    public boolean isCardPresent() {
        return state == CardState.PRESENT;
    }

    /** @return a copy of the ATR; empty when no card is present */
    public byte[] atr() {
        return atr.clone();
    }

    /** @return the ATR in upper-case hex, empty when no card is present */
    public String atrHex() {
        return HexFormat.of().withUpperCase().formatHex(atr);
    }

    /**
     * @param newState another state
     * @param newAtr the ATR for it (copied)
     * @return a snapshot of the same reader and backend in that state
     */
    public ReaderStatus with(CardState newState, byte[] newAtr) {
        return of(reader, backend, newState, newAtr);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ReaderStatus)) {
            return false;
        }
        ReaderStatus other = (ReaderStatus) o;
        return reader.equals(other.reader) && backend.equals(other.backend) && state == other.state
                && Arrays.equals(atr, other.atr);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(reader, backend, state) + Arrays.hashCode(atr);
    }

    @Override
    public String toString() {
        return "Reader[" + reader + ", " + backend + ", " + state + (atr.length > 0 ? ", ATR " + atrHex() : "") + "]";
    }
}
