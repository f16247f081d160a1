package org.cardinaldm.benchmarks.robustness;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over {@link Socket}: one request per connection ({@code Connection: close}),
 * an optional local source address (so that probes can act as different hosts on loopback), bodies
 * sent whole or not at all, answers read by Content-Length, chunked encoding or until the peer closes.
 * Written for probes: it never throws for what the peer answers, only for I/O.
 */
final class RawHttp {
    /** Bytes of an answer kept at most (the rest is read and dropped). */
    static final int MAX_BODY = 4 << 20;

    private final String host;
    private final int port;

    RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** A request: method, path with query, headers in order, body (may be empty). */
    record Request(String method, String path, List<String[]> headers, byte[] body) {
        static Request post(String path, String contentType, byte[] body) {
            List<String[]> h = new ArrayList<>();
            if (contentType != null) {
                h.add(new String[] {"Content-Type", contentType});
            }
            return new Request("POST", path, h, body);
        }

        static Request get(String path) {
            return new Request("GET", path, new ArrayList<>(), new byte[0]);
        }

        Request header(String name, String value) {
            List<String[]> h = new ArrayList<>(headers);
            h.add(new String[] {name, value});
            return new Request(method, path, h, body);
        }

        /** @return the request head (request line and headers, Host, Content-Length and Connection added) */
        byte[] head(String hostHeader) {
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            sb.append("Host: ").append(hostHeader).append("\r\n");
            for (String[] h : headers) {
                sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            if (body.length > 0 || "POST".equals(method) || "PUT".equals(method)) {
                sb.append("Content-Length: ").append(body.length).append("\r\n");
            }
            sb.append("Connection: close\r\n\r\n");
            return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** An answer: status, headers (names lower case, last value wins), body, time taken. */
    record Response(int status, String reason, Map<String, String> headers, byte[] body, long millis) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " (" + body.length + " bytes, " + millis + " ms)";
        }
    }

    /**
     * @param source the local address to bind, or null for any
     * @param timeoutMillis connect and read timeout
     * @return a connected socket
     * @throws IOException when it cannot connect
     */
    Socket connect(InetAddress source, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            if (source != null) {
                s.bind(new InetSocketAddress(source, 0));
            }
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Sends one request and reads its answer. When the peer answers (and closes) before the whole body
     * is written, the answer is still read.
     *
     * @param source local address to bind, or null
     * @param request the request
     * @param timeoutMillis connect and per-read timeout
     * @return the answer
     * @throws IOException when nothing could be sent or no status line came back
     */
    Response send(InetAddress source, Request request, int timeoutMillis) throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = connect(source, timeoutMillis)) {
            OutputStream out = s.getOutputStream();
            IOException writeFailure = null;
            try {
                out.write(request.head(host + ":" + port));
                out.write(request.body());
                out.flush();
            } catch (IOException e) {
                writeFailure = e; // the server may have answered early (413) and closed: read what it said
            }
            try {
                Response r = read(s.getInputStream(), request.method());
                return new Response(r.status(), r.reason(), r.headers(), r.body(), (System.nanoTime() - t0) / 1_000_000);
            } catch (IOException e) {
                if (writeFailure != null) {
                    e.addSuppressed(writeFailure);
                }
                throw e;
            }
        }
    }

    /**
     * Reads one HTTP/1.1 answer.
     *
     * @param in the stream
     * @param method the request's method (HEAD answers have no body)
     * @return the answer (millis 0)
     * @throws IOException on a missing or malformed status line, or a read failure before it
     */
    static Response read(InputStream in, String method) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new EOFException("connection closed before a status line");
        }
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + printable(statusLine, 40));
        }
        String[] parts = statusLine.split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(parts[1].trim());
        } catch (RuntimeException e) {
            throw new IOException("bad status line: " + printable(statusLine, 60));
        }
        String reason = parts.length > 2 ? parts[2] : "";
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int c = line.indexOf(':');
            if (c > 0) {
                headers.put(line.substring(0, c).trim().toLowerCase(Locale.ROOT), line.substring(c + 1).trim());
            }
        }
        byte[] body;
        if ("HEAD".equals(method) || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            body = readChunked(in);
        } else if (headers.containsKey("content-length")) {
            long n;
            try {
                n = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length");
            }
            body = readFixed(in, n);
        } else {
            body = readToEnd(in);
        }
        return new Response(status, reason, headers, body, 0);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                return out.toByteArray(); // truncated: keep what came
            }
            int semi = sizeLine.indexOf(';');
            String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + printable(sizeLine, 20));
            }
            if (size == 0) {
                for (String t = readLine(in); t != null && !t.isEmpty(); t = readLine(in)) {
                    // trailers: ignored
                }
                return out.toByteArray();
            }
            byte[] chunk = readFixed(in, size);
            if (out.size() < MAX_BODY) {
                out.write(chunk, 0, (int) Math.min(chunk.length, MAX_BODY - out.size()));
            }
            if (chunk.length < size) {
                return out.toByteArray();
            }
            readLine(in); // CRLF after the chunk
        }
    }

    private static byte[] readFixed(InputStream in, long n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(n, 65536));
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            int r;
            try {
                r = in.read(buf, 0, (int) Math.min(buf.length, left));
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                break; // reset after a partial body: keep what came
            }
            if (r < 0) {
                break;
            }
            if (out.size() < MAX_BODY) {
                out.write(buf, 0, (int) Math.min(r, MAX_BODY - out.size()));
            }
            left -= r;
        }
        return out.toByteArray();
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        return readFixed(in, Long.MAX_VALUE);
    }

    /** @return a line without CRLF/LF, or null at the end of the stream before any byte */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                break;
            }
            if (line.size() > 65536) {
                throw new IOException("header line too long");
            }
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** @return the text cut to max characters with control characters shown as '.' */
    static String printable(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? '.' : c);
        }
        if (s.length() > max) {
            sb.append('…');
        }
        return sb.toString();
    }
}
