package org.cardinaldm.syncml.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Sequence;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.cardinaldm.syncml.api.model.XmlElement;
import org.cardinaldm.syncml.api.model.XmlOpaque;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.RtProperties;
import org.cardinaldm.syncml.api.tnds.TndsNode;
import org.junit.jupiter.api.Test;

import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;

class ModelTest {
    private static SyncHeader header() {
        return SyncHeader.builder().sessionId(0x1234).msgId("1").target("http://dm.example.com")
                .source(Location.of("IMEI:493005100592800", "user")).build();
    }

    @Test
    void builder_numbers_commands_and_writes_the_package_one_of_the_spec() throws Exception {
        SyncMessage.Builder b = SyncMessage.builder(header().toBuilder()
                .cred(Credentials.basic("Bruce2", "OhBehave")).meta(Meta.builder().maxMsgSize(5000L).build()).build());
        b.add(Alert.of(b.nextCmdId(), AlertCodes.SERVER_INITIATED_MGMT));
        b.add(Replace.of(b.nextCmdId(), Item.builder().source("./DevInfo/DevId").meta(Meta.of("chr", "text/plain"))
                .data("IMEI:493005100592800").build()));
        SyncMessage m = b.build();
        assertThat(m.commands()).extracting(c -> c.cmdId()).containsExactly("1", "2");
        assertThat(m.isFinal()).isTrue();
        assertThat(m.header().sessionId()).isEqualTo("1234");
        String xml = new String(SyncML.xml().encode(m), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><SyncML xmlns=\"SYNCML:SYNCML1.2\">"
                + "<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1234</SessionID><MsgID>1</MsgID>")
                .contains("<Cred><Meta><Format xmlns=\"syncml:metinf\">b64</Format><Type xmlns=\"syncml:metinf\">"
                        + "syncml:auth-basic</Type></Meta><Data>QnJ1Y2UyOk9oQmVoYXZl</Data></Cred>")
                .contains("<Meta><MaxMsgSize xmlns=\"syncml:metinf\">5000</MaxMsgSize></Meta></SyncHdr>")
                .endsWith("<Final/></SyncBody></SyncML>");
    }

