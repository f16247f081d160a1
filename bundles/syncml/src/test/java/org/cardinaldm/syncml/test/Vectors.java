package org.cardinaldm.syncml.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The external vectors copied under {@code src/test/resources/vectors}. */
public final class Vectors {
    /** SyncML DM messages in WBXML (SCTS captures). */
    public static final List<String> WBXML_MESSAGES = List.of("scts-dm12/testadd.wbxml", "scts-dm12/testdelete.wbxml",
            "scts-dm12/testget.wbxml", "scts-dm12/testreplace.wbxml", "scts-dm11/testadd.wbxml",
            "scts-dm11/testdelete.wbxml", "scts-dm11/testget.wbxml", "scts-dm11/testreplace.wbxml");

    /** SyncML messages in XML that are complete messages. */
    public static final List<String> XML_MESSAGES = List.of("scts-dm12/testalertconfirm.xml",
            "scts-dm12/testalertconfirmatomic.xml", "scts-dm12/testalertdisplay.xml",
            "scts-dm12/testalertmultiplechoice.xml", "scts-dm12/testalertsinglechoice.xml",
            "scts-dm12/testalerttextinput.xml", "scts-dm12/testexecscript.xml", "scts-dm12/testexecscript2.xml",
            "scts-dm12/testgetscript.xml", "scts-dm12/testnewdatatype.xml", "scts-dm11/testalertconfirm.xml",
            "scts-dm11/testalertdisplay.xml", "scts-dm11/testexecscript.xml", "libwbxml/syncml-001.xml",
            "libwbxml/syncml-002.xml", "libwbxml/syncml-003.xml", "libwbxml/syncml-004.xml",
            "libwbxml/syncml-005.xml", "libwbxml/syncml-006.xml", "libwbxml/syncml-007.xml",
            "libwbxml/syncml-008.xml", "libwbxml/syncml-009.xml", "libwbxml/syncml-010.xml",
            "libwbxml/syncml-012.xml", "libwbxml/syncml_with_ddf-001.xml");

    /** Data-synchronisation messages that carry DevInf, which has no WBXML code page in Cardinal. */
    public static final List<String> DEVINF = List.of("libwbxml/syncml-003.xml", "libwbxml/syncml-004.xml");

    /** XML messages with a raw '&' (not well-formed; read leniently). */
    public static final List<String> RAW_AMPERSAND = List.of("scts-dm12/testalertconfirm.xml",
            "scts-dm12/testalertmultiplechoice.xml", "scts-dm12/testalertsinglechoice.xml",
            "scts-dm12/testalerttextinput.xml", "scts-dm11/testalertconfirm.xml");

    /** XML documents that are not complete SyncML messages: DevInf, and fragments without SyncHdr. */
    public static final List<String> XML_NOT_MESSAGES = List.of("libwbxml/syncml-011.xml", "libwbxml/syncml-013.xml",
            "libwbxml/syncml-014.xml");

    /** TNDS documents. */
    public static final List<String> TNDS = List.of("libwbxml/ddf-001.ddf");

    /** Raw large-object payloads (not documents). */
    public static final List<String> DATA = List.of("scts-dm12/testlobdata1.dat", "scts-dm12/testlobdata2.dat");

    private Vectors() {
    }

    /**
     * @param name a path under {@code vectors/}
     * @return the file's bytes
     */
    public static byte[] read(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no vector " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
