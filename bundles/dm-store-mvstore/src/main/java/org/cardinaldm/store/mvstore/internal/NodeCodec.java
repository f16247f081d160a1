package org.cardinaldm.store.mvstore.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.store.StoredNode;

/**
 * The binary form of one stored node (its {@link NodeInfo} without the URI, which is the record's
 * key, and its {@link NodeValue}). Record format <b>version 1</b>:
 * <pre>
 * u8      record version, 1
 * u8      flags: 0x01 permanent, 0x02 TStamp present, 0x04 VerNo present, 0x08 Size present,
 *                0x10 value Type differs from node Type, 0x20 value Format differs from node Format
 * u8      node Format code (table below)
 * str     node Type (MIME type or MO identifier; may be empty)
 * str     ACL in DM grammar, empty = inherit
 * str     Title
 * [0x02]  varlong zig-zag epoch second, varint nanosecond
 * [0x04]  u16 VerNo
 * [0x08]  varlong Size
 * [0x20]  u8 value Format code
 * [0x10]  str value Type
 * bytes   value data
 * </pre>
 * {@code str} is a {@code bytes} holding UTF-8; {@code bytes} is a varint length followed by that
 * many bytes; varints are unsigned LEB128 (7 bits per byte, low bits first). Format codes: chr 1,
 * int 2, bool 3, bin 4, b64 5, float 6, date 7, time 8, node 9, null 10, xml 11 (never enum
 * ordinals, so reordering the API enum cannot change stored data).
 *
 * <p>A typical leaf costs 6 bytes plus its strings and data. Decoding a record of an unknown
 * version fails with 510 naming the version, so an older Cardinal never misreads a newer file;
 * a later format adds a version number and a migration in {@link MvTreeStore}'s open path.
 */
final class NodeCodec {
    /** The record version this class writes. */
    static final int VERSION = 1;

    private static final int PERMANENT = 0x01;
    private static final int HAS_TSTAMP = 0x02;
    private static final int HAS_VERNO = 0x04;
    private static final int HAS_SIZE = 0x08;
    private static final int VALUE_TYPE = 0x10;
    private static final int VALUE_FORMAT = 0x20;
    private static final int KNOWN_FLAGS = 0x3F;

    private static final Format[] BY_CODE = {null, Format.CHR, Format.INT, Format.BOOL, Format.BIN, Format.B64,
        Format.FLOAT, Format.DATE, Format.TIME, Format.NODE, Format.NULL, Format.XML};

    private NodeCodec() {
    }

    static int code(Format f) {
        for (int i = 1; i < BY_CODE.length; i++) {
            if (BY_CODE[i] == f) {
                return i;
            }
        }
        throw new IllegalArgumentException("No record code for format " + f);
    }

    /**
     * @param node a node
     * @return its record
     */
    static byte[] encode(StoredNode node) {
        NodeInfo info = node.info();
        NodeValue value = node.value();
        int flags = (info.isPermanent() ? PERMANENT : 0)
                | (info.timestamp().isPresent() ? HAS_TSTAMP : 0)
                | (info.version() >= 0 ? HAS_VERNO : 0)
                | (info.size() >= 0 ? HAS_SIZE : 0)
                | (!value.type().equals(info.type()) ? VALUE_TYPE : 0)
                | (value.format() != info.format() ? VALUE_FORMAT : 0);
        byte[] data = value.data();
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + data.length + info.type().length());
        out.write(VERSION);
        out.write(flags);
        out.write(code(info.format()));
        writeString(out, info.type());
        writeString(out, info.acl().toString());
        writeString(out, info.title());
        if ((flags & HAS_TSTAMP) != 0) {
            Instant t = info.timestamp().get();
            writeVarLong(out, zigZag(t.getEpochSecond()));
            writeVarLong(out, t.getNano());
        }
        if ((flags & HAS_VERNO) != 0) {
            out.write(info.version() >>> 8);
            out.write(info.version() & 0xFF);
        }
        if ((flags & HAS_SIZE) != 0) {
            writeVarLong(out, info.size());
        }
        if ((flags & VALUE_FORMAT) != 0) {
            out.write(code(value.format()));
        }
        if ((flags & VALUE_TYPE) != 0) {
            writeString(out, value.type());
        }
        writeBytes(out, data);
        return out.toByteArray();
    }

    /**
     * @param uri the node the record belongs to (its key)
     * @param record the record
     * @return the node
     * @throws DmException 510 when the record is damaged or of an unknown version
     */
    static StoredNode decode(NodeUri uri, byte[] record) throws DmException {
        if (record.length == 0) {
            throw corrupt(uri, "empty record");
        }
        int version = record[0] & 0xFF;
        if (version != VERSION) {
            throw new DmException(StatusCode.DATA_STORE_FAILURE, "Stored node " + uri + " has record version "
                    + version + ", which this Cardinal cannot read (it reads version " + VERSION + ")");
        }
        try {
            Reader in = new Reader(record, 1);
            int flags = in.u8();
            if ((flags & ~KNOWN_FLAGS) != 0) {
                throw corrupt(uri, "unknown flags " + Integer.toHexString(flags));
            }
            Format format = format(uri, in.u8());
            NodeInfo.Builder b = format == Format.NODE ? NodeInfo.interior(uri) : NodeInfo.leaf(uri, format);
            String type = in.string();
            b.type(type).acl(Acl.of(in.string())).title(in.string()).permanent((flags & PERMANENT) != 0);
            if ((flags & HAS_TSTAMP) != 0) {
                long seconds = unZigZag(in.varLong());
                long nanos = in.varLong();
                b.timestamp(Instant.ofEpochSecond(seconds, nanos));
            }
            if ((flags & HAS_VERNO) != 0) {
                b.version((in.u8() << 8) | in.u8());
            }
            if ((flags & HAS_SIZE) != 0) {
                b.size(in.varLong());
            }
            Format valueFormat = (flags & VALUE_FORMAT) != 0 ? format(uri, in.u8()) : format;
            String valueType = (flags & VALUE_TYPE) != 0 ? in.string() : type;
            byte[] data = in.bytes();
            if (in.pos != record.length) {
                throw corrupt(uri, (record.length - in.pos) + " trailing bytes");
            }
            return StoredNode.of(b.build(), NodeValue.of(valueFormat, valueType, data));
        } catch (IndexOutOfBoundsException e) {
            throw corrupt(uri, "record is truncated");
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            throw corrupt(uri, e.getMessage());
        }
    }

    private static Format format(NodeUri uri, int code) throws DmException {
        if (code <= 0 || code >= BY_CODE.length) {
            throw corrupt(uri, "unknown format code " + code);
        }
        return BY_CODE[code];
    }

    private static DmException corrupt(NodeUri uri, String why) {
        return new DmException(StatusCode.DATA_STORE_FAILURE, "Stored node " + uri + " is unreadable: " + why);
    }

    private static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unZigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
        writeVarLong(out, b.length);
        out.write(b, 0, b.length);
    }

    private static void writeVarLong(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Sequential reader over a record; running past the end throws IndexOutOfBoundsException. */
    private static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        int u8() {
            if (pos >= buf.length) {
                throw new IndexOutOfBoundsException();
            }
            return buf[pos++] & 0xFF;
        }

        long varLong() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("varint longer than 64 bits");
        }

        byte[] bytes() {
            long n = varLong();
            if (n < 0 || n > buf.length - pos) {
                throw new IndexOutOfBoundsException();
            }
            byte[] b = new byte[(int) n];
            System.arraycopy(buf, pos, b, 0, b.length);
            pos += b.length;
            return b;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }
}
