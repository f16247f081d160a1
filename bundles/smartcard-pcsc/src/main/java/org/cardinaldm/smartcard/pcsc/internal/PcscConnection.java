package org.cardinaldm.smartcard.pcsc.internal;

import java.util.HashMap;
import java.util.Map;

import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CommandAPDU;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.SmartCardException.Code;
import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.api.spi.CardConnection;

/**
 * A connection to a PC/SC card. javax.smartcardio forces the channel bits of inter-industry commands to the
 * channel object used, and refuses MANAGE CHANNEL on a channel object; so MANAGE CHANNEL open and close are
 * mapped to {@link Card#openLogicalChannel()} and {@link CardChannel#close()}, and each command goes to the
 * channel object its CLA names. Proprietary-class commands pass through the basic channel untouched.
 */
final class PcscConnection implements CardConnection {
    private final PcscCardBackend backend;
    private final Map<Integer, CardChannel> channels = new HashMap<>();
    private Card card;
    private boolean closed;

    PcscConnection(PcscCardBackend backend, Card card) {
        this.backend = backend;
        this.card = card;
    }

    @Override
    public synchronized byte[] atr() {
        return card.getATR().getBytes();
    }

    @Override
    public synchronized String protocol() {
        return card.getProtocol();
    }

    @Override
    public synchronized ResponseApdu transmit(CommandApdu command) throws SmartCardException {
        if (closed) {
            throw new SmartCardException(Code.SESSION_CLOSED, "The connection to " + backend + " is closed");
        }
        if (command.isExtended() && "T=0".equals(card.getProtocol())) {
            throw new SmartCardException(Code.NOT_SUPPORTED, "Extended length APDUs cannot be sent with T=0");
        }
        boolean interIndustry = (command.cla() & 0x80) == 0;
        if (interIndustry && command.ins() == 0x70) {
            return manageChannel(command);
        }
        int number = interIndustry ? command.channel() : 0;
        CardChannel channel = number == 0 ? null : channels.get(number);
        if (number != 0 && channel == null) {
            return ResponseApdu.of(StatusWord.LOGICAL_CHANNEL_NOT_SUPPORTED);
        }
        Card c = card;
        byte[] response = io(() -> (channel == null ? c.getBasicChannel() : channel)
                .transmit(new CommandAPDU(command.bytes())).getBytes(), "transmit");
        return ResponseApdu.parse(response);
    }

    private ResponseApdu manageChannel(CommandApdu command) throws SmartCardException {
        Card c = card;
        if (command.p1() == 0x00) {
            if (command.p2() != 0x00) {
                return ResponseApdu.of(StatusWord.FUNCTION_NOT_SUPPORTED); // javax.smartcardio lets the card choose
            }
            CardChannel opened;
            try {
                opened = backend.onIoThread(c::openLogicalChannel);
            } catch (SmartCardException e) {
                if (e.code() == Code.IO_ERROR) {
                    return ResponseApdu.of(StatusWord.FUNCTION_NOT_SUPPORTED); // the card refused
                }
                throw failed(e);
            }
            channels.put(opened.getChannelNumber(), opened);
            return ResponseApdu.of(new byte[] {(byte) opened.getChannelNumber()}, StatusWord.NO_ERROR);
        }
        if (command.p1() == 0x80) {
            int number = command.p2() == 0 ? command.channel() : command.p2();
            CardChannel channel = channels.remove(number);
            if (channel == null) {
                return ResponseApdu.of(number == 0 ? StatusWord.INCORRECT_P1_P2 : StatusWord.LOGICAL_CHANNEL_NOT_SUPPORTED);
            }
            io(() -> {
                channel.close();
                return null;
            }, "MANAGE CHANNEL close");
            return ResponseApdu.of(StatusWord.NO_ERROR);
        }
        return ResponseApdu.of(StatusWord.INCORRECT_P1_P2);
    }

    /** A javax.smartcardio call that may fail. */
    @FunctionalInterface
    private interface IoCall<T> {
        T call() throws CardException;
    }

    private <T> T io(IoCall<T> call, String what) throws SmartCardException {
        try {
            return backend.onIoThread(() -> {
                try {
                    return call.call();
                } catch (CardException | IllegalStateException e) {
                    throw PcscErrors.map(e, what + " on " + backend, false);
                } catch (IllegalArgumentException e) {
                    throw new SmartCardException(Code.NOT_SUPPORTED, what + " refused by javax.smartcardio: "
                            + e.getMessage());
                }
            });
        } catch (SmartCardException e) {
            throw failed(e);
        }
    }

    private SmartCardException failed(SmartCardException e) {
        if (e.code() == Code.CARD_REMOVED) {
            backend.cardGone();
        }
        PcscContext ctx = backend.context();
        try {
            ctx.checkContext(ctx.terminals(), e);
        } catch (SmartCardException ignored) {
            // unavailable already
        }
        return e;
    }

    @Override
    public synchronized void reset() throws SmartCardException {
        if (closed) {
            throw new SmartCardException(Code.SESSION_CLOSED, "The connection to " + backend + " is closed");
        }
        Card old = card;
        channels.clear();
        card = backend.onIoThread(() -> {
            if (backend.exclusive()) {
                try {
                    old.endExclusive();
                } catch (CardException | RuntimeException e) {
                    // reset anyway
                }
            }
            PcscCardBackend.quietDisconnect(old, true); // a held connection is the same handle: the hold adopts the new one
            Card fresh = backend.connectCard(backend.context().terminal(backend.readerName()));
            backend.sessionReconnected(old, fresh);
            return fresh;
        });
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Card c = card;
        channels.clear();
        try {
            backend.onIoThread(() -> {
                if (backend.exclusive()) {
                    try {
                        c.endExclusive();
                    } catch (CardException | RuntimeException e) {
                        // the card may be gone
                    }
                }
                backend.sessionEnded(c);
                return null;
            });
        } catch (SmartCardException e) {
            // shutting down or interrupted: nothing more to do
        } finally {
            backend.connectionEnded();
        }
    }
}
