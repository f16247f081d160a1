package org.cardinaldm.benchmarks.robustness;

import static org.cardinaldm.benchmarks.robustness.Dm.utf8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;

/** Group 1: codec and transport. Expected to pass on today's build. */
final class CodecProbes {
    private final Suite s;

    CodecProbes(Suite s) {
        this.s = s;
    }

    private static final Pattern STACK_FRAME = Pattern.compile("(?m)(^\\s*at [\\w.$]+\\(|Caused by:|\\.java:\\d+\\))");

    /** @return whether a body shows a Java stack trace */
    static boolean hasStackTrace(String body) {
        return STACK_FRAME.matcher(body).find();
    }

    /**
     * @return the part of a RespURI token that must be random: what follows the node id and its dot when the token
     *         carries one (several server nodes route on {@code <node id>.<random>}), else the whole token
     */
    static String randomPart(String token) {
        if (token == null) {
            return null;
        }
        int dot = token.indexOf('.');
        return dot > 0 && token.substring(0, dot).matches(Expect.TOKEN_ALPHABET) ? token.substring(dot + 1) : token;
    }

    /** @return the entropy bound of a token's random part in bits: length times bits per character of its alphabet */
    static int tokenBits(String fullToken) {
        String token = randomPart(fullToken);
        if (token == null || token.isEmpty()) {
            return 0;
        }
        if (token.matches("[0-9a-fA-F]+")) {
            return token.length() * 4;
        }
        if (token.matches(Expect.TOKEN_ALPHABET)) {
            return token.length() * 6;
        }
        return 0;
    }

    static String set(Set<Integer> s) {
        return s.stream().sorted().map(String::valueOf).reduce((a, b) -> a + "|" + b).orElse("-");
    }

    static String refusal(Set<Integer> http, Set<Integer> hdr) {
        Set<Integer> h = new java.util.TreeSet<>(http);
        h.remove(200);
        return "HTTP " + set(h) + " or HTTP 200 with SyncHdr status " + set(hdr);
    }

    private static final String HDR_XML = "<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>%s</SessionID>"
            + "<MsgID>1</MsgID><Target><LocURI>%s</LocURI></Target><Source><LocURI>%s</LocURI></Source></SyncHdr>";

