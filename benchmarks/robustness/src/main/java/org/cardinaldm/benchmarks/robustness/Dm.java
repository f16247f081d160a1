package org.cardinaldm.benchmarks.robustness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;

/**
 * The DM endpoint as the probes see it: SyncML DM 1.2 messages in XML built with the {@code syncml}
 * library, posted with {@link RawHttp} from a chosen source address, answers decoded when they decode.
 */
final class Dm {
    static final SecureRandom RANDOM = new SecureRandom();

    final RawHttp http;
    final String path;
    final String serverUri;
    final MessageCodec codec = SyncML.xml();

    Dm(RawHttp http, String path) {
        this.http = http;
        this.path = path;
        this.serverUri = "http://" + http.host() + ":" + http.port() + path;
    }

    /** One exchange: the HTTP answer and, when it decodes, the SyncML message in it. */
    record Answer(RawHttp.Response response, SyncMessage message, String decodeError) {
        int httpStatus() {
            return response.status();
        }

        /** @return the SyncHdr status code, or -1 when there is none */
        int hdr() {
            Status s = headerStatus();
            return s == null ? -1 : s.code();
        }

        Status headerStatus() {
            if (message == null) {
                return null;
            }
            for (Command c : message.commands()) {
                if (c instanceof Status s && "0".equals(s.cmdRef())) {
                    return s;
                }
            }
            return null;
        }

        /** @return the NextNonce of the SyncHdr status's Chal, or null */
        String nextNonce() {
            Status s = headerStatus();
            return s == null || s.chal() == null || s.chal().meta() == null ? null : s.chal().meta().nextNonce();
        }

        Meta chalMeta() {
            Status s = headerStatus();
            return s == null || s.chal() == null ? null : s.chal().meta();
        }

        String respUri() {
            return message == null ? null : message.header().respUri();
        }

        String token() {
            return tokenOf(respUri());
        }

        /** @return commands other than Status and Results (what the server asks the device to do) */
        List<Command> management() {
            List<Command> out = new ArrayList<>();
            if (message != null) {
                for (Command c : message.commands()) {
                    if (!(c instanceof Status) && !"Results".equals(c.elementName())) {
                        out.add(c);
                    }
                }
            }
            return out;
        }

        /** @return "HTTP 200 hdr 407" and the like, for observed texts */
        String brief() {
            StringBuilder sb = new StringBuilder("HTTP ").append(response.status());
            if (message != null) {
                sb.append(" hdr ").append(hdr());
                List<Command> m = management();
                if (!m.isEmpty()) {
                    sb.append(" +").append(m.size()).append(" cmd");
                }
            } else if (response.status() == 200) {
                sb.append(" (undecodable: ").append(decodeError).append(')');
            }
            return sb.toString();
        }

        /** @return true when the HTTP status is in httpSet, or it is 200 and the SyncHdr status is in hdrSet */
        boolean refusedAs(Set<Integer> httpSet, Set<Integer> hdrSet) {
            if (httpSet.contains(response.status()) && response.status() != 200) {
                return true;
            }
            return response.status() == 200 && message != null && hdrSet.contains(hdr());
        }
    }

