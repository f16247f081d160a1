package org.cardinaldm.mo.scomo.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Fetches a package and its sidecar manifest over HTTP(S): bounded size, connect and overall time-outs,
 * redirects only as {@link HttpClient.Redirect#NORMAL} allows (never from https to http), TLS checked against the
 * configured trust store (the keys of the device HTTP client, set in SCOMO's PID) or the
 * JVM's. Never logs; {@link #redact(String)} is the form of a URL that may appear in logs and messages.
 */
final class Downloader {
    /** Longest accepted PkgURL. */
    static final int MAX_URL = 2048;

    private final HttpClient client;
    private final Duration timeout;

    /** Why a fetch failed. */
    static final class DownloadException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean notFound;

        DownloadException(String message, boolean notFound) {
            super(message);
            this.notFound = notFound;
        }

        /** @return whether the server answered 404 or 410 */
        boolean notFound() {
            return notFound;
        }
    }

    /** The HTTP settings. */
    record Settings(Duration connectTimeout, Duration timeout, String truststorePath, String truststoreType,
            String truststorePassword) {
    }

    Downloader(Settings settings) throws GeneralSecurityException, IOException {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (settings.truststorePath() != null && !settings.truststorePath().isBlank()) {
            KeyStore ks = KeyStore.getInstance(settings.truststoreType().isBlank() ? "PKCS12" : settings.truststoreType());
            try (InputStream in = Files.newInputStream(Path.of(settings.truststorePath()))) {
                String pw = settings.truststorePassword();
                ks.load(in, pw == null || pw.isEmpty() ? null : pw.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            b.sslContext(ssl);
        }
        this.client = b.build();
        this.timeout = settings.timeout();
    }

    /**
     * Checks a PkgURL sent by a server.
     *
     * @param url the value
     * @return null when acceptable, else why not (without echoing the value)
     */
    static String checkUrl(String url) {
        if (url == null || url.isEmpty()) {
            return "PkgURL is empty";
        }
        if (url.length() > MAX_URL) {
            return "PkgURL is longer than " + MAX_URL + " characters";
        }
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                return "PkgURL must be an https or http URL";
            }
            if (u.getHost() == null || u.getHost().isEmpty()) {
                return "PkgURL has no host";
            }
            if (u.getRawUserInfo() != null) {
                return "PkgURL must not carry user information (credentials)";
            }
            if (u.getRawFragment() != null) {
                return "PkgURL must not have a fragment";
            }
            return null;
        } catch (URISyntaxException e) {
            return "PkgURL is not a valid URL";
        }
    }

    /** @return the URL of the sidecar manifest: {@code .manifest.p7} appended to the path, query kept */
    static String manifestUrl(String pkgUrl) {
        int q = pkgUrl.indexOf('?');
        return q < 0 ? pkgUrl + ".manifest.p7" : pkgUrl.substring(0, q) + ".manifest.p7" + pkgUrl.substring(q);
    }

    /** @return scheme, host, port and path of a URL: no user info, no query (which may hold a token) */
    static String redact(String url) {
        try {
            URI u = new URI(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (URISyntaxException | RuntimeException e) {
            return "(invalid URL)";
        }
    }

    /**
     * Fetches a small document into memory.
     *
     * @param url where
     * @param max the most bytes accepted
     * @return the body
     * @throws DownloadException on any HTTP status but 200, a body over max, an I/O error or a time-out
     */
    byte[] fetch(String url, int max) throws DownloadException {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("scomo-", ".p7");
            fetchTo(url, tmp, max);
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new DownloadException("cannot buffer the download (" + e.getClass().getSimpleName() + ")", false);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /**
     * Streams a body to a file.
     *
     * @param url where
     * @param file the target (replaced)
     * @param max the most bytes accepted; more is a failure, and the file is deleted
     * @throws DownloadException as {@link #fetch}
     */
    void fetchTo(String url, Path file, long max) throws DownloadException {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(new URI(url)).timeout(timeout).GET().build();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new DownloadException("invalid URL", false);
        }
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                int status = response.statusCode();
                if (status != 200) {
                    throw new DownloadException("HTTP status " + status + " from " + redact(url),
                            status == 404 || status == 410);
                }
                long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (announced > max) {
                    throw new DownloadException("the server announces " + announced + " bytes, more than the "
                            + max + " allowed", false);
                }
                long total = 0;
                byte[] buffer = new byte[64 * 1024];
                try (OutputStream out = Files.newOutputStream(file)) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        total += n;
                        if (total > max) {
                            throw new DownloadException("the download exceeds the " + max + " bytes allowed", false);
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (DownloadException e) {
            deleteQuietly(file);
            throw e;
        } catch (IOException e) {
            deleteQuietly(file);
            throw new DownloadException("download from " + redact(url) + " failed (" + e.getClass().getSimpleName()
                    + ")", false);
        } catch (InterruptedException e) {
            deleteQuietly(file);
            Thread.currentThread().interrupt();
            throw new DownloadException("download interrupted", false);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
