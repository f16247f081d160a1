package org.cardinaldm.store.mvstore.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system {@code faulty:<path>} over the real disk whose writes can be made to fail as a
 * full disk or an I/O error would, to test the store's failure handling without filling a disk.
 */
public final class FaultyFilePath extends FilePathWrapper {
    /** What writes do. */
    enum Mode { OK, DISK_FULL, IO_ERROR }

    static volatile Mode mode = Mode.OK;

    static {
        FilePath.register(new FaultyFilePath());
    }

    /** Registers the scheme (class initialisation does it). */
    static void install() {
        mode = Mode.OK;
    }

    @Override
    public String getScheme() {
        return "faulty";
    }

    @Override
    public FileChannel open(String openMode) throws IOException {
        return new Channel(getBase().open(openMode));
    }

    private static void check() throws IOException {
        switch (mode) {
            case DISK_FULL:
                throw new IOException("No space left on device");
            case IO_ERROR:
                throw new IOException("Input/output error");
            default:
                break;
        }
    }

    private static final class Channel extends FileBase {
        private final FileChannel base;

        Channel(FileChannel base) {
            this.base = base;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public synchronized int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            check();
            return base.write(src);
        }

        @Override
        public synchronized int write(ByteBuffer src, long position) throws IOException {
            check();
            return base.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            check();
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            check();
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
