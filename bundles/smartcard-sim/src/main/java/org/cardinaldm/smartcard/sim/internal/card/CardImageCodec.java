package org.cardinaldm.smartcard.sim.internal.card;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Binary form of a {@link CardImage}, big-endian, versioned:
 * <pre>
 * "CDIM" u8 version(1)
 * u8 atrLength, atr; u8 protocol (0 = T=0, 1 = T=1); u8 channels; s64 changeCounter
 * u8 pinCount, per PIN: u8 ref, 8 value, u8 max, u8 left, u8 hasPuk [8 puk, u8 max, u8 left]
 * u8 keyCount, per key: u8 ref, UTF usage, u8 length, value, u8 max, u8 left
 * file tree, depth first from the MF, per file:
 *   u8 kind (1 DF/ADF, 2 transparent EF, 3 linear fixed EF), u16 fid, UTF label, condition read, condition update
 *   DF: u8 aidLength (0 = none), aid, u16 childCount, children
 *   transparent: u8 sfi, s32 size, content
 *   linear fixed: u8 sfi, u8 recordLength, u8 recordCount, records
 * condition: u8 flags (1 always, 2 adm, 4 dm), u8 pinCount, u8 ref per PIN
 * version 2 only, after the file tree: u16 appletDataCount, per entry: UTF name, u16 length, bytes
 * </pre>
 * Version 1 images (no applet data) are still read; images are written as version 2.
 * Decoding checks every length and rejects trailing bytes; the image holds PINs and keys in clear, so the
 * file that stores it must be protected like the profile it came from.
 */
public final class CardImageCodec {
    private static final int MAGIC = 0x4344494D; // "CDIM"
    private static final int VERSION = 2;
    private static final int VERSION_WITHOUT_APPLET_DATA = 1;
    private static final int MAX_DEPTH = 16;
    private static final int MAX_FILE_SIZE = 65535;

    private CardImageCodec() {
    }

