package org.cardinaldm.client.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.cardinaldm.api.spi.transport.DmTransport;
import org.cardinaldm.api.spi.transport.TransportException;
import org.cardinaldm.api.spi.transport.TransportRequest;
import org.cardinaldm.api.spi.transport.TransportResponse;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;

/**
 * A scripted DM server behind the transport SPI: it decodes every message the client sends (so a
 * message that cannot be decoded fails the test), records it, and answers with the next step of
 * its script.
 */
final class FakeServer implements DmTransport {
    /** One answer of the script. */
    @FunctionalInterface
    interface Step {
        TransportResponse answer(SyncMessage client, TransportRequest request, FakeServer server) throws Exception;
    }

    final List<SyncMessage> received = new ArrayList<>();
    final List<TransportRequest> requests = new ArrayList<>();
    private final Deque<Step> script = new ArrayDeque<>();
    boolean xml;
    int nextMsgId = 1;
    /** The Cred the server puts in every header; null for none. */
    org.cardinaldm.syncml.api.model.Cred cred = org.cardinaldm.syncml.api.auth.Credentials.basic("server", "srvpass");

    FakeServer then(Step step) {
        script.addLast(step);
        return this;
    }

    /** Answers with a message built by the function. */
    FakeServer thenReply(java.util.function.Function<SyncMessage, SyncMessage> reply) {
        return then((client, request, server) -> server.encode(reply.apply(client)));
    }

    @Override
    public TransportResponse exchange(TransportRequest request) throws TransportException {
        requests.add(request);
        SyncMessage m;
        try {
            m = SyncML.decode(request.body());
        } catch (Exception e) {
            throw new AssertionError("the client sent a message that does not decode", e);
        }
        received.add(m);
        Step step = script.pollFirst();
        if (step == null) {
            throw new TransportException(TransportException.Reason.BAD_RESPONSE, "script exhausted");
        }
        try {
            return step.answer(m, request, this);
        } catch (TransportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    TransportResponse encode(SyncMessage m) {
        return encode(m, Map.of());
    }

    TransportResponse encode(SyncMessage m, Map<String, String> headers) {
        try {
            return xml ? TransportResponse.of(MediaTypes.DM_XML, SyncML.xml().encode(m), headers)
                    : TransportResponse.of(MediaTypes.DM_WBXML, SyncML.wbxml().encode(m), headers);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a server header answering the client's message */
    SyncHeader.Builder header(SyncMessage client) {
        SyncHeader h = client.header();
        return SyncHeader.builder().sessionId(h.sessionId()).msgId(Integer.toString(nextMsgId++))
                .target(Location.of(h.source().locUri())).source(Location.of(h.target().locUri())).cred(cred);
    }

    /** @return a builder with the header and a Status for the client's SyncHdr */
    SyncMessage.Builder reply(SyncMessage client, int headerCode) {
        SyncMessage.Builder b = SyncMessage.builder(header(client).build());
        b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(client.header().msgId()).answeringHeader()
                .code(headerCode).build());
        return b;
    }

    /** Adds a Status for every client command that needs one. */
    static void statuses(SyncMessage client, SyncMessage.Builder b, int code) {
        for (Command c : client.commands()) {
            if (!(c instanceof Status) && !(c instanceof org.cardinaldm.syncml.api.model.Results)) {
                b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(client.header().msgId()).answering(c).code(code)
                        .build());
            }
        }
    }

    /** @return a final answer with statuses only: the session ends */
    static SyncMessage done(SyncMessage client, FakeServer server) {
        SyncMessage.Builder b = server.reply(client, StatusCodes.OK);
        statuses(client, b, StatusCodes.OK);
        return b.build();
    }

    /** @return the header meta with the server's limits */
    static Meta limits(long maxMsgSize, long maxObjSize) {
        return Meta.builder().maxMsgSize(maxMsgSize).maxObjSize(maxObjSize).build();
    }
}
