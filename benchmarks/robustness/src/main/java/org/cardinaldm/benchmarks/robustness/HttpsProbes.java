package org.cardinaldm.benchmarks.robustness;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Group 7: HTTPS. The handshake trusts any certificate (the probe reports the fingerprint for the
 * operator to compare; it does not judge the trust chain).
 */
final class HttpsProbes {
    private final Suite s;

    HttpsProbes(Suite s) {
        this.s = s;
    }

    void register(List<Robustness.Probe> probes) {
        probes.add(new Robustness.Probe("https.handshake",
                "a TLS handshake with protocol " + String.join("|", new java.util.TreeSet<>(Expect.TLS_PROTOCOLS))
                        + "; the certificate's SHA-256 fingerprint is printed",
                this::handshake));
        probes.add(new Robustness.Probe("https.plain-http-refused",
                "plain HTTP to the HTTPS port: no 2xx/3xx answer, the connection ends (close, TLS alert or 4xx) within "
                        + Expect.PLAIN_ON_TLS_MAX_MILLIS + " ms",
                this::plainHttp));
    }

    private int port() {
        return s.t.https.getPort() > 0 ? s.t.https.getPort() : 443;
    }

    static SSLContext trustAll() throws Exception {
        TrustManager tm = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // probe: accepts all
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // probe: accepts all; the fingerprint is reported instead
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[] {tm}, new SecureRandom());
        return c;
    }

    static String fingerprint(Certificate c) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
        StringBuilder sb = new StringBuilder();
        for (byte b : d) {
            sb.append(sb.length() == 0 ? "" : ":").append(String.format("%02X", b & 0xFF));
        }
        return sb.toString();
    }

    private Robustness.Result handshake() throws Exception {
        if (s.t.https == null) {
            throw new Robustness.Skip("no --https target");
        }
        String host = s.t.https.getHost();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port()), 5000);
            plain.setSoTimeout(10_000);
            SSLSocket tls = (SSLSocket) trustAll().getSocketFactory().createSocket(plain, host, port(), false);
            tls.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            tls.startHandshake();
            String protocol = tls.getSession().getProtocol();
            Certificate[] chain = tls.getSession().getPeerCertificates();
            String subject = chain[0] instanceof X509Certificate x ? x.getSubjectX500Principal().getName() : "?";
            String fp = fingerprint(chain[0]);
            // one request over it: the same endpoint answers on TLS
            tls.getOutputStream().write(("GET " + s.t.dmPath + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            tls.getOutputStream().flush();
            String status;
            try {
                status = "GET " + s.t.dmPath + " HTTP " + RawHttp.read(tls.getInputStream(), "GET").status();
            } catch (IOException e) {
                status = "GET " + s.t.dmPath + " unanswered";
            }
            tls.close();
            boolean ok = Expect.TLS_PROTOCOLS.contains(protocol);
            return new Robustness.Result(ok, protocol + " " + tls.getSession().getCipherSuite() + ", certificate " + subject
                    + " SHA-256 " + fp + ", " + status);
        } catch (IOException e) {
            return new Robustness.Result(false, "no handshake: " + Robustness.describe(e));
        }
    }

    private Robustness.Result plainHttp() throws Exception {
        if (s.t.https == null) {
            throw new Robustness.Skip("no --https target");
        }
        long t0 = System.nanoTime();
        try (Socket sock = new Socket()) {
            sock.connect(new InetSocketAddress(s.t.https.getHost(), port()), 5000);
            sock.setSoTimeout((int) Expect.PLAIN_ON_TLS_MAX_MILLIS);
            sock.getOutputStream().write(("GET " + s.t.dmPath + " HTTP/1.1\r\nHost: " + s.t.https.getHost()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            sock.getOutputStream().flush();
            InputStream in = sock.getInputStream();
            byte[] buf = new byte[512];
            int n = 0;
            try {
                int r;
                while (n < buf.length && (r = in.read(buf, n, buf.length - n)) >= 0) {
                    n += r;
                }
            } catch (SocketTimeoutException e) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                return new Robustness.Result(false, "connection still open after " + ms + " ms (" + n + " bytes)");
            } catch (IOException e) {
                // reset: ends cleanly enough
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String head = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            boolean http2xx3xx = head.matches("(?s)HTTP/1\\.[01] [23]\\d\\d.*");
            String what = n == 0 ? "closed without a byte" : head.startsWith("HTTP/") ? "'" + RawHttp.printable(head.split("\r\n")[0], 40) + "'"
                    : (buf[0] == 0x15 ? "TLS alert" : n + " non-HTTP bytes");
            return new Robustness.Result(!http2xx3xx && ms <= Expect.PLAIN_ON_TLS_MAX_MILLIS, what + " after " + ms + " ms");
        } catch (IOException e) {
            return new Robustness.Result(false, "cannot connect: " + Robustness.describe(e));
        }
    }
}