    private String pkg1Xml(String doctype, String sourceLocUri, String bodyExtra) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + doctype + "<SyncML xmlns=\"SYNCML:SYNCML1.2\">"
                + String.format(HDR_XML, Dm.sessionId(), s.dm.serverUri, sourceLocUri)
                + "<SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert>" + bodyExtra + "<Final/></SyncBody></SyncML>";
    }

    void register(List<Robustness.Probe> probes) {
        probes.add(new Robustness.Probe("codec.malformed-xml",
                refusal(Expect.MALFORMED_XML_HTTP, Expect.MALFORMED_XML_HDR) + ", no stack trace in the body",
                this::malformedXml));
        probes.add(new Robustness.Probe("codec.xxe",
                "HTTP " + set(Expect.XXE_HTTP) + ", body without '" + Expect.XXE_MARKER + "' (external entity not expanded), no stack trace",
                this::xxe));
        probes.add(new Robustness.Probe("codec.billion-laughs",
                refusal(Expect.BILLION_LAUGHS_HTTP, Expect.BILLION_LAUGHS_HDR) + " within " + Expect.BILLION_LAUGHS_MAX_MILLIS + " ms",
                this::billionLaughs));
        probes.add(new Robustness.Probe("codec.deep-nesting",
                Expect.DEEP_NESTING_LEVELS + " nested elements: " + refusal(Expect.DEEP_NESTING_HTTP, Expect.DEEP_NESTING_HDR)
                        + " within " + Expect.DEEP_NESTING_MAX_MILLIS + " ms",
                this::deepNesting));
        probes.add(new Robustness.Probe("codec.oversized-body",
                Expect.OVERSIZED_BODY_BYTES + "-byte body: " + refusal(Expect.OVERSIZED_HTTP, Expect.OVERSIZED_HDR),
                this::oversized));
        probes.add(new Robustness.Probe("codec.wrong-content-type",
                "text/plain body: HTTP " + set(Expect.WRONG_CONTENT_TYPE_HTTP), this::wrongContentType));
        probes.add(new Robustness.Probe("codec.garbage-wbxml",
                refusal(Expect.GARBAGE_WBXML_HTTP, Expect.GARBAGE_WBXML_HDR) + ", no stack trace", this::garbageWbxml));
        probes.add(new Robustness.Probe("codec.unknown-token",
                "a RespURI token never issued: " + refusal(Expect.UNKNOWN_TOKEN_HTTP, Expect.UNKNOWN_TOKEN_HDR) + ", no command",
                this::unknownToken));
        probes.add(new Robustness.Probe("codec.token-randomness",
                "two anonymous package 1s get distinct RespURI tokens of >= " + Expect.TOKEN_MIN_BITS + " bits, alphabet "
                        + Expect.TOKEN_ALPHABET,
                this::tokenRandomness));
        probes.add(new Robustness.Probe("codec.replayed-pkg1",
                "the accepted md5 package 1 of an ended session, sent again: " + refusal(Expect.REPLAY_HTTP, Expect.REPLAY_HDR)
                        + ", no command",
                this::replayedPkg1));
    }

    private Robustness.Result verdictRefused(Dm.Answer a, Set<Integer> http, Set<Integer> hdr, long maxMillis) {
        boolean stack = hasStackTrace(a.response().text());
        boolean ok = a.refusedAs(http, hdr) && !stack && (maxMillis <= 0 || a.response().millis() <= maxMillis);
        return new Robustness.Result(ok, a.brief() + " in " + a.response().millis() + " ms"
                + (stack ? ", STACK TRACE in body" : "") + bodyHint(a));
    }

    private static String bodyHint(Dm.Answer a) {
        if (a.httpStatus() == 200 || a.response().body().length == 0) {
            return "";
        }
        return ", body '" + RawHttp.printable(a.response().text().trim(), 80) + "'";
    }

    private Robustness.Result malformedXml() throws Exception {
        s.requireHttp();
        String body = "<?xml version=\"1.0\"?><SyncML xmlns=\"SYNCML:SYNCML1.2\">"
                + String.format(HDR_XML, "1", s.dm.serverUri, "urn:x-cardinaldm:robustness-malformed")
                + "<SyncBody><Alert><CmdID>1</Data></Alert><Final/></SyncBody>";
        Dm.Answer a = s.dm.postRaw(s.stranger, s.dm.path, MediaTypes.DM_XML, utf8(body));
        s.strangerSaw(a);
        return verdictRefused(a, Expect.MALFORMED_XML_HTTP, Expect.MALFORMED_XML_HDR, 0);
    }

    private Robustness.Result xxe() throws Exception {
        s.requireHttp();
        String doctype = "<!DOCTYPE SyncML [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>";
        Dm.Answer a = s.dm.postRaw(s.stranger, s.dm.path, MediaTypes.DM_XML, utf8(pkg1Xml(doctype, "&xxe;", "")));
        s.strangerSaw(a);
        String text = a.response().text();
        boolean leaked = text.contains(Expect.XXE_MARKER) || text.contains("/bin/bash") || text.contains("/usr/sbin/nologin");
        boolean stack = hasStackTrace(text);
        boolean ok = Expect.XXE_HTTP.contains(a.httpStatus()) && !leaked && !stack;
        return new Robustness.Result(ok, a.brief() + (leaked ? ", /etc/passwd CONTENT in the answer" : ", not expanded")
                + (stack ? ", STACK TRACE" : "") + bodyHint(a));
    }

    private Robustness.Result billionLaughs() throws Exception {
        s.requireHttp();
        StringBuilder d = new StringBuilder("<!DOCTYPE SyncML [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            d.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                d.append("&lol").append(i - 1).append(';');
            }
            d.append("\">");
        }
        d.append("]>");
        Dm.Answer a = s.dm.postRaw(s.stranger, s.dm.path, MediaTypes.DM_XML, utf8(pkg1Xml(d.toString(), "&lol9;", "")));
        s.strangerSaw(a);
        return verdictRefused(a, Expect.BILLION_LAUGHS_HTTP, Expect.BILLION_LAUGHS_HDR, Expect.BILLION_LAUGHS_MAX_MILLIS);
    }

    private Robustness.Result deepNesting() throws Exception {
        s.requireHttp();
        int n = Expect.DEEP_NESTING_LEVELS;
        // an unknown element in SyncBody, nested: a decoder that builds a tree of unknown elements recurses
        String body = pkg1Xml("", "urn:x-cardinaldm:robustness-deep", "<X>".repeat(n) + "x" + "</X>".repeat(n));
        Dm.Answer a = s.dm.postRaw(s.stranger, s.dm.path, MediaTypes.DM_XML, utf8(body));
        s.strangerSaw(a);
        return verdictRefused(a, Expect.DEEP_NESTING_HTTP, Expect.DEEP_NESTING_HDR, Expect.DEEP_NESTING_MAX_MILLIS);
    }

    private Robustness.Result oversized() throws Exception {
        s.requireHttp();
        byte[] body = new byte[Expect.OVERSIZED_BODY_BYTES];
        Arrays.fill(body, (byte) ' ');
        byte[] start = utf8("<SyncML xmlns=\"SYNCML:SYNCML1.2\">");
        System.arraycopy(start, 0, body, 0, start.length);
        RawHttp.Request req = RawHttp.Request.post(s.dm.path, MediaTypes.DM_XML, body);
        // head first: a server that refuses on Content-Length answers before the body; read that answer
        // before writing on, since a close with unread data may reset the connection and lose it
        long t0 = System.nanoTime();
        RawHttp.Response r;
        try (Socket sock = s.dm.http.connect(s.stranger, Expect.HTTP_TIMEOUT_MILLIS)) {
            OutputStream out = sock.getOutputStream();
            InputStream in = sock.getInputStream();
            out.write(req.head(s.dm.http.host() + ":" + s.dm.http.port()));
            out.flush();
            Thread.sleep(300);
            if (in.available() == 0) {
                try {
                    for (int off = 0; off < body.length; off += 65536) {
                        out.write(body, off, Math.min(65536, body.length - off));
                    }
                    out.flush();
                } catch (IOException e) {
                    // refused while sending: read the answer
                }
            }
            r = RawHttp.read(in, "POST");
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Dm.Answer a = new Dm.Answer(new RawHttp.Response(r.status(), r.reason(), r.headers(), r.body(), ms), null, null);
        if (r.status() == 200) {
            a = new Dm.Answer(a.response(), decodeQuietly(r.body()), null);
        }
        return verdictRefused(a, Expect.OVERSIZED_HTTP, Expect.OVERSIZED_HDR, 0);
    }

    static SyncMessage decodeQuietly(byte[] b) {
        try {
            return org.cardinaldm.syncml.api.SyncML.decode(b);
        } catch (Exception e) {
            return null;
        }
    }

    private Robustness.Result wrongContentType() throws Exception {
        s.requireHttp();
        byte[] body = s.dm.encode(s.dm.pkg1("urn:x-cardinaldm:robustness-ctype", null, Dm.sessionId(), 1, null));
        Dm.Answer a = s.dm.postRaw(s.stranger, s.dm.path, "text/plain", body);
        s.strangerSaw(a);
        boolean ok = Expect.WRONG_CONTENT_TYPE_HTTP.contains(a.httpStatus());
        return new Robustness.Result(ok, a.brief() + (a.response().header("Accept") == null ? "" : ", Accept: " + a.response().header("Accept")));
    }

    private Robustness.Result garbageWbxml() throws Exception {
        s.requireHttp();
        byte[] body = new byte[300];
        Dm.RANDOM.nextBytes(body);
        body[0] = 0x02; // WBXML 1.2
        body[1] = 0x00; // public id as a string-table index
        body[2] = 0x00;
        body[3] = 0x6A; // UTF-8
        body[4] = 0x7F; // string table claims 127 bytes, then garbage
        Dm.Answer a = s.dm.postRaw(s.stranger, s.dm.path, MediaTypes.DM_WBXML, body);
        s.strangerSaw(a);
        return verdictRefused(a, Expect.GARBAGE_WBXML_HTTP, Expect.GARBAGE_WBXML_HDR, 0);
    }

    private Robustness.Result unknownToken() throws Exception {
        s.requireHttp();
        String token = Dm.randomB64(16).replace('+', '-').replace('/', '_').replace("=", "");
        String sid = Dm.sessionId();
        SyncMessage.Builder b = SyncMessage.builder(SyncHeader.builder().sessionId(sid).msgId("2").target(s.dm.serverUri)
                .source(Location.of(Expect.DEMO_DEVID)).build());
        b.add(Status.builder().cmdId(b.nextCmdId()).msgRef("1").answeringHeader().code(212)
                .addTargetRef(Expect.DEMO_DEVID).addSourceRef(s.dm.serverUri).build());
        b.add(Alert.of(b.nextCmdId(), AlertCodes.NEXT_MESSAGE));
        Dm.Answer a = s.dm.post(s.stranger, s.dm.path + "?s=" + token, b.build());
        s.strangerSaw(a);
        boolean ok = a.refusedAs(Expect.UNKNOWN_TOKEN_HTTP, Expect.UNKNOWN_TOKEN_HDR) && a.management().isEmpty();
        return new Robustness.Result(ok, a.brief());
    }

    private Robustness.Result tokenRandomness() throws Exception {
        s.requireHttp();
        String[] tokens = new String[2];
        StringBuilder obs = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            String dev = "urn:x-cardinaldm:robustness-anon-" + Dm.randomHex(6);
            Dm.Answer a = s.dm.post(s.stranger, s.dm.path, s.dm.pkg1(dev, null, Dm.sessionId(), 1, null));
            s.strangerSaw(a);
            tokens[i] = a.token();
            obs.append(i == 0 ? "" : "; ").append(a.brief()).append(" token ")
                    .append(tokens[i] == null ? "none" : tokens[i].length() + " chars, " + tokenBits(tokens[i]) + " bits");
        }
        boolean ok = tokens[0] != null && tokens[1] != null && !tokens[0].equals(tokens[1])
                && tokenBits(tokens[0]) >= Expect.TOKEN_MIN_BITS && tokenBits(tokens[1]) >= Expect.TOKEN_MIN_BITS
                && randomPart(tokens[0]).matches(Expect.TOKEN_ALPHABET)
                && randomPart(tokens[1]).matches(Expect.TOKEN_ALPHABET)
                && commonPrefix(randomPart(tokens[0]), randomPart(tokens[1])) < 6;
        if (tokens[0] != null && tokens[0].equals(tokens[1])) {
            obs.append("; SAME token twice");
        }
        return new Robustness.Result(ok, obs.toString());
    }

    static int commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    private Robustness.Result replayedPkg1() throws Exception {
        s.requireHttp();
        Device d = s.genuine();
        Device.Login l = d.login(Dm.sessionId(), 1);
        if (!l.authenticated() || l.acceptedPkg1 == null) {
            return new Robustness.Result(false, "the genuine device could not authenticate first (" + l + ")");
        }
        d.abort(l);
        Dm.Answer a = s.dm.postRaw(s.stranger, s.dm.path, MediaTypes.DM_XML, l.acceptedPkg1);
        s.strangerSaw(a);
        boolean ok = a.refusedAs(Expect.REPLAY_HTTP, Expect.REPLAY_HDR) && a.management().isEmpty();
        return new Robustness.Result(ok, "genuine " + l + "; replay " + a.brief());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
