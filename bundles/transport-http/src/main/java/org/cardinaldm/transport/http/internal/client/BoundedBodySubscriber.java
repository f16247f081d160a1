package org.cardinaldm.transport.http.internal.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body into a byte array and fails as soon as it grows past a limit, so that a
 * peer can never make the device buffer more than {@code max} bytes.
 */
final class BoundedBodySubscriber implements BodySubscriber<byte[]> {
    /** The body is larger than the limit. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final int max;
    private final boolean refuseAtOnce;
    private Flow.Subscription subscription;

    /**
     * @param max the largest body accepted
     * @param refuseAtOnce true when the announced Content-Length already exceeds the limit
     */
    BoundedBodySubscriber(int max, boolean refuseAtOnce) {
        this.max = max;
        this.refuseAtOnce = refuseAtOnce;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        if (refuseAtOnce) {
            s.cancel();
            result.completeExceptionally(new TooLargeException("announced body exceeds " + max + " bytes"));
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = b.remaining();
            if (buffer.size() + (long) n > max) {
                subscription.cancel();
                result.completeExceptionally(new TooLargeException("body exceeds " + max + " bytes"));
                return;
            }
            byte[] chunk = new byte[n];
            b.get(chunk);
            buffer.write(chunk, 0, n);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(buffer.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
