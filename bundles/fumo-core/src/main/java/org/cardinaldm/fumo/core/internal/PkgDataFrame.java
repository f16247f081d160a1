package org.cardinaldm.fumo.core.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.cardinaldm.pkg.trust.api.ManifestVerifier;

/**
 * The framing of an inline package, the value a server writes to {@code Update/PkgData}
 * ({@code docs/fumo.md}, "Update/PkgData"): the signed manifest and the payload in one binary value.
 * <pre>
 * "CDM-FUMO-PKG-1"     14 bytes, ASCII
 * manifest length       4 bytes, big-endian, 1..65536
 * manifest              the CMS SignedData, DER ({@code <package>.manifest.p7})
 * payload               the rest
 * </pre>
 */
final class PkgDataFrame {
    /** The frame's first bytes. */
    static final byte[] MAGIC = "CDM-FUMO-PKG-1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] manifest;
    private final int payloadOffset;
    private final byte[] frame;

    private PkgDataFrame(byte[] frame, byte[] manifest, int payloadOffset) {
        this.frame = frame;
        this.manifest = manifest;
        this.payloadOffset = payloadOffset;
    }

    /**
     * @param frame the PkgData value
     * @return the frame's parts
     * @throws IllegalArgumentException with a one-line reason when the value is not a frame
     */
    static PkgDataFrame parse(byte[] frame) {
        int head = MAGIC.length + 4;
        if (frame.length < head || !Arrays.equals(frame, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IllegalArgumentException("PkgData is not a Cardinal package frame (CDM-FUMO-PKG-1)");
        }
        int length = ByteBuffer.wrap(frame, MAGIC.length, 4).getInt();
        if (length < 1 || length > ManifestVerifier.MAX_MANIFEST_BYTES || length > frame.length - head) {
            throw new IllegalArgumentException("PkgData's manifest length is out of range");
        }
        return new PkgDataFrame(frame, Arrays.copyOfRange(frame, head, head + length), head + length);
    }

    /**
     * @param manifest the signed manifest
     * @param payload the payload
     * @return the frame (for tests and servers)
     */
    static byte[] of(byte[] manifest, byte[] payload) {
        return ByteBuffer.allocate(MAGIC.length + 4 + manifest.length + payload.length).put(MAGIC)
                .putInt(manifest.length).put(manifest).put(payload).array();
    }

    /** @return a copy of the manifest */
    byte[] manifest() {
        return manifest.clone();
    }

    /** @return the payload's offset in the frame */
    int payloadOffset() {
        return payloadOffset;
    }

    /** @return the payload's length */
    int payloadLength() {
        return frame.length - payloadOffset;
    }

    /** @return the frame (not copied) */
    byte[] frame() {
        return frame;
    }
}
