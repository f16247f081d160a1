package org.cardinaldm.smartcard.bootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.CardObject;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.FumoPolicy;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.model.XmlElement;
import org.junit.jupiter.api.Test;

/** What a card asks to be applied: ServerIDs read from the document, the key-only account, the fingerprint. */
class CardPlanTest {
    /** A card as last read; the credential operations are not used by plans. */
    record StaticCard(String cardId, Optional<byte[]> bootstrapDocument, CardPolicy policy,
            List<CardCredential> credentials) implements DmCard {
        @Override
        public String reader() {
            return "R";
        }

        @Override
        public byte[] atr() {
            return new byte[0];
        }

        @Override
        public String profileVersion() {
            return "1.0";
        }

        @Override
        public long changeCounter() {
            return 0;
        }

        @Override
        public Set<String> capabilities() {
            return Set.of();
        }

        @Override
        public Optional<FumoPolicy> fumoPolicy() {
            return Optional.empty();
        }

        @Override
        public long freeSpace() {
            return -1;
        }

        @Override
        public List<CardObject> pkcs15Objects() {
            return List.of();
        }

        @Override
        public byte[] readFile(String path) {
            return new byte[0];
        }

        @Override
        public byte[] computeDigest(String serverId, DigestType type, byte[] nonce, byte[] body) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean verifyServer(String serverId, DigestType type, byte[] nonce, byte[] body, byte[] digest) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void endDmSession() {
            throw new UnsupportedOperationException();
        }
    }

    private static byte[] xmlMessage(Item... items) throws Exception {
        SyncMessage.Builder b = SyncMessage.builder(SyncHeader.builder().sessionId("0").msgId("1").target("t")
                .source("s").build());
        for (Item i : items) {
            b.add(Add.of(b.nextCmdId(), i));
        }
        return SyncML.xml().encode(b.build());
    }

    private static Item leaf(String uri, String value) {
        return Item.builder().target(uri).meta(Meta.of("chr", "text/plain")).data(value).build();
    }

    @Test
    void server_ids_are_read_from_plain_adds_and_from_inline_tnds() throws Exception {
        byte[] plain = xmlMessage(Item.builder().target("./DMAcc/a").meta(Meta.of("node", null)).build(),
                leaf("./DMAcc/a/ServerID", "plain-server"), leaf("./Other/ServerID", "not-an-account"));
        byte[] tnds = TestServer.bootstrap(List.of(TestServer.of("tnds-1", "http://x/dm", "DIGEST"),
                TestServer.of("tnds-2", "http://x/dm", "HMAC")));

        CardPlan a = CardPlan.of(new StaticCard("AA", Optional.of(plain), CardPolicy.defaults(), List.of()), Map.of())
                .orElseThrow();
        CardPlan b = CardPlan.of(new StaticCard("AA", Optional.of(tnds), CardPolicy.defaults(), List.of()), Map.of())
                .orElseThrow();

        assertThat(a.kind()).isEqualTo(CardPlan.Kind.CARD_BOOTSTRAP);
        assertThat(a.mediaType()).isEqualTo(MediaTypes.DM_XML);
        assertThat(a.serverIds()).containsExactly("plain-server");
        assertThat(a.serverIdsComplete()).isTrue();
        assertThat(b.mediaType()).isEqualTo(MediaTypes.DM_WBXML);
        assertThat(b.serverIds()).containsExactly("tnds-1", "tnds-2");
        assertThat(b.serverIdsComplete()).isTrue();
    }

    @Test
    void an_account_item_that_cannot_be_inspected_makes_the_plan_incomplete() throws Exception {
        byte[] odd = xmlMessage(Item.builder().target("./DMAcc").meta(Meta.of("xml", "application/x-unknown"))
                .data(Data.xml(XmlElement.text("urn:x", "Mystery", "?"))).build());
        byte[] garbage = {1, 2, 3};

        assertThat(CardPlan.of(new StaticCard("AA", Optional.of(odd), CardPolicy.defaults(), List.of()), Map.of())
                .orElseThrow().serverIdsComplete()).isFalse();
        assertThat(CardPlan.of(new StaticCard("AA", Optional.of(garbage), CardPolicy.defaults(), List.of()), Map.of())
                .orElseThrow().serverIdsComplete()).isFalse();
    }

