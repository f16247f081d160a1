package org.cardinaldm.smartcard.sim.internal.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Lets tests of other packages open a store with a tearing writer. */
public final class SlotImageStoreAccess {
    /** A writer, as {@link SlotImageStore.Writer}. */
    @FunctionalInterface
    public interface TestWriter {
        void write(FileChannel channel, ByteBuffer data, long position) throws IOException;
    }

    private SlotImageStoreAccess() {
    }

    public static SlotImageStore open(Path file, TestWriter writer) throws IOException {
        if (writer == null) {
            return new SlotImageStore(file);
        }
        return new SlotImageStore(file, writer::write, false);
    }
}