    /**
     * @param image the image
     * @return its encoding
     */
    public static byte[] encode(CardImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            byte[] atr = image.atr();
            out.writeByte(atr.length);
            out.write(atr);
            out.writeByte(image.protocol() == CardImage.Protocol.T1 ? 1 : 0);
            out.writeByte(image.channels());
            out.writeLong(image.changeCounter());
            out.writeByte(image.pins().size());
            for (Pin pin : image.pins().values()) {
                out.writeByte(pin.reference());
                out.write(pin.valueBlock());
                out.writeByte(pin.maxRetries());
                out.writeByte(pin.retries());
                out.writeBoolean(pin.hasPuk());
                if (pin.hasPuk()) {
                    out.write(pin.pukBlock());
                    out.writeByte(pin.maxPukRetries());
                    out.writeByte(pin.pukRetries());
                }
            }
            out.writeByte(image.keys().size());
            for (CardKey key : image.keys().values()) {
                out.writeByte(key.reference());
                out.writeUTF(key.usage());
                byte[] secret = key.secret();
                out.writeByte(secret.length);
                out.write(secret);
                out.writeByte(key.maxRetries());
                out.writeByte(key.retries());
            }
            writeFile(out, image.mf());
            out.writeShort(image.appletDataNames().size());
            for (String name : image.appletDataNames()) {
                byte[] value = image.appletData(name).orElseThrow();
                out.writeUTF(name);
                out.writeShort(value.length);
                out.write(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with a byte array
        }
        return bytes.toByteArray();
    }

    private static void writeFile(DataOutputStream out, CardFile file) throws IOException {
        int kind = file instanceof DedicatedFile ? 1 : file instanceof TransparentFile ? 2 : 3;
        out.writeByte(kind);
        out.writeShort(file.fid());
        out.writeUTF(file.label());
        writeCondition(out, file.readCondition());
        writeCondition(out, file.updateCondition());
        if (file instanceof DedicatedFile) {
            DedicatedFile df = (DedicatedFile) file;
            byte[] aid = df.aid();
            out.writeByte(aid == null ? 0 : aid.length);
            if (aid != null) {
                out.write(aid);
            }
            out.writeShort(df.children().size());
            for (CardFile child : df.children()) {
                writeFile(out, child);
            }
        } else if (file instanceof TransparentFile) {
            TransparentFile ef = (TransparentFile) file;
            out.writeByte(ef.sfi());
            out.writeInt(ef.size());
            out.write(ef.content());
        } else {
            LinearFixedFile ef = (LinearFixedFile) file;
            out.writeByte(ef.sfi());
            out.writeByte(ef.recordLength());
            out.writeByte(ef.recordCount());
            for (int i = 1; i <= ef.recordCount(); i++) {
                out.write(ef.record(i));
            }
        }
    }

    private static void writeCondition(DataOutputStream out, AccessCondition c) throws IOException {
        out.writeByte((c.isAlways() ? 1 : 0) | (c.allowsAdm() ? 2 : 0) | (c.allowsDm() ? 4 : 0));
        int[] pins = c.pins();
        out.writeByte(pins.length);
        for (int pin : pins) {
            out.writeByte(pin);
        }
    }

    /**
     * @param data an encoding made by {@link #encode(CardImage)}
     * @return the image
     * @throws IllegalArgumentException if the data is not a valid image
     */
    public static CardImage decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("Not a card image (bad magic)");
            }
            int version = in.readUnsignedByte();
            if (version != VERSION && version != VERSION_WITHOUT_APPLET_DATA) {
                throw new IllegalArgumentException("Unsupported card image version " + version);
            }
            byte[] atr = readBytes(in, in.readUnsignedByte());
            CardImage.Protocol protocol = in.readUnsignedByte() == 1 ? CardImage.Protocol.T1 : CardImage.Protocol.T0;
            int channels = in.readUnsignedByte();
            long changeCounter = in.readLong();
            int pinCount = in.readUnsignedByte();
            Pin[] pins = new Pin[pinCount];
            for (int i = 0; i < pinCount; i++) {
                int ref = in.readUnsignedByte();
                byte[] value = readBytes(in, Pin.BLOCK_LENGTH);
                int max = in.readUnsignedByte();
                int left = in.readUnsignedByte();
                boolean hasPuk = in.readBoolean();
                byte[] puk = null;
                int pukMax = 0;
                int pukLeft = 0;
                if (hasPuk) {
                    puk = readBytes(in, Pin.BLOCK_LENGTH);
                    pukMax = in.readUnsignedByte();
                    pukLeft = in.readUnsignedByte();
                }
                pins[i] = new Pin(ref, value, max, left, puk, pukMax, pukLeft);
            }
            int keyCount = in.readUnsignedByte();
            CardKey[] keys = new CardKey[keyCount];
            for (int i = 0; i < keyCount; i++) {
                int ref = in.readUnsignedByte();
                String usage = in.readUTF();
                byte[] value = readBytes(in, in.readUnsignedByte());
                keys[i] = new CardKey(ref, usage, value, in.readUnsignedByte(), in.readUnsignedByte());
            }
            CardFile root = readFile(in, 0);
            if (!(root instanceof DedicatedFile) || root.fid() != CardFile.MF_FID) {
                throw new IllegalArgumentException("Card image root is not the MF");
            }
            CardImage image = new CardImage(atr, protocol, channels, (DedicatedFile) root);
            if (version == VERSION) {
                int entries = in.readUnsignedShort();
                for (int i = 0; i < entries; i++) {
                    String name = in.readUTF();
                    int length = in.readUnsignedShort();
                    if (length > CardImage.MAX_APPLET_DATA) {
                        throw new IllegalArgumentException("Applet data entry too long in card image");
                    }
                    image.putAppletData(name, readBytes(in, length));
                }
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("Trailing bytes after the card image");
            }
            for (Pin pin : pins) {
                image.addPin(pin);
            }
            for (CardKey key : keys) {
                image.addKey(key);
            }
            image.setChangeCounter(changeCounter);
            return image;
        } catch (EOFException e) {
            throw new IllegalArgumentException("Card image truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CardFile readFile(DataInputStream in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("Card image file tree deeper than " + MAX_DEPTH);
        }
        int kind = in.readUnsignedByte();
        int fid = in.readUnsignedShort();
        String label = in.readUTF();
        AccessCondition read = readCondition(in);
        AccessCondition update = readCondition(in);
        switch (kind) {
            case 1: {
                int aidLength = in.readUnsignedByte();
                byte[] aid = aidLength == 0 ? null : readBytes(in, aidLength);
                DedicatedFile df = new DedicatedFile(fid, aid, label, read, update);
                int children = in.readUnsignedShort();
                for (int i = 0; i < children; i++) {
                    df.add(readFile(in, depth + 1));
                }
                return df;
            }
            case 2: {
                int sfi = in.readUnsignedByte();
                int size = in.readInt();
                if (size < 0 || size > MAX_FILE_SIZE) {
                    throw new IllegalArgumentException("Transparent EF size out of range: " + size);
                }
                return new TransparentFile(fid, sfi, label, read, update, readBytes(in, size));
            }
            case 3: {
                int sfi = in.readUnsignedByte();
                int recordLength = in.readUnsignedByte();
                int count = in.readUnsignedByte();
                byte[][] records = new byte[count][];
                for (int i = 0; i < count; i++) {
                    records[i] = readBytes(in, recordLength);
                }
                return new LinearFixedFile(fid, sfi, label, read, update, recordLength, records);
            }
            default:
                throw new IllegalArgumentException("Unknown file kind " + kind + " in card image");
        }
    }

    private static AccessCondition readCondition(DataInputStream in) throws IOException {
        int flags = in.readUnsignedByte();
        int count = in.readUnsignedByte();
        int[] pins = new int[count];
        for (int i = 0; i < count; i++) {
            pins[i] = in.readUnsignedByte();
        }
        if ((flags & 1) != 0) {
            return AccessCondition.ALWAYS;
        }
        return AccessCondition.of((flags & 2) != 0, (flags & 4) != 0, pins);
    }

    private static byte[] readBytes(DataInputStream in, int length) throws IOException {
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }
}