    @Test
    void the_fingerprint_follows_the_document_and_the_policy() throws Exception {
        byte[] doc = TestServer.bootstrap(List.of(TestServer.of("s", "http://x/dm", "DIGEST")));
        byte[] other = TestServer.bootstrap(List.of(TestServer.of("s", "http://y/dm", "DIGEST")));
        CardPolicy p = CardPolicy.of(true, false, List.of("s"));

        String f = CardPlan.of(new StaticCard("AA", Optional.of(doc), p, List.of()), Map.of()).orElseThrow().fingerprint();

        assertThat(CardPlan.of(new StaticCard("BB", Optional.of(doc), p, List.of()), Map.of()).orElseThrow()
                .fingerprint()).as("same content on another card").isEqualTo(f);
        assertThat(CardPlan.of(new StaticCard("AA", Optional.of(other), p, List.of()), Map.of()).orElseThrow()
                .fingerprint()).isNotEqualTo(f);
        assertThat(CardPlan.of(new StaticCard("AA", Optional.of(doc), CardPolicy.of(true, true, List.of("s")), List.of()),
                Map.of()).orElseThrow().fingerprint()).isNotEqualTo(f);
    }

    @Test
    void a_key_only_card_gets_one_account_per_allowed_server_with_an_address_and_no_secret() throws Exception {
        Set<DigestType> hmacOnly = EnumSet.of(DigestType.HMAC);
        List<CardCredential> creds = List.of(
                CardCredential.of("dms.example.com", CardCredential.Level.CLIENT, "dev", 2, hmacOnly),
                CardCredential.of("dms.example.com", CardCredential.Level.SERVER, "srv", 3, hmacOnly),
                CardCredential.of("not-allowed", CardCredential.Level.CLIENT, "dev", 4, hmacOnly),
                CardCredential.of("no-address", CardCredential.Level.CLIENT, "dev", 5, hmacOnly),
                CardCredential.of("server-key-only", CardCredential.Level.SERVER, "srv", 6, hmacOnly));
        StaticCard card = new StaticCard("98940000000000001234", Optional.empty(),
                CardPolicy.of(false, true, List.of("dms.example.com", "no-address", "server-key-only")), creds);

        CardPlan plan = CardPlan.of(card, Map.of("dms.example.com", "https://dms.example.com/dm")).orElseThrow();

        assertThat(plan.kind()).isEqualTo(CardPlan.Kind.KEY_ONLY);
        assertThat(plan.serverIds()).containsExactly("dms.example.com");
        assertThat(plan.skipped()).hasSize(2).anyMatch(s -> s.startsWith("not-allowed"))
                .anyMatch(s -> s.startsWith("no-address"));
        String xml = new String(plan.document(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(xml).contains("./DMAcc/SC-00001234-dms.example.com/AppAddr/Primary/Addr")
                .contains("https://dms.example.com/dm").contains("HMAC").contains("SRVCRED")
                .doesNotContain("AAuthSecret");
        assertThat(SyncML.decode(plan.document()).commands()).isNotEmpty();
        assertThat(CardPlan.of(card, Map.of())).as("no address at all").isEmpty();
        assertThat(CardPlan.skippedFor(card, Map.of())).hasSize(3);
    }

    @Test
    void key_only_account_names_keep_only_safe_characters() {
        assertThat(CardPlan.accountName("989400000000000010F2", "dms/ex ample:1")).isEqualTo("SC-000010F2-dms_ex_ample_1");
        assertThat(CardPlan.accountName("AB", "s")).isEqualTo("SC-AB-s");
    }
}
