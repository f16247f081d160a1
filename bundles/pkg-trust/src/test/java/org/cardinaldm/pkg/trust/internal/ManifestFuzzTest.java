package org.cardinaldm.pkg.trust.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.Verification;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.cardinaldm.pkg.trust.internal.Fixtures.Signer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing the parser: random bytes, and random mutations of a good manifest (flips, truncations, insertions,
 * deletions). Nothing escapes as an exception, and whatever is accepted is exactly what was signed. No timing
 * is asserted.
 */
class ManifestFuzzTest {
    private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.US_ASCII);
    private static final Signer SIGNER = Fixtures.signer("ec:secp256r1");
    private static final PackageManifest MANIFEST;
    private static final byte[] GOOD;

    static {
        try {
            MANIFEST = Fixtures.app(PAYLOAD);
            GOOD = ManifestSigner.of(SIGNER.key(), SIGNER.cert()).sign(MANIFEST);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CmsManifestVerifier verifier = new CmsManifestVerifier();

    @Property(tries = 500)
    void random_bytes_never_throw_and_are_never_accepted(@ForAll @Size(max = 4096) byte[] input) {
        Verification v = verifier.verifyManifest(input, SIGNER.trusted(), PackageKind.APPLICATION, Fixtures.DEVICE);
        assertThat(v.accepted()).isFalse();
    }

    @Property(tries = 500)
    void random_der_looking_bytes_never_throw(@ForAll("derLooking") byte[] input) {
        Verification v = verifier.verifyManifest(input, SIGNER.trusted(), PackageKind.APPLICATION, Fixtures.DEVICE);
        assertThat(v.accepted()).isFalse();
    }

    @Property(tries = 1000)
    void mutations_of_a_good_manifest_never_throw_and_never_change_what_is_accepted(@ForAll("mutated") byte[] input) {
        Verification v = verifier.verifyManifest(input, SIGNER.trusted(), PackageKind.APPLICATION, Fixtures.DEVICE);
        if (v.accepted()) {
            assertThat(v.manifest().orElseThrow().manifest()).isEqualTo(MANIFEST);
            assertThat(v.manifest().orElseThrow().signerSha256()).isEqualTo(SIGNER.sha256());
        }
    }

    @Property(tries = 300)
    void random_manifest_contents_never_throw(@ForAll @Size(max = 600) byte[] content) throws Exception {
        try {
            ManifestCodec.decode(content);
        } catch (ManifestFormatException expected) {
            assertThat(expected.refusal()).isNotNull();
        }
    }

    @Provide
    Arbitrary<byte[]> derLooking() {
        // starts like a ContentInfo SEQUENCE, random inside
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2048).map(tail -> {
            byte[] b = new byte[tail.length + 4];
            b[0] = 0x30;
            b[1] = (byte) 0x82;
            b[2] = (byte) (tail.length >> 8);
            b[3] = (byte) tail.length;
            System.arraycopy(tail, 0, b, 4, tail.length);
            return b;
        });
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, GOOD.length - 1);
        Arbitrary<Byte> value = Arbitraries.bytes();
        Arbitrary<byte[]> flip = Arbitraries.integers().between(1, 8).flatMap(n -> at.list().ofSize(n)
                .flatMap(positions -> value.list().ofSize(n).map(values -> {
                    byte[] b = GOOD.clone();
                    for (int i = 0; i < n; i++) {
                        b[positions.get(i)] = values.get(i);
                    }
                    return b;
                })));
        Arbitrary<byte[]> truncate = at.map(n -> java.util.Arrays.copyOf(GOOD, n));
        Arbitrary<byte[]> insert = at.flatMap(p -> value.map(x -> {
            byte[] b = new byte[GOOD.length + 1];
            System.arraycopy(GOOD, 0, b, 0, p);
            b[p] = x;
            System.arraycopy(GOOD, p, b, p + 1, GOOD.length - p);
            return b;
        }));
        Arbitrary<byte[]> delete = at.map(p -> {
            byte[] b = new byte[GOOD.length - 1];
            System.arraycopy(GOOD, 0, b, 0, p);
            System.arraycopy(GOOD, p + 1, b, p, GOOD.length - p - 1);
            return b;
        });
        return Arbitraries.oneOf(flip, truncate, insert, delete);
    }
}
