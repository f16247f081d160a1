package org.cardinaldm.fumo.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import org.cardinaldm.fumo.api.FumoResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FUMO's HTTP(S) client: fetches a small object whole (the signed manifest) and a package into a file with
 * resume. Every failure is a {@link FetchException} carrying the FUMO result code: a bad or non-HTTP URL, a
 * redirect to anything but http(s), or too many redirects 411; a refused authentication 406; a time-out 407; a
 * network failure, or a cut that resuming did not heal, 503; no room on the device 501; a body longer than
 * announced or a Content-Length above the limit 402.
 *
 * <p>Resume: a partial file is continued with {@code Range: bytes=<length>-} and {@code If-Range} (the ETag
 * of the first answer, when it was a strong one); a {@code 200} answer instead of {@code 206}, or a
 * {@code Content-Range} that does not start where the file ends, restarts from byte 0. A cut during the body is
 * resumed at once, at most {@code retries} times per call. Redirects are followed by this class, never by the
 * JDK, so that each target's scheme is checked. Credentials (HTTP Basic, when the server asks) go over https
 * only unless configured otherwise, and are never logged.
 */
final class HttpFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFetcher.class);
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    /** Called after each block written, with the file's length. Tests use it to simulate a crash. */
    interface Progress extends LongConsumer {
    }

    private final Settings settings;
    private final SSLContext ssl;

    /**
     * @param settings time-outs, retries, credentials and trust store
     * @throws FetchException 409 when the configured trust store cannot be used
     */
    HttpFetcher(Settings settings) throws FetchException {
        this.settings = settings;
        this.ssl = settings.truststorePath().isBlank() ? null : sslContext(settings);
    }

    private static SSLContext sslContext(Settings s) throws FetchException {
        try (InputStream in = Files.newInputStream(Path.of(s.truststorePath()))) {
            KeyStore ks = KeyStore.getInstance(s.truststoreType());
            ks.load(in, s.truststorePassword().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, tmf.getTrustManagers(), null);
            return c;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new FetchException(FumoResult.UNDEFINED_ERROR, "the configured trust store cannot be used ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * @param pkgUrl the package URL
     * @return its manifest's URL: {@code .manifest.p7} appended to the path, the query kept
     *         ({@code docs/signed-packages.md} §5)
     * @throws FetchException 411 when the URL is not an absolute http(s) URL
     */
    static URI manifestUrl(String pkgUrl) throws FetchException {
        URI u = parse(pkgUrl);
        try {
            return new URI(u.getScheme(), u.getRawAuthority(), u.getRawPath() + ".manifest.p7", u.getRawQuery(), null)
                    .normalize();
        } catch (URISyntaxException e) {
            throw new FetchException(FumoResult.BAD_URL, "the manifest URL cannot be formed");
        }
    }

    /**
     * @param url a PkgURL
     * @return it as an absolute http(s) URI without a fragment
     * @throws FetchException 411 otherwise
     */
    static URI parse(String url) throws FetchException {
        if (url == null || url.isBlank() || url.length() > Settings.MAX_URL) {
            throw new FetchException(FumoResult.BAD_URL, "no usable PkgURL");
        }
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new FetchException(FumoResult.BAD_URL, "PkgURL is not a URL");
        }
        checkScheme(u);
        return u;
    }

    private static void checkScheme(URI u) throws FetchException {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!u.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
                || u.getRawFragment() != null) {
            throw new FetchException(FumoResult.BAD_URL, "only absolute http and https URLs are fetched");
        }
    }

    /**
     * Fetches a small object whole.
     *
     * @param url its URL
     * @param max the most bytes accepted
     * @return the body
     * @throws FetchException with the result code; {@link FetchException#notFound()} for 404/410
     */
    byte[] fetchSmall(URI url, int max) throws FetchException {
        HttpURLConnection c = open(url, 0, "");
        try (InputStream in = c.getInputStream()) {
            long announced = c.getContentLengthLong();
            if (announced > max) {
                throw new FetchException(FumoResult.CORRUPTED_PACKAGE, "the manifest announces " + announced
                        + " bytes, more than " + max);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0;) {
                if (out.size() + n > max) {
                    throw new FetchException(FumoResult.CORRUPTED_PACKAGE, "the manifest is longer than " + max
                            + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw network(e);
        } finally {
            c.disconnect();
        }
    }

    /**
     * Downloads into {@code file}, continuing what it already holds.
     *
     * @param url the package URL
     * @param file the target; its bytes are kept and continued
     * @param expected the exact length the signed manifest gives
     * @param etag the validator of the earlier attempt ("" when none); updated through {@code etagOut}
     * @param etagOut receives the validator of this attempt
     * @param progress told the file's length after each block
     * @throws FetchException with the result code
     */
    void fetchTo(URI url, Path file, long expected, String etag, java.util.function.Consumer<String> etagOut,
            Progress progress) throws FetchException {
        String validator = etag;
        int cuts = 0;
        while (true) {
            long have = size(file);
            if (have == expected) {
                return;
            }
            if (have > expected) {
                truncate(file);
                have = 0;
            }
            try {
                validator = attempt(url, file, have, expected, validator, progress);
                etagOut.accept(validator);
                if (size(file) == expected) {
                    return;
                }
                // the body ended early without an error: a cut
                LOG.debug("FUMO download cut at {} of {} bytes", size(file), expected);
            } catch (Cut e) {
                LOG.debug("FUMO download cut at {} of {} bytes ({})", size(file), expected, e.getMessage());
            }
            if (++cuts > settings.retries()) {
                throw new FetchException(FumoResult.DOWNLOAD_NETWORK_FAILURE, "the download was cut " + cuts
                        + " times; " + size(file) + " of " + expected + " bytes kept for the next attempt");
            }
        }
    }

    /** A cut inside the body: resumable. */
    private static final class Cut extends Exception {
        private static final long serialVersionUID = 1L;

        Cut(String m) {
            super(m, null, false, false);
        }
    }

    private String attempt(URI url, Path file, long have, long expected, String validator, Progress progress)
            throws FetchException, Cut {
        HttpURLConnection c = open(url, have, validator);
        try {
            int code = c.getResponseCode();
            long offset;
            if (code == HttpURLConnection.HTTP_PARTIAL && have > 0) {
                offset = rangeStart(c.getHeaderField("Content-Range"));
                if (offset != have) {
                    LOG.debug("FUMO download: the server resumed at {} instead of {}; starting over", offset, have);
                    c.disconnect();
                    truncate(file);
                    return attempt(url, file, 0, expected, "", progress);
                }
            } else if (code == HttpURLConnection.HTTP_OK) {
                offset = 0;
                if (have > 0) {
                    LOG.debug("FUMO download: the server sent the whole package again; starting over");
                    truncate(file);
                }
            } else {
                throw new FetchException(FumoResult.DOWNLOAD_NETWORK_FAILURE, "the server answered " + code);
            }
            long announced = c.getContentLengthLong();
            if (announced >= 0 && offset + announced > expected) {
                throw new FetchException(FumoResult.CORRUPTED_PACKAGE, "the server announces " + (offset + announced)
                        + " bytes where the signed manifest says " + expected);
            }
            requireRoom(file, expected - offset);
            String etag = c.getHeaderField("ETag");
            String next = etag != null && !etag.startsWith("W/") ? etag : "";
            long received = copy(c, file, offset, expected, progress);
            if (announced >= 0 && received < announced) {
                throw new Cut("the body ended after " + received + " of " + announced + " bytes");
            }
            return next;
        } catch (SocketTimeoutException e) {
            throw new FetchException(FumoResult.DOWNLOAD_TIMEOUT, "no data for "
                    + settings.readTimeout().toSeconds() + " s");
        } catch (IOException e) {
            if (size(file) > have) {
                throw new Cut(e.getClass().getSimpleName());
            }
            throw network(e);
        } finally {
            c.disconnect();
        }
    }

    private long copy(HttpURLConnection c, Path file, long offset, long expected, Progress progress)
            throws IOException, FetchException {
        long received = 0;
        try (InputStream in = c.getInputStream();
                OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        offset == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND)) {
            byte[] buf = new byte[64 * 1024];
            long total = offset;
            for (int n; (n = in.read(buf)) >= 0;) {
                if (total + n > expected) {
                    throw new FetchException(FumoResult.CORRUPTED_PACKAGE, "the server sent more than the "
                            + expected + " bytes of the signed manifest");
                }
                try {
                    out.write(buf, 0, n);
                    out.flush();
                } catch (IOException e) {
                    throw new FetchException(FumoResult.DOWNLOAD_OUT_OF_MEMORY, "the package cannot be stored ("
                            + e.getClass().getSimpleName() + ")");
                }
                total += n;
                received += n;
                progress.accept(total);
                if (Thread.currentThread().isInterrupted()) {
                    throw new FetchException(FumoResult.DOWNLOAD_NETWORK_FAILURE, "FUMO stopped during the download");
                }
            }
        }
        return received;
    }

    private static long rangeStart(String contentRange) {
        if (contentRange == null) {
            return -1;
        }
        Matcher m = CONTENT_RANGE.matcher(contentRange.strip());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void requireRoom(Path file, long needed) throws FetchException {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < needed) {
                throw new FetchException(FumoResult.DOWNLOAD_OUT_OF_MEMORY, "the package needs " + needed
                        + " more bytes; " + free + " are free");
            }
        } catch (IOException e) {
            throw new FetchException(FumoResult.DOWNLOAD_OUT_OF_MEMORY, "no room can be found for the package");
        }
    }

    /** Opens a connection, following redirects itself and answering a Basic challenge once. */
    private HttpURLConnection open(URI url, long from, String validator) throws FetchException {
        URI target = url;
        boolean authTried = false;
        for (int hops = 0; hops <= MAX_REDIRECTS; hops++) {
            checkScheme(target);
            HttpURLConnection c = connection(target, from, validator, authTried);
            int code;
            try {
                code = c.getResponseCode();
            } catch (SocketTimeoutException e) {
                c.disconnect();
                throw new FetchException(FumoResult.DOWNLOAD_TIMEOUT, "no answer within the time-out");
            } catch (IOException e) {
                c.disconnect();
                throw network(e);
            }
            if (code >= 300 && code < 400 && code != HttpURLConnection.HTTP_NOT_MODIFIED) {
                String location = c.getHeaderField("Location");
                c.disconnect();
                if (location == null || location.length() > Settings.MAX_URL) {
                    throw new FetchException(FumoResult.BAD_URL, "a redirect without a usable Location");
                }
                try {
                    target = target.resolve(new URI(location.strip()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new FetchException(FumoResult.BAD_URL, "a redirect to something that is not a URL");
                }
                continue;
            }
            if (code == HttpURLConnection.HTTP_UNAUTHORIZED && !authTried && canAuthenticate(target, c)) {
                c.disconnect();
                authTried = true;
                hops--;
                continue;
            }
            if (code == HttpURLConnection.HTTP_UNAUTHORIZED || code == HttpURLConnection.HTTP_FORBIDDEN
                    || code == HttpURLConnection.HTTP_PROXY_AUTH) {
                c.disconnect();
                throw new FetchException(FumoResult.DOWNLOAD_AUTH_FAILED, "the download server refused access ("
                        + code + ")");
            }
            if (code == HttpURLConnection.HTTP_NOT_FOUND || code == HttpURLConnection.HTTP_GONE) {
                c.disconnect();
                throw new FetchException(FumoResult.BAD_URL, "nothing at the URL (" + code + ")", true);
            }
            if (code == 416 && from > 0) {
                c.disconnect();
                return open(target, 0, "");
            }
            if (code == HttpURLConnection.HTTP_CLIENT_TIMEOUT || code == HttpURLConnection.HTTP_GATEWAY_TIMEOUT) {
                c.disconnect();
                throw new FetchException(FumoResult.DOWNLOAD_TIMEOUT, "the server timed out (" + code + ")");
            }
            if (code != HttpURLConnection.HTTP_OK && code != HttpURLConnection.HTTP_PARTIAL) {
                c.disconnect();
                throw new FetchException(FumoResult.DOWNLOAD_NETWORK_FAILURE, "the download server answered " + code);
            }
            return c;
        }
        throw new FetchException(FumoResult.BAD_URL, "more than " + MAX_REDIRECTS + " redirects");
    }

    private boolean canAuthenticate(URI target, HttpURLConnection c) {
        String challenge = c.getHeaderField("WWW-Authenticate");
        boolean basic = challenge != null && challenge.strip().toLowerCase(Locale.ROOT).startsWith("basic");
        boolean secure = "https".equalsIgnoreCase(target.getScheme()) || settings.authOverHttp();
        if (basic && !settings.username().isEmpty() && !secure) {
            LOG.debug("FUMO download: credentials are not sent over plain http");
        }
        return basic && !settings.username().isEmpty() && secure;
    }

    private HttpURLConnection connection(URI target, long from, String validator, boolean withAuth)
            throws FetchException {
        URLConnection uc;
        try {
            uc = target.toURL().openConnection();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new FetchException(FumoResult.BAD_URL, "the URL cannot be opened");
        } catch (IOException e) {
            throw network(e);
        }
        if (!(uc instanceof HttpURLConnection)) {
            throw new FetchException(FumoResult.BAD_URL, "only http and https are fetched");
        }
        HttpURLConnection c = (HttpURLConnection) uc;
        if (c instanceof HttpsURLConnection && ssl != null) {
            ((HttpsURLConnection) c).setSSLSocketFactory(ssl.getSocketFactory());
        }
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, settings.readTimeout().toMillis()));
        c.setRequestProperty("Accept-Encoding", "identity");
        if (from > 0) {
            c.setRequestProperty("Range", "bytes=" + from + "-");
            if (!validator.isEmpty()) {
                c.setRequestProperty("If-Range", validator);
            }
        }
        if (withAuth) {
            String token = settings.username() + ":" + settings.password();
            c.setRequestProperty("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        return c;
    }

    private static FetchException network(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new FetchException(FumoResult.DOWNLOAD_TIMEOUT, "no answer within the time-out");
        }
        if (e instanceof UnknownHostException) {
            return new FetchException(FumoResult.DOWNLOAD_NETWORK_FAILURE, "unknown host");
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return new FetchException(FumoResult.DOWNLOAD_NETWORK_FAILURE, "cannot connect to the download server");
        }
        if (e instanceof SSLException) {
            return new FetchException(FumoResult.DOWNLOAD_NETWORK_FAILURE, "TLS failed ("
                    + e.getClass().getSimpleName() + ")");
        }
        return new FetchException(FumoResult.DOWNLOAD_NETWORK_FAILURE, "network failure ("
                + e.getClass().getSimpleName() + ")");
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void truncate(Path file) throws FetchException {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new FetchException(FumoResult.DOWNLOAD_OUT_OF_MEMORY, "the partial package cannot be removed");
        }
    }
}