    /** @return the {@code s} query parameter of a RespURI, or null */
    static String tokenOf(String respUri) {
        if (respUri == null) {
            return null;
        }
        int q = respUri.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String p : respUri.substring(q + 1).split("&")) {
            if (p.startsWith("s=")) {
                return p.substring(2);
            }
        }
        return null;
    }

    /** @return the path and query of a RespURI (sent to the configured host and port), or the endpoint path */
    String pathOf(String respUri) {
        if (respUri == null) {
            return path;
        }
        try {
            URI u = URI.create(respUri);
            String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? path : u.getRawPath();
            return u.getRawQuery() == null ? p : p + "?" + u.getRawQuery();
        } catch (IllegalArgumentException e) {
            return path;
        }
    }

    Answer post(InetAddress source, String pathAndQuery, SyncMessage message) throws IOException {
        byte[] body;
        try {
            body = codec.encode(message);
        } catch (CodecException e) {
            throw new IOException("cannot encode the probe's own message: " + e.getMessage(), e);
        }
        return postRaw(source, pathAndQuery, MediaTypes.DM_XML, body);
    }

    Answer postRaw(InetAddress source, String pathAndQuery, String contentType, byte[] body) throws IOException {
        return postRaw(source, pathAndQuery, contentType, body, Expect.HTTP_TIMEOUT_MILLIS);
    }

    Answer postRaw(InetAddress source, String pathAndQuery, String contentType, byte[] body, int timeoutMillis)
            throws IOException {
        RawHttp.Response r = http.send(source, RawHttp.Request.post(pathAndQuery, contentType, body), timeoutMillis);
        SyncMessage m = null;
        String err = null;
        if (r.status() == 200 && r.body().length > 0) {
            try {
                m = SyncML.decode(r.body());
            } catch (CodecException | RuntimeException e) {
                err = e.getMessage();
            }
        }
        return new Answer(r, m, err);
    }

    byte[] encode(SyncMessage m) throws IOException {
        try {
            return codec.encode(m);
        } catch (CodecException e) {
            throw new IOException("cannot encode the probe's own message: " + e.getMessage(), e);
        }
    }

    /** @return a package 1: Alert 1201 and a Replace of ./DevInfo/DevId, Final */
    SyncMessage pkg1(String devId, String locName, String sessionId, int msgId, Cred cred) {
        return pkg1(devId, locName, serverUri, sessionId, msgId, cred);
    }

    SyncMessage pkg1(String devId, String locName, String target, String sessionId, int msgId, Cred cred) {
        SyncHeader.Builder h = SyncHeader.builder().sessionId(sessionId).msgId(Integer.toString(msgId))
                .target(target).source(Location.of(devId, locName))
                .meta(Meta.builder().maxMsgSize(65536L).build());
        if (cred != null) {
            h.cred(cred);
        }
        SyncMessage.Builder b = SyncMessage.builder(h.build());
        b.add(Alert.of(b.nextCmdId(), AlertCodes.CLIENT_INITIATED_MGMT));
        b.add(new Replace(b.nextCmdId(), false, null, null, List.of(
                new Item(null, Location.of("./DevInfo/DevId"), Meta.of("chr", "text/plain"), Data.text(devId), false))));
        return b.build();
    }

    /**
     * @return the device's answer to a server message: SyncHdr status 212, 404 for every management
     *         command, then (abort) Alert 1223 or (not abort) nothing more
     */
    SyncMessage answer(SyncMessage in, String devId, String sessionId, int msgId, boolean abort) {
        SyncHeader h = SyncHeader.builder().sessionId(sessionId).msgId(Integer.toString(msgId)).target(serverUri)
                .source(Location.of(devId)).build();
        SyncMessage.Builder b = SyncMessage.builder(h);
        String msgRef = in.header().msgId();
        b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(msgRef).answeringHeader().code(212)
                .addTargetRef(in.header().target().locUri()).addSourceRef(in.header().source().locUri()).build());
        for (Command c : in.commands()) {
            if (c instanceof Status || "Results".equals(c.elementName())) {
                continue;
            }
            b.add(Status.of(b.nextCmdId(), msgRef, c, c instanceof Alert ? 200 : 404));
        }
        if (abort) {
            b.add(Alert.of(b.nextCmdId(), AlertCodes.SESSION_ABORT));
        } else if (!in.isFinal()) {
            b.add(Alert.of(b.nextCmdId(), AlertCodes.NEXT_MESSAGE));
        }
        return b.build();
    }

    /** @return a random SessionID: 1..FFFF in upper-case hex, as devices send them */
    static String sessionId() {
        return Integer.toHexString(1 + RANDOM.nextInt(0xFFFF)).toUpperCase();
    }

    /** @return n random bytes as base64 */
    static String randomB64(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return java.util.Base64.getEncoder().encodeToString(b);
    }

    /** @return a random lower-case hex string of n bytes */
    static String randomHex(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
