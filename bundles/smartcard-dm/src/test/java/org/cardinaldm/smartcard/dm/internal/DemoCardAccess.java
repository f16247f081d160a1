package org.cardinaldm.smartcard.dm.internal;

/** {@link DemoCard}'s files for tests in other packages. */
public final class DemoCardAccess {
    private DemoCardAccess() {
    }

    public static byte[] dodf() {
        return DemoCard.dodf();
    }

    public static byte[] odf() {
        return DemoCard.odf();
    }

    public static byte[] aodf() {
        return DemoCard.aodf();
    }

    public static byte[] cdf() {
        return DemoCard.cdf();
    }

    public static byte[] tokenInfo() {
        return DemoCard.tokenInfo();
    }

    public static byte[] dirRecord() {
        return DemoCard.dirRecord();
    }

    public static final java.util.HexFormat HEX = DemoCard.HEX;

    public static byte[] moStoreWbxml() {
        return DemoCard.moStoreWbxml();
    }

    public static byte[] concat(byte[]... parts) {
        return DemoCard.concat(parts);
    }
}
