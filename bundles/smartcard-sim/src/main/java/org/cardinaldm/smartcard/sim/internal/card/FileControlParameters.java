package org.cardinaldm.smartcard.sim.internal.card;

/**
 * The file control information the card returns for SELECT and STATUS (ISO/IEC 7816-4 clause 7.4, coded as
 * ETSI TS 102 221 clause 11.1.1.3): the contents of the FCP template ({@code 62}, also wrapped as FCI
 * {@code 6F}) and of the FMD template ({@code 64}).
 */
final class FileControlParameters {
    private FileControlParameters() {
    }

    /**
     * @param f a file
     * @return the FCP template's content: descriptor {@code 82}, FID {@code 83}, AID {@code 84} of an ADF,
     *         life cycle {@code 8A}, security attributes {@code 86} (read and update condition), and for EFs
     *         size {@code 80} and SFI {@code 88}
     */
    static byte[] fcpContent(CardFile f) {
        Tlv.Builder b = Tlv.builder();
        if (f instanceof DedicatedFile) {
            b.add(0x82, new byte[] {0x78, 0x21});
            b.add(0x83, fidBytes(f.fid()));
            byte[] aid = ((DedicatedFile) f).aid();
            if (aid != null) {
                b.add(0x84, aid);
            }
        } else if (f instanceof TransparentFile) {
            b.add(0x82, new byte[] {0x41, 0x21});
            b.add(0x83, fidBytes(f.fid()));
        } else {
            LinearFixedFile lf = (LinearFixedFile) f;
            b.add(0x82, new byte[] {0x42, 0x21, 0x00, (byte) lf.recordLength(), (byte) lf.recordCount()});
            b.add(0x83, fidBytes(f.fid()));
        }
        b.add(0x8A, new byte[] {0x05});
        b.add(0x86, new byte[] {(byte) f.readCondition().toByte(), (byte) f.updateCondition().toByte()});
        if (f instanceof ElementaryFile) {
            int size = f instanceof TransparentFile ? ((TransparentFile) f).size()
                    : ((LinearFixedFile) f).recordLength() * ((LinearFixedFile) f).recordCount();
            b.add(0x80, new byte[] {(byte) (size >> 8), (byte) size});
            int sfi = ((ElementaryFile) f).sfi();
            b.add(0x88, sfi == 0 ? new byte[0] : new byte[] {(byte) (sfi << 3)});
        }
        return b.build();
    }

    /**
     * @param f a file
     * @return the FMD template's content: the AID {@code 84} of an application, nothing otherwise
     */
    static byte[] fmdContent(CardFile f) {
        if (f instanceof DedicatedFile && ((DedicatedFile) f).isApplication()) {
            return Tlv.of(0x84, ((DedicatedFile) f).aid());
        }
        return new byte[0];
    }

    private static byte[] fidBytes(int fid) {
        return new byte[] {(byte) (fid >> 8), (byte) fid};
    }
}
