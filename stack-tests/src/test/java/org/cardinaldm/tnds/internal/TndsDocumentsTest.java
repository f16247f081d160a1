package org.cardinaldm.tnds.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.store.mvstore.internal.MvTreeStore;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** TNDS documents end to end: the real tree engine on the real MVStore store, XML and WBXML. */
class TndsDocumentsTest {
    @TempDir
    Path dir;

    private MvTreeStore store;
    private DmTreeImpl tree;
    private TndsDocumentsImpl docs;
    private TreeAccess srv;

    static <T> T config(Class<T> type, Map<String, ?> values) {
        return Converters.standardConverter().convert(new HashMap<>(values)).to(type);
    }

    private DmTreeImpl newTree(String file) {
        store = new MvTreeStore(config(MvTreeStore.Config.class, Map.of("file", dir.resolve(file).toString(),
                "sync.on.commit", false)));
        return new DmTreeImpl(store, config(DmTreeImpl.Config.class, Map.of("root.acl", "Add=*&Get=*&Replace=*&Delete=*")));
    }

    @BeforeEach
    void start() throws DmException {
        tree = newTree("a.mv");
        docs = new TndsDocumentsImpl(tree, config(TndsDocumentsImpl.Config.class, Map.of()));
        srv = tree.as(Principal.server("srv"));
        srv.add(NodeUri.of("./Mail/Server"), NodeValue.ofString("mail.example.com & co"));
        srv.add(NodeUri.of("./Mail/Port"), NodeValue.ofInt(993));
        srv.add(NodeUri.of("./Mail/Key"), NodeValue.ofBinary(new byte[] {1, (byte) 0xfe}, "application/octet-stream"));
        srv.setProperty(NodeUri.of("./Mail"), Property.ACL, "Get=*&Replace=srv&Delete=srv&Add=srv");
        srv.setProperty(NodeUri.of("./Mail"), Property.TITLE, "E-mail");
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void an_xml_export_is_a_tnds_document_with_acls_and_values() throws DmException {
        String xml = new String(docs.export(srv, NodeUri.of("./Mail"), ListForm.tnds(), TndsDocuments.XML),
                StandardCharsets.UTF_8);

        assertThat(xml).contains("<MgmtTree xmlns=\"syncml:dmddf1.2\"").contains("<VerDTD>1.2</VerDTD>")
                .contains("<NodeName>Mail</NodeName>").contains("<Path>.</Path>")
                .contains("<ACL>Add=srv&amp;Delete=srv&amp;Get=*&amp;Replace=srv</ACL>")
                .contains("<Title>E-mail</Title>").contains("<Value>mail.example.com &amp; co</Value>")
                .contains("<Value>993</Value>").contains("<int/>").contains("<Value>Af4=</Value>");
    }

    @Test
    void an_export_added_to_another_tree_recreates_the_subtree_in_both_encodings() throws DmException {
        for (String type : docs.mediaTypes()) {
            byte[] doc = docs.export(srv, NodeUri.of("./Mail"), ListForm.tnds(), type);
            MvTreeStore first = store;
            DmTreeImpl other = newTree("b-" + type.hashCode() + ".mv");
            TndsDocumentsImpl otherDocs = new TndsDocumentsImpl(other, config(TndsDocumentsImpl.Config.class, Map.of()));
            TreeAccess otherSrv = other.as(Principal.server("srv"));

            otherDocs.add(otherSrv, NodeUri.root(), doc, type);

            assertThat(otherSrv.get(NodeUri.of("./Mail/Server")).asString()).isEqualTo("mail.example.com & co");
            assertThat(otherSrv.get(NodeUri.of("./Mail/Port"))).isEqualTo(NodeValue.ofInt(993));
            assertThat(otherSrv.get(NodeUri.of("./Mail/Key")).data()).containsExactly(1, 0xfe);
            assertThat(otherSrv.getProperty(NodeUri.of("./Mail"), Property.ACL))
                    .isEqualTo("Add=srv&Delete=srv&Get=*&Replace=srv");
            assertThat(otherSrv.getProperty(NodeUri.of("./Mail"), Property.TITLE)).isEqualTo("E-mail");
            store.close();
            store = first;
        }
    }

    @Test
    void a_replace_with_an_older_export_restores_it() throws DmException {
        byte[] before = docs.export(srv, NodeUri.of("./Mail"), ListForm.tnds(), TndsDocuments.WBXML);
        srv.add(NodeUri.of("./Mail/Added"), NodeValue.ofString("x"));
        srv.replace(NodeUri.of("./Mail/Port"), NodeValue.ofInt(1));

        docs.replace(srv, NodeUri.root(), before, "application/vnd.syncml.dmtnds+wbxml; charset=utf-8");

        assertThat(srv.children(NodeUri.of("./Mail"))).containsExactlyInAnyOrder("Key", "Port", "Server");
        assertThat(srv.get(NodeUri.of("./Mail/Port"))).isEqualTo(NodeValue.ofInt(993));
    }

    @Test
    void the_document_is_all_or_nothing_with_one_status() throws DmException {
        byte[] doc = docs.export(srv, NodeUri.of("./Mail"), ListForm.tnds(), TndsDocuments.XML);

        DmException e = catchThrowableOfType(DmException.class,
                () -> docs.add(srv, NodeUri.root(), doc, TndsDocuments.XML));

        assertThat(e.status()).isEqualTo(StatusCode.ALREADY_EXISTS);
    }

    @Test
    void other_media_types_are_415_malformed_documents_400_and_non_tnds_forms_406() {
        byte[] xml = "<MgmtTree xmlns='syncml:dmddf1.2'><VerDTD>1.2</VerDTD><Node><NodeName>A</NodeName></Node></MgmtTree>"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(status(() -> docs.add(srv, NodeUri.root(), xml, "text/xml"))).isEqualTo(StatusCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(status(() -> docs.export(srv, NodeUri.root(), ListForm.tnds(), "application/json")))
                .isEqualTo(StatusCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(status(() -> docs.add(srv, NodeUri.root(), "<MgmtTree><Node>".getBytes(StandardCharsets.UTF_8),
                TndsDocuments.XML))).isEqualTo(StatusCode.BAD_REQUEST);
        assertThat(status(() -> docs.add(srv, NodeUri.root(), "<Other/>".getBytes(StandardCharsets.UTF_8),
                TndsDocuments.XML))).isEqualTo(StatusCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(status(() -> docs.export(srv, NodeUri.root(), ListForm.struct(), TndsDocuments.XML)))
                .isEqualTo(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED);
    }

    @Test
    void an_xml_document_with_a_dtd_or_entity_is_refused() throws DmException {
        byte[] xxe = ("<?xml version='1.0'?><!DOCTYPE MgmtTree [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<MgmtTree xmlns='syncml:dmddf1.2'><VerDTD>1.2</VerDTD><Node><NodeName>A</NodeName>"
                + "<Value>&x;</Value></Node></MgmtTree>").getBytes(StandardCharsets.UTF_8);

        StatusCode s = status(() -> docs.add(srv, NodeUri.root(), xxe, TndsDocuments.XML));

        assertThat(s.isSuccess()).isFalse();
        assertThat(srv.exists(NodeUri.of("./A"))).isFalse();
    }

    @Test
    void a_document_over_the_configured_size_is_413() throws DmException {
        TndsDocumentsImpl small = new TndsDocumentsImpl(tree,
                config(TndsDocumentsImpl.Config.class, Map.of("max.elements", 5)));
        byte[] doc = docs.export(srv, NodeUri.of("./Mail"), ListForm.tnds(), TndsDocuments.XML);

        assertThat(status(() -> small.add(srv, NodeUri.of("./Copy"), doc, TndsDocuments.XML)))
                .isEqualTo(StatusCode.REQUEST_ENTITY_TOO_LARGE);
    }

    private interface Call {
        void run() throws Exception;
    }

    private static StatusCode status(Call call) {
        DmException e = catchThrowableOfType(DmException.class, call::run);
        assertThat(e).as("refused with a DmException").isNotNull();
        return e.status();
    }

}
