package org.cardinaldm.transport.http.internal.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import org.cardinaldm.api.spi.transport.DmTransport;
import org.cardinaldm.api.spi.transport.TransportException;
import org.cardinaldm.api.spi.transport.TransportException.Reason;
import org.cardinaldm.api.spi.transport.TransportRequest;
import org.cardinaldm.api.spi.transport.TransportResponse;
import org.cardinaldm.api.spi.transport.TransportScheme;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's HTTP(S) bearer for SyncML DM (digest 1.1, HTTP binding as the Android engine does it):
 * one {@code POST} per message with {@code Content-Type} the message's media type, {@code Accept} the
 * DM media types, {@code Accept-Charset: utf-8}, {@code Cache-Control: private}, a {@code User-Agent}
 * and the session layer's extra headers ({@code x-syncml-hmac}). Only {@code 200} with a body is an
 * answer; any other status is a {@link Reason#PEER_STATUS} failure. Redirects are not followed.
 *
 * <p>Built on {@code java.net.http} only. The whole exchange (connect, send, headers, body) is bounded
 * by the request's timeout, the body by its size limit (checked while it arrives). TLS uses the JVM's
 * default trust unless a trust store is configured. Configuration PID
 * {@value #PID}; a change re-creates the component.
 */
@Component(service = DmTransport.class, configurationPid = HttpClientTransport.PID)
@TransportScheme({"http", "https"})
@Designate(ocd = HttpClientTransport.Config.class)
public final class HttpClientTransport implements DmTransport {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.transport.http.client";

    private static final Logger LOG = LoggerFactory.getLogger(HttpClientTransport.class);
    private static final int ERROR_BODY_LIMIT = 0;

    /** The HTTP client's configuration. */
    @ObjectClassDefinition(name = "Cardinal DM HTTP client",
            description = "How the device's DM client reaches DM servers over HTTP and HTTPS")
    public @interface Config {
        /** @return the connect timeout */
        @AttributeDefinition(name = "Connect timeout (ms)", min = "1",
                description = "How long to wait for the TCP and TLS connection to a DM server")
        int connect_timeout_ms() default 10_000;

        /** @return the User-Agent */
        @AttributeDefinition(name = "User-Agent", description = "User-Agent header sent with every message")
        String user_agent() default "Cardinal-DM-Client/1.2";

        /** @return whether HTTP/2 may be used */
        @AttributeDefinition(name = "Allow HTTP/2",
                description = "Negotiate HTTP/2 where the server offers it; off means HTTP/1.1 as the SyncML HTTP binding")
        boolean http2() default false;

        /** @return the trust store path */
        @AttributeDefinition(name = "Trust store", required = false,
                description = "File of trusted CA certificates for HTTPS; empty: the JVM's default trust (cacerts)")
        String truststore_path() default "";

        /** @return the trust store type */
        @AttributeDefinition(name = "Trust store type", description = "PKCS12 or JKS")
        String truststore_type() default "PKCS12";

        /** @return the trust store password; the leading dot keeps it out of the service properties */
        @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false,
                description = "Password of the trust store, if it has one (key .truststore.password: private to the component)")
        String _truststore_password() default "";
    }

    private final ClientSettings settings;
    private final ExecutorService executor;
    private final HttpClient client;

    /**
     * @param config the configuration
     * @throws IOException when the configured trust store cannot be read
     * @throws GeneralSecurityException when the configured trust store cannot be used
     */
    @Activate
    public HttpClientTransport(Config config) throws IOException, GeneralSecurityException {
        this(ClientSettings.from(config));
    }

    HttpClientTransport(ClientSettings settings) throws IOException, GeneralSecurityException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = Executors.newCachedThreadPool(new NamedThreads());
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(settings.http2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .executor(executor);
        if (!settings.trustStorePath().isEmpty()) {
            b.sslContext(sslContext(settings));
        }
        this.client = b.build();
        LOG.info("DM HTTP client ready: {}", settings);
    }

    private static SSLContext sslContext(ClientSettings s) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(s.trustStoreType().isEmpty() ? "PKCS12" : s.trustStoreType());
        char[] password = s.trustStorePassword().isEmpty() ? null : s.trustStorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(s.trustStorePath()))) {
            ks.load(in, password);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Override
    public TransportResponse exchange(TransportRequest request) throws TransportException {
        Objects.requireNonNull(request, "request");
        URI uri = request.uri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new TransportException(Reason.UNSUPPORTED, "Not an http(s) URI with a host: scheme '" + scheme + "'");
        }
        HttpRequest httpRequest = httpRequest(request);
        int max = request.maxResponseBytes();
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            if (info.statusCode() != 200) {
                return HttpResponse.BodySubscribers.replacing(new byte[ERROR_BODY_LIMIT]);
            }
            long announced = info.headers().firstValueAsLong("content-length").orElse(-1);
            return new BoundedBodySubscriber(max, announced > max);
        };
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(httpRequest, handler);
        HttpResponse<byte[]> response;
        try {
            response = future.get(request.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TransportException(Reason.TIMEOUT, "No complete answer from " + hostOf(uri) + " within "
                    + request.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new TransportException(Reason.INTERRUPTED, "Interrupted while waiting for " + hostOf(uri));
        } catch (CancellationException e) {
            throw new TransportException(Reason.INTERRUPTED, "Exchange with " + hostOf(uri) + " was cancelled");
        } catch (ExecutionException e) {
            throw translate(e.getCause(), uri);
        }
        int status = response.statusCode();
        if (status != 200) {
            throw TransportException.peerStatus(status, "HTTP " + status + " from " + hostOf(uri));
        }
        byte[] body = response.body();
        if (body == null || body.length == 0) {
            throw new TransportException(Reason.BAD_RESPONSE, "Empty answer (HTTP 200) from " + hostOf(uri));
        }
        Map<String, String> headers = new HashMap<>();
        response.headers().map().forEach((k, v) -> {
            if (!v.isEmpty() && k != null && !k.startsWith(":")) {
                headers.put(k.toLowerCase(Locale.ROOT), v.get(0));
            }
        });
        String contentType = response.headers().firstValue("content-type").orElse("");
        LOG.debug("POST {} ({} bytes) -> {} bytes {} in {} ms", hostOf(uri), request.bodyLength(), body.length,
                contentType, (System.nanoTime() - started) / 1_000_000);
        return TransportResponse.of(contentType, body, headers);
    }

    private HttpRequest httpRequest(TransportRequest request) throws TransportException {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(request.uri())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()))
                    .timeout(request.timeout())
                    .header("Content-Type", request.mediaType())
                    .header("Accept", String.join(", ", request.accept()))
                    .header("Accept-Charset", "utf-8")
                    .header("Cache-Control", "private")
                    .header("User-Agent", settings.userAgent());
            request.headers().forEach(b::header);
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new TransportException(Reason.UNSUPPORTED, "Request cannot be sent over HTTP: a header or the URI is "
                    + "not allowed", e);
        }
    }

    private static TransportException translate(Throwable cause, URI uri) {
        String host = hostOf(uri);
        if (cause instanceof BoundedBodySubscriber.TooLargeException) {
            return new TransportException(Reason.RESPONSE_TOO_LARGE, "Answer from " + host + ": " + cause.getMessage());
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new TransportException(Reason.TIMEOUT, "Connecting to " + host + " timed out", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new TransportException(Reason.TIMEOUT, "No answer from " + host + " in time", cause);
        }
        if (cause instanceof SSLException) {
            return new TransportException(Reason.SECURITY, "TLS with " + host + " failed: "
                    + cause.getClass().getSimpleName(), cause);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof NoRouteToHostException || cause instanceof UnresolvedAddressException) {
            return new TransportException(Reason.UNREACHABLE, "Cannot connect to " + host + ": "
                    + cause.getClass().getSimpleName(), cause);
        }
        if (cause instanceof IOException) {
            // connection reset or closed mid-answer
            return new TransportException(Reason.UNREACHABLE, "Connection to " + host + " failed: "
                    + cause.getClass().getSimpleName(), cause);
        }
        if (cause instanceof IllegalArgumentException) {
            return new TransportException(Reason.UNSUPPORTED, "Request to " + host + " refused by the HTTP client", cause);
        }
        return new TransportException(Reason.BAD_RESPONSE, "Exchange with " + host + " failed: "
                + (cause == null ? "unknown" : cause.getClass().getSimpleName()), cause);
    }

    private static String hostOf(URI uri) {
        return uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    }

    private static final class NamedThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "cardinal-dm-http-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
