package org.cardinaldm.benchmarks.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A simulated device's firmware download: GET of the {@code PkgURL}, streamed through SHA-256 (nothing kept in
 * memory), optionally cut after half of the file and resumed with {@code Range: bytes=<n>-} and {@code If-Range:
 * <ETag>} as a device does after a lost connection. The outcome is the FUMO result code the device reports: 200
 * when the length and SHA-256 are the package's, 402 (corrupted package) when they are not, 503 (download failed,
 * network) when the server could not be read. A 503 of the package servlet (too many downloads) is retried after
 * a short pause, up to {@value #MAX_BUSY_RETRIES} times. Thread-safe.
 */
final class FumoDownloader {
    private static final int MAX_BUSY_RETRIES = 200;
    private final HttpClient http;
    private final long length;
    private final byte[] sha256;
    /** Requests answered 503 (busy) and retried. */
    final LongAdder busyRetries = new LongAdder();
    /** Downloads resumed with a 206. */
    final LongAdder resumed = new LongAdder();
    /** Bytes received, all downloads. */
    final LongAdder bytes = new LongAdder();

    /**
     * @param http the devices' client
     * @param length the package's length
     * @param sha256 the package's SHA-256
     */
    FumoDownloader(HttpClient http, long length, byte[] sha256) {
        this.http = http;
        this.length = length;
        this.sha256 = sha256.clone();
    }

    /**
     * @param url the PkgURL
     * @param cut whether to break the first transfer after half of the file and resume it
     * @return the FUMO result code
     */
    int download(String url, boolean cut) {
        if (url == null) {
            return 411;
        }
        MessageDigest sha = sha256();
        try {
            HttpResponse<InputStream> first = send(HttpRequest.newBuilder(URI.create(url)));
            if (first.statusCode() != 200) {
                first.body().close();
                return 503;
            }
            String etag = first.headers().firstValue("ETag").orElse(null);
            long got = read(first.body(), sha, cut ? Math.max(1, length / 2) : Long.MAX_VALUE);
            if (cut && got < length) {
                HttpRequest.Builder again = HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=" + got + "-");
                if (etag != null) {
                    again.header("If-Range", etag);
                }
                HttpResponse<InputStream> rest = send(again);
                if (rest.statusCode() == 206 && rest.headers().firstValue("Content-Range").orElse("")
                        .equals("bytes " + got + "-" + (length - 1) + "/" + length)) {
                    resumed.increment();
                    got += read(rest.body(), sha, Long.MAX_VALUE);
                } else if (rest.statusCode() == 200) {
                    sha.reset(); // the package changed: start again from its first byte
                    got = read(rest.body(), sha, Long.MAX_VALUE);
                } else {
                    rest.body().close();
                    return 503;
                }
            }
            return got == length && MessageDigest.isEqual(sha.digest(), sha256) ? 200 : 402;
        } catch (IOException e) {
            return 503;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 503;
        }
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpRequest req = b.timeout(Duration.ofSeconds(120)).GET().build();
        for (int i = 0;; i++) {
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 503 || i >= MAX_BUSY_RETRIES) {
                return r;
            }
            r.body().close();
            busyRetries.increment();
            Thread.sleep(20); // a benchmark pause, shorter than the servlet's Retry-After
        }
    }

    /** Reads at most {@code limit} bytes into the digest, then closes the stream (a cut when bytes remain). */
    private long read(InputStream body, MessageDigest sha, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long n = 0;
        try (InputStream in = body) {
            while (n < limit) {
                int k = in.read(buffer, 0, (int) Math.min(buffer.length, limit - n));
                if (k < 0) {
                    break;
                }
                sha.update(buffer, 0, k);
                n += k;
            }
        }
        bytes.add(n);
        return n;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
