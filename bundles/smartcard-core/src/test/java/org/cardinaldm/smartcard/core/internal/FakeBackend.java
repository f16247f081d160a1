package org.cardinaldm.smartcard.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.spi.BackendObserver;
import org.cardinaldm.smartcard.api.spi.CardBackend;
import org.cardinaldm.smartcard.api.spi.CardConnection;

/** A scripted backend: state set by the test, responses computed by a function. */
final class FakeBackend implements CardBackend {
    final List<BackendObserver> observers = new CopyOnWriteArrayList<>();
    final List<CommandApdu> sent = new CopyOnWriteArrayList<>();
    volatile ReaderStatus status;
    volatile Function<CommandApdu, ResponseApdu> card = c -> ResponseApdu.of(0x9000);
    volatile RuntimeException connectFailure;
    int connections;
    int closed;

    FakeBackend(String reader, CardState state) {
        status = state == CardState.PRESENT ? ReaderStatus.of(reader, "fake", state, new byte[] {0x3B, 0x00})
                : ReaderStatus.of(reader, "fake", state);
    }

    void set(CardState state, int... atr) {
        byte[] b = new byte[atr.length];
        for (int i = 0; i < atr.length; i++) {
            b[i] = (byte) atr[i];
        }
        status = ReaderStatus.of(status.reader(), "fake", state, b);
        for (BackendObserver o : observers) {
            o.stateChanged(this, status);
        }
    }

    @Override
    public ReaderStatus status() {
        return status;
    }

    @Override
    public void addObserver(BackendObserver observer) {
        observers.add(observer);
    }

    @Override
    public void removeObserver(BackendObserver observer) {
        observers.remove(observer);
    }

    @Override
    public synchronized CardConnection connect() throws SmartCardException {
        if (connectFailure != null) {
            throw connectFailure;
        }
        connections++;
        return new CardConnection() {
            @Override
            public byte[] atr() {
                return status.atr();
            }

            @Override
            public String protocol() {
                return "T=1";
            }

            @Override
            public ResponseApdu transmit(CommandApdu command) throws SmartCardException {
                sent.add(command);
                if (!status.isCardPresent()) {
                    throw new SmartCardException(SmartCardException.Code.CARD_REMOVED, "gone");
                }
                return card.apply(command);
            }

            @Override
            public void reset() {
            }

            @Override
            public void close() {
                synchronized (FakeBackend.this) {
                    closed++;
                }
            }
        };
    }
}
