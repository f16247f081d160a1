package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.spi.transport.TransportRequest;
import org.cardinaldm.client.api.GenericAlert;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.testing.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.SAXParseException;

/**
 * Every message the client sends in a rich session (DevInfo, a Generic Alert, results of every
 * kind, a UI answer, chunks, 1222) is decoded by libwbxml ({@code wbxml2xml}) when WBXML, and is
 * well-formed, namespace-correct XML when XML.
 */
@org.junit.jupiter.api.Tag(org.cardinaldm.testing.Requirements.OUTSIDE_TAG) // asks for pcscd or a program in code
class ClientWireFormatTest {
    private static final String PACKAGE = "libwbxml2-utils";

    @TempDir
    Path dir;

    private List<TransportRequest> richSession(boolean xml) throws Exception {
        DeviceRig d = DeviceRig.builder(dir.resolve(xml ? "x" : "w")).settings(Settings.DEFAULT.withWbxml(!xml)).build();
        d.basicAccount();
        d.ui(p -> UserResponse.text("typed & <escaped>"));
        d.system().add(NodeUri.of("./W/Text"), NodeValue.ofString("a < b & c > d \u00e9\u4e2d"));
        d.system().add(NodeUri.of("./W/Bin"), NodeValue.ofBinary(new byte[] {0, 1, (byte) 0xFE, 3}, "application/x-bin"));
        d.system().add(NodeUri.of("./W/Control"), NodeValue.ofString("bell\u0007"));
        d.system().add(NodeUri.of("./W/Log"), NodeValue.ofString("x".repeat(3000)));
        d.client().enqueue(GenericAlert.builder(DeviceRig.SERVER, "urn:x-cardinal:test").format("int").data("200")
                .source("./W").correlator("c1").mark("warning").build());
        FakeServer s = new FakeServer();
        s.xml = xml;
        s.thenReply(c -> {
            SyncMessage.Builder b = SyncMessage.builder(s.header(c).meta(FakeServer.limits(1800, 1_000_000)).build());
            b.add(Status.builder().cmdId(b.nextCmdId()).msgRef("1").answeringHeader().code(212).build());
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Get.of("10", Item.target("./W/Text"), Item.target("./W/Bin"), Item.target("./W/Control"),
                    Item.target("./W"), Item.target("./W?list=TNDS+Format+Value"), Item.target("./W?list=StructData")));
            b.add(Alert.of("11", AlertCodes.TEXT_INPUT, Item.data(Data.text("MAXLEN=40")), Item.data(Data.text("Say"))));
            b.add(Get.of("12", Item.target("./W/Log")));
            return b.build();
        });
        for (int i = 0; i < 20; i++) {
            s.then((c, req, srv) -> {
                if (c.isFinal()) {
                    return srv.encode(FakeServer.done(c, srv));
                }
                SyncMessage.Builder b = srv.reply(c, StatusCodes.OK);
                FakeServer.statuses(c, b, StatusCodes.CHUNKED_ITEM_ACCEPTED);
                b.add(Alert.of(b.nextCmdId(), AlertCodes.NEXT_MESSAGE));
                return srv.encode(b.isFinal(false).build());
            });
        }
        d.transport(s);
        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        List<Status> failed = s.received.stream().flatMap(m -> m.commands().stream())
                .filter(c -> c instanceof Status st && !StatusCodes.isSuccess(st.code())).map(c -> (Status) c).toList();
        if (xml) {
            // TNDS as XML cannot carry a binary leaf: the tree's TNDS service answers 415
            assertThat(failed).singleElement().satisfies(st -> {
                assertThat(st.targetRefs()).containsExactly("./W?list=TNDS+Format+Value");
                assertThat(st.code()).isEqualTo(StatusCodes.UNSUPPORTED_MEDIA_TYPE);
            });
        } else {
            assertThat(failed).isEmpty();
        }
        assertThat(s.requests.size()).isGreaterThan(3);
        return s.requests;
    }

    @Test
    void every_wbxml_message_the_client_sends_is_decoded_by_libwbxml() throws Exception {
        Path tool = ExternalTool.require("wbxml2xml", PACKAGE).path();
        int n = 0;
        for (TransportRequest r : richSession(false)) {
            assertThat(r.mediaType()).isEqualTo("application/vnd.syncml.dm+wbxml");
            Path in = dir.resolve("m" + n + ".wbxml");
            Path out = dir.resolve("m" + n + ".xml");
            Files.write(in, r.body());
            Process p = new ProcessBuilder(tool.toString(), "-o", out.toString(), in.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log" + n).toFile()).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("wbxml2xml on message %d: %s", n, Files.readString(dir.resolve("log" + n)))
                    .isZero();
            String xml = new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1);
            assertThat(xml).contains("<SyncML").contains("<SyncHdr>").doesNotContain("unknown");
            n++;
        }
    }

    @Test
    void every_xml_message_the_client_sends_is_well_formed_syncml() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
            @Override
            public void error(SAXParseException e) throws SAXParseException {
                throw e;
            }
        });
        for (TransportRequest r : richSession(true)) {
            assertThat(r.mediaType()).isEqualTo("application/vnd.syncml.dm+xml");
            Document doc = b.parse(new ByteArrayInputStream(r.body()));
            assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("SyncML");
            assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("SYNCML:SYNCML1.2");
        }
    }
}
