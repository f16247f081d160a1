package org.cardinaldm.pkg.trust.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;

import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.Refusal;
import org.cardinaldm.pkg.trust.api.Verification;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.cardinaldm.pkg.trust.internal.Fixtures.Signer;
import org.junit.jupiter.api.Test;

/**
 * A 50 MB firmware made on the fly by a generator stream (never held in memory, by the test or the verifier),
 * and an endless stream, which is refused once it passes the signed length.
 */
class LargePayloadTest {
    private static final long SIZE = 50L * 1024 * 1024;

    /** Deterministic pseudo-random bytes; {@code flipAt} changes one of them; {@code maxBufferSeen} the largest read. */
    static final class Generated extends InputStream {
        private final long size;
        private final long flipAt;
        private long pos;
        private long state = 0x9E3779B97F4A7C15L;
        long maxRequest;

        Generated(long size, long flipAt) {
            this.size = size;
            this.flipAt = flipAt;
        }

        private int next() {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            int b = (int) (state & 0xFF);
            return pos++ == flipAt ? b ^ 1 : b;
        }

        @Override
        public int read() {
            return pos >= size ? -1 : next();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            maxRequest = Math.max(maxRequest, len);
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) next();
            }
            return n;
        }
    }

    @Test
    void a_50_mb_payload_is_hashed_streaming_and_a_flipped_last_byte_is_caught() throws Exception {
        Signer s = Fixtures.signer("ec:secp256r1");
        var m = ManifestSigner.describe(new Generated(SIZE, -1)).kind(PackageKind.FIRMWARE).name("gateway")
                .version(PackageVersion.parse("3.0")).deviceClass(Fixtures.DEVICE).securityCounter(3).build();
        byte[] cms = ManifestSigner.of(s.key(), s.cert()).sign(m);
        CmsManifestVerifier verifier = new CmsManifestVerifier();

        Generated good = new Generated(SIZE, -1);
        Verification ok = verifier.verify(cms, good, s.trusted(), PackageKind.FIRMWARE, Fixtures.DEVICE);
        assertThat(ok.accepted()).as("%s", ok).isTrue();
        assertThat(ok.manifest().orElseThrow().manifest().payloadLength()).isEqualTo(SIZE);
        assertThat(good.maxRequest).as("bytes asked for at once: bounded buffer").isLessThanOrEqualTo(64 * 1024);

        Verification bad = verifier.verify(cms, new Generated(SIZE, SIZE - 1), s.trusted(), PackageKind.FIRMWARE,
                Fixtures.DEVICE);
        assertThat(bad.refusal()).contains(Refusal.PAYLOAD_MISMATCH);
    }

    @Test
    void an_endless_payload_is_refused_once_it_passes_the_signed_length() throws Exception {
        Signer s = Fixtures.signer("ec:secp256r1");
        var m = ManifestSigner.describe(new Generated(1000, -1)).kind(PackageKind.APPLICATION).name("a")
                .version(PackageVersion.parse("1")).deviceClass(Fixtures.DEVICE).build();
        byte[] cms = ManifestSigner.of(s.key(), s.cert()).sign(m);
        Generated endless = new Generated(Long.MAX_VALUE, -1);

        Verification v = new CmsManifestVerifier().verify(cms, endless, s.trusted(), PackageKind.APPLICATION,
                Fixtures.DEVICE);
        assertThat(v.refusal()).contains(Refusal.PAYLOAD_MISMATCH);
        assertThat(v.detail()).contains("longer");
        assertThat(endless.pos).isLessThanOrEqualTo(1000 + 64 * 1024);
    }
}
