package org.cardinaldm.smartcard.core.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.smartcard.api.CardChannel;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.SmartCardException.Code;
import org.cardinaldm.smartcard.api.StatusWord;
import org.cardinaldm.smartcard.api.spi.CardConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive session: owns the reader's permit until closed. Every exchange goes through
 * {@link #exchange(CommandApdu, int)}, which sets the channel, repeats a {@code 6CXX} command with the right Le
 * and collects {@code 61XX} data with GET RESPONSE.
 */
final class Session implements CardSession {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /** Upper bound of GET RESPONSE rounds: a card that keeps answering 61XX cannot hold the session forever. */
    private static final int MAX_GET_RESPONSE = 300;
    private static final int MAX_RESPONSE = 65536 + 256;

    private final CardServiceImpl.ReaderEntry entry;
    private final CardConnection connection;
    private final long insertion;
    private final BasicChannel basic = new BasicChannel();
    private final List<LogicalChannel> logical = new ArrayList<>();
    private byte[] atr;
    private boolean closed;

    Session(CardServiceImpl.ReaderEntry entry, CardConnection connection, long insertion) {
        this.entry = entry;
        this.connection = connection;
        this.insertion = insertion;
        this.atr = connection.atr();
    }

    @Override
    public String reader() {
        return entry.name;
    }

    @Override
    public synchronized byte[] atr() {
        return atr.clone();
    }

    @Override
    public String protocol() {
        return connection.protocol();
    }

    @Override
    public CardChannel basicChannel() {
        return basic;
    }

    @Override
    public synchronized CardChannel openLogicalChannel() throws SmartCardException {
        ResponseApdu r = exchange(CommandApdu.of(0x00, 0x70, 0x00, 0x00, 1), 0);
        int sw = r.sw();
        if (sw == StatusWord.FUNCTION_NOT_SUPPORTED || sw == StatusWord.LOGICAL_CHANNEL_NOT_SUPPORTED
                || sw == StatusWord.INS_NOT_SUPPORTED || sw == StatusWord.CLA_NOT_SUPPORTED
                || sw == StatusWord.CONDITIONS_NOT_SATISFIED) {
            throw new SmartCardException(Code.NO_CHANNEL_AVAILABLE,
                    "The card in '" + entry.name + "' opened no logical channel (" + StatusWord.toHex(sw) + ")");
        }
        r.requireSuccess("MANAGE CHANNEL open");
        byte[] data = r.data();
        if (data.length != 1 || data[0] < 1 || data[0] > 19) {
            throw new SmartCardException(Code.PROTOCOL_ERROR, "MANAGE CHANNEL returned no valid channel number");
        }
        LogicalChannel channel = new LogicalChannel(data[0]);
        logical.add(channel);
        return channel;
    }

    @Override
    public synchronized void reset() throws SmartCardException {
        checkUsable();
        try {
            connection.reset();
        } catch (SmartCardException e) {
            fail(e);
            throw e;
        }
        atr = connection.atr();
        for (LogicalChannel c : logical) {
            c.open = false;
        }
        logical.clear();
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed && !entry.gone && entry.insertion.get() == insertion;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        for (LogicalChannel c : new ArrayList<>(logical)) {
            c.close(); // may abandon the session if the card is gone
        }
        abandon();
    }

    /** Ends the session without talking to the card; idempotent, releases the permit exactly once. */
    private void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        for (LogicalChannel c : logical) {
            c.open = false;
        }
        logical.clear();
        try {
            connection.close();
        } catch (RuntimeException e) {
            LOG.debug("Closing the connection to '{}' failed: {}", entry.name, e.toString());
        } finally {
            entry.permit.release();
            LOG.debug("Session on '{}' closed", entry.name);
        }
    }

    private void checkUsable() throws SmartCardException {
        if (closed) {
            throw new SmartCardException(Code.SESSION_CLOSED, "The session on '" + entry.name + "' is closed");
        }
        if (entry.gone) {
            abandon();
            throw new SmartCardException(Code.READER_ABSENT, "Reader '" + entry.name + "' went away");
        }
        if (entry.insertion.get() != insertion) {
            abandon();
            throw new SmartCardException(Code.CARD_REMOVED, "The card was removed from '" + entry.name + "'");
        }
    }

    /** A failure that leaves the card unusable closes the session. */
    private void fail(SmartCardException e) {
        switch (e.code()) {
            case CARD_REMOVED:
            case CARD_RESET:
            case READER_ABSENT:
            case CARD_ABSENT:
            case IO_ERROR:
                abandon();
                break;
            default:
                break;
        }
    }

    private ResponseApdu raw(CommandApdu command) throws SmartCardException {
        checkUsable();
        try {
            ResponseApdu r = connection.transmit(command);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} -> {}", entry.name, command, r);
            }
            return r;
        } catch (SmartCardException e) {
            fail(e);
            throw e;
        } catch (RuntimeException e) {
            SmartCardException wrapped = new SmartCardException(Code.IO_ERROR,
                    "Backend of '" + entry.name + "' failed", e);
            fail(wrapped);
            throw wrapped;
        }
    }

    synchronized ResponseApdu exchange(CommandApdu command, int channel) throws SmartCardException {
        CommandApdu c = command.withChannel(channel);
        ResponseApdu r = raw(c);
        if (r.sw1() == 0x6C) {
            r = raw(c.withNe(r.sw2() == 0 ? 256 : r.sw2()));
        }
        if (r.sw1() != 0x61) {
            return r;
        }
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        int rounds = 0;
        while (r.sw1() == 0x61) {
            collected.writeBytes(r.data());
            if (++rounds > MAX_GET_RESPONSE || collected.size() > MAX_RESPONSE) {
                throw new SmartCardException(Code.PROTOCOL_ERROR,
                        "The card in '" + entry.name + "' keeps announcing more response data");
            }
            r = raw(CommandApdu.of(0x00, 0xC0, 0x00, 0x00, r.sw2() == 0 ? 256 : r.sw2()).withChannel(channel));
        }
        collected.writeBytes(r.data());
        return ResponseApdu.of(collected.toByteArray(), r.sw());
    }

    private final class BasicChannel implements CardChannel {
        @Override
        public int number() {
            return 0;
        }

        @Override
        public ResponseApdu transmit(CommandApdu command) throws SmartCardException {
            return exchange(command, 0);
        }

        @Override
        public boolean isOpen() {
            return Session.this.isOpen();
        }

        @Override
        public void close() {
            // closes with the session
        }
    }

    private final class LogicalChannel implements CardChannel {
        private final int number;
        private boolean open = true;

        LogicalChannel(int number) {
            this.number = number;
        }

        @Override
        public int number() {
            return number;
        }

        @Override
        public ResponseApdu transmit(CommandApdu command) throws SmartCardException {
            synchronized (Session.this) {
                if (!open) {
                    throw new SmartCardException(Code.SESSION_CLOSED, "Logical channel " + number + " is closed");
                }
                return exchange(command, number);
            }
        }

        @Override
        public boolean isOpen() {
            synchronized (Session.this) {
                return open && Session.this.isOpen();
            }
        }

        @Override
        public void close() {
            synchronized (Session.this) {
                if (!open) {
                    return;
                }
                open = false;
                logical.remove(this);
                if (closed) {
                    return;
                }
                try {
                    ResponseApdu r = exchange(CommandApdu.of(0x00, 0x70, 0x80, number), number);
                    if (!r.isSuccess()) {
                        LOG.debug("Closing logical channel {} on '{}': {}", number, entry.name, r);
                    }
                } catch (SmartCardException e) {
                    LOG.debug("Closing logical channel {} on '{}' failed: {}", number, entry.name, e.getMessage());
                }
            }
        }
    }
}