    @Test
    void invalid_messages_are_hard_to_build() {
        assertThatThrownBy(() -> Add.of("1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Item");
        assertThatThrownBy(() -> Get.of("", Item.target("./a"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Atomic.of("1")).isInstanceOf(IllegalArgumentException.class);
        Status s = Status.builder().cmdId("1").msgRef("1").answeringHeader().code(StatusCodes.OK).build();
        assertThatThrownBy(() -> Sequence.of("2", s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Status");
        assertThatThrownBy(() -> Status.builder().cmdId("1").msgRef("1").build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Results.of("1", "1", "2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyncHeader.builder().msgId("1").target("a").source("b").build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("SessionID");
        assertThatThrownBy(() -> SyncHeader.builder().sessionId(0x10000)).isInstanceOf(IllegalArgumentException.class);
        SyncMessage.Builder b = SyncMessage.builder(header());
        b.add(Get.of("1", Item.target("./a"))).add(Atomic.of("2", Get.of("1", Item.target("./b"))));
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate CmdID 1");
        assertThatThrownBy(() -> new TndsNode("a", null, null, Data.text("v"), List.of(TndsNode.leaf("b", null, "x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtProperties.leaf("not a name", "text/plain"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Data.xml()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void status_answers_a_command_and_the_header() {
        Get get = Get.of("7", Item.target("./DevInfo/Mod"));
        Status s = Status.of("3", "2", get, StatusCodes.NOT_FOUND);
        assertThat(s.cmdRef()).isEqualTo("7");
        assertThat(s.cmd()).isEqualTo("Get");
        Status h = Status.builder().cmdId("1").msgRef("1").answeringHeader().code(StatusCodes.INVALID_CREDENTIALS)
                .chal(new Chal(Meta.builder().type("syncml:auth-md5").format("b64").nextNonce("AAAA").build())).build();
        assertThat(h.cmdRef()).isEqualTo("0");
        assertThat(h.cmd()).isEqualTo(Status.SYNC_HDR);
        assertThat(h.chal().toString()).doesNotContain("AAAA");
        assertThat(StatusCodes.name(425)).isEqualTo("Permission denied");
        assertThat(StatusCodes.name(999)).isEqualTo("Status 999");
        assertThat(StatusCodes.isSuccess(212)).isTrue();
        assertThat(AlertCodes.name(1226)).isEqualTo("GENERIC ALERT");
        assertThat(AlertCodes.isUserInteraction(1103)).isTrue();
        assertThat(AlertCodes.isUserInteraction(1200)).isFalse();
        assertThat(Exec.of("1", Item.target("./x")).withCorrelator("c").correlator()).isEqualTo("c");
    }

    @Test
    void user_interaction_kinds_map_to_and_from_their_alert_codes() {
        assertThat(UiAlertKind.CONFIRM.code()).isEqualTo(AlertCodes.CONFIRM_OR_REJECT);
        for (UiAlertKind k : UiAlertKind.values()) {
            assertThat(UiAlertKind.ofCode(k.code())).contains(k);
            assertThat(AlertCodes.isUserInteraction(k.code())).isTrue();
        }
        assertThat(UiAlertKind.ofCode(1099)).isEmpty();
        assertThat(UiAlertKind.ofCode(AlertCodes.GENERIC_ALERT)).isEmpty();
        assertThat(UiAlertKind.ofCode(1105)).isEmpty();
        assertThat(UiAlertKind.SINGLE_CHOICE.isChoice()).isTrue();
        assertThat(UiAlertKind.MULTIPLE_CHOICE.isChoice()).isTrue();
        assertThat(UiAlertKind.CONFIRM.isChoice()).isFalse();
        assertThat(UiAlertKind.TEXT_INPUT.isChoice()).isFalse();
    }

    @Test
    void data_views_convert_between_text_and_bytes() {
        assertThat(Data.text("é").asBytes()).containsExactly(0xC3, 0xA9);
        assertThat(Data.bytes(new byte[] {(byte) 0xC3, (byte) 0xA9}).asText()).isEqualTo("é");
        byte[] b = {1, 2};
        Data d = Data.bytes(b);
        b[0] = 9;
        assertThat(d.asBytes()).containsExactly(1, 2);
        assertThat(d.toString()).isEqualTo("Binary[2 bytes]");
    }

    @Test
    void tnds_model_converts_to_and_from_elements() throws Exception {
        MgmtTree t = MgmtTree.of(TndsNode.interior("E-Mail", RtProperties.interior("com.operatorX.dm/1.0/EMail"),
                TndsNode.leaf("POPServer", RtProperties.leaf("chr", "text/plain").withAcl("Get=*"), "mail.example.com"))
                .withPath("./Vendor"));
        XmlElement e = t.toXml();
        assertThat(e.name()).isEqualTo("MgmtTree");
        assertThat(MgmtTree.fromXml(e)).isEqualTo(t);
        assertThatThrownBy(() -> MgmtTree.fromXml(XmlElement.of("syncml:dmddf1.2", "MgmtTree")))
                .hasMessageContaining("VerDTD");
        assertThatThrownBy(() -> MgmtTree.fromXml(XmlElement.of("syncml:devinf", "DevInf")))
                .hasMessageContaining("not a TNDS MgmtTree");
    }

    @Test
    void value_types_honour_equals_and_hash_code() {
        // records check their mandatory fields in the constructor, so null fields cannot be built
        EqualsVerifier.forClass(Location.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(Item.class).verify();
        EqualsVerifier.forClass(Data.Text.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(Data.Binary.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(XmlOpaque.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(org.cardinaldm.syncml.api.model.Anchor.class).verify();
        EqualsVerifier.forClass(org.cardinaldm.syncml.api.notification.Notification.class)
                .suppress(Warning.NULL_FIELDS).verify();
    }
}
