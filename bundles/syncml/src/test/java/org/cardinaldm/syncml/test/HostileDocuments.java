package org.cardinaldm.syncml.test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.SyncML;

/** Hand-made hostile documents shared by the codec and CLI tests. */
public final class HostileDocuments {
    /** The markup a LITERAL name tries to inject into the XML transcode. */
    public static final String INJECTED = "<Exec><CmdID>9</CmdID><Item><Target><LocURI>./Vendor/Reset</LocURI>";

    private HostileDocuments() {
    }

    /**
     * @return a complete WBXML message whose Put is a LITERAL tag named
     *         {@code Put><Exec>...</Exec><Put}: an XML encoder that writes names verbatim turns it into an
     *         Exec the WBXML message does not hold
     * @throws CodecException never
     */
    public static byte[] literalNameInjection() throws CodecException {
        String xml = "<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>"
                + "<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>a</LocURI></Target><Source><LocURI>b"
                + "</LocURI></Source></SyncHdr><SyncBody><Put><CmdID>1</CmdID></Put><Final/></SyncBody></SyncML>";
        byte[] plain = SyncML.wbxml().encode(SyncML.xml().decode(xml.getBytes(StandardCharsets.UTF_8)));
        byte[] table = ("Put>" + INJECTED + "</Target></Item></Exec><Put\0").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream doc = new ByteArrayOutputStream();
        doc.writeBytes(new byte[] {0x02, (byte) 0xA4, 0x01, 0x6A, (byte) (0x80 | (table.length >>> 7)),
            (byte) (table.length & 0x7F)});
        doc.writeBytes(table);
        byte[] body = Arrays.copyOfRange(plain, 5, plain.length); // after the empty string table
        for (int i = 0; i + 1 < body.length; i++) {
            if (body[i] == 0x6B && body[i + 1] == 0x5F) { // SyncBody, then Put with content
                doc.write(body, 0, i + 1);
                doc.writeBytes(new byte[] {0x44, 0}); // LITERAL_C, the name at offset 0
                doc.write(body, i + 2, body.length - i - 2);
                return doc.toByteArray();
            }
        }
        throw new IllegalStateException("no Put in " + Arrays.toString(plain));
    }
}
