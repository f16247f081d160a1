package org.cardinaldm.syncml.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.auth.AuthType;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Meta;
import org.junit.jupiter.api.Test;

class CredentialsTest {
    private static final byte[] NONCE = "Nonce".getBytes(StandardCharsets.US_ASCII);

    @Test
    void md5_digest_reproduces_the_specification_example() {
        // OMA-TS-DM_Security / RepPro example, digest section 3.2: Bruce2 / OhBehave / "Nonce"
        assertThat(Credentials.md5Digest("Bruce2", "OhBehave", NONCE)).isEqualTo("Zz6EivR3yeaaENcRN6lpAQ==");
    }

    @Test
    void basic_cred_reproduces_the_specification_example() {
        Cred c = Credentials.basic("Bruce2", "OhBehave");
        assertThat(c.data().asText()).isEqualTo("QnJ1Y2UyOk9oQmVoYXZl");
        assertThat(c.meta().type()).isEqualTo("syncml:auth-basic");
        assertThat(c.meta().format()).isEqualTo("b64");
        assertThat(Credentials.parseBasic(c)).hasValueSatisfying(up -> {
            assertThat(up.user()).isEqualTo("Bruce2");
            assertThat(up.password()).isEqualTo("OhBehave");
            assertThat(up.toString()).doesNotContain("OhBehave");
        });
    }

    @Test
    void md5_cred_verifies_with_the_right_nonce_only() {
        Cred c = Credentials.md5("Bruce2", "OhBehave", NONCE);
        assertThat(c.meta().type()).isEqualTo(AuthType.MD5.metaType());
        assertThat(Credentials.verify(c, "Bruce2", "OhBehave", NONCE)).isTrue();
        assertThat(Credentials.verify(c, "Bruce2", "OhBehave", new byte[] {1, 2})).isFalse();
        assertThat(Credentials.verify(c, "Bruce2", "wrong", NONCE)).isFalse();
        assertThat(Credentials.verify(c, "Bruce3", "OhBehave", NONCE)).isFalse();
    }

    @Test
    void md5_verification_accepts_the_undecoded_nonce_as_a_fallback() {
        String nextNonce = Base64.getEncoder().encodeToString(new byte[] {9, 8, 7, 6});
        Cred madeWithText = Credentials.md5("u", "p", nextNonce.getBytes(StandardCharsets.UTF_8));
        Cred madeWithBytes = Credentials.md5("u", "p", Credentials.decodeNonce(nextNonce));
        byte[][] candidates = Credentials.nonceCandidates(nextNonce).toArray(new byte[0][]);
        assertThat(Credentials.verify(madeWithText, "u", "p", candidates)).isTrue();
        assertThat(Credentials.verify(madeWithBytes, "u", "p", candidates)).isTrue();
        assertThat(Credentials.nonceCandidates("not base64!")).hasSize(1);
    }

    @Test
    void basic_cred_verifies_and_rejects() {
        Cred c = Credentials.basic("Scts", "SampleClient");
        assertThat(c.data().asText()).isEqualTo("U2N0czpTYW1wbGVDbGllbnQ="); // as in the SCTS captures
        assertThat(Credentials.verify(c, "Scts", "SampleClient")).isTrue();
        assertThat(Credentials.verify(c, "Scts", "other")).isFalse();
    }

    @Test
    void unknown_or_undecodable_creds_are_refused() {
        Cred x509 = new Cred(Meta.of("b64", "syncml:auth-X509"), Data.text("abc"));
        assertThat(Credentials.verify(x509, "a", "b")).isFalse();
        assertThat(Credentials.parseBasic(x509)).isEmpty();
        Cred garbage = new Cred(Meta.of("b64", "syncml:auth-basic"), Data.text("%%%"));
        assertThat(Credentials.parseBasic(garbage)).isEmpty();
        Cred noColon = new Cred(null, Data.text(Base64.getEncoder().encodeToString("nocolon".getBytes())));
        assertThat(Credentials.parseBasic(noColon)).isEmpty();
    }

    @Test
    void cred_and_header_strings_never_show_secrets() {
        Cred c = Credentials.md5("Bruce2", "OhBehave", NONCE);
        assertThat(c.toString()).doesNotContain("Zz6EivR3yeaaENcRN6lpAQ==");
        HmacHeader h = HmacHeader.compute("Bruce2", "OhBehave", NONCE, new byte[0]);
        assertThat(h.toString()).doesNotContain(h.mac());
    }

    @Test
    void auth_type_is_matched_without_case() {
        assertThat(AuthType.fromMetaType("syncml:auth-mac")).contains(AuthType.HMAC);
        assertThat(AuthType.fromMetaType(" syncml:auth-md5 ")).contains(AuthType.MD5);
        assertThat(AuthType.fromMetaType("syncml:auth-X509")).isEmpty();
        assertThat(AuthType.fromMetaType(null)).isEmpty();
    }

    @Test
    void hmac_reproduces_the_digest_vector_and_round_trips_through_the_header() throws CodecException {
        byte[] body = "<SyncML xmlns=\"SYNCML:SYNCML1.2\"></SyncML>".getBytes(StandardCharsets.UTF_8);
        HmacHeader h = HmacHeader.compute("Bruce2", "OhBehave", NONCE, body);
        assertThat(h.mac()).isEqualTo("aSBvnDHzBa7JhdjeEEUR2g==");
        HmacHeader parsed = HmacHeader.parse(h.toHeaderValue());
        assertThat(parsed).isEqualTo(h);
        assertThat(parsed.verify("OhBehave", NONCE, body)).isTrue();
        assertThat(parsed.verify("OhBehave", NONCE, "<SyncML/>".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(parsed.verify("other", NONCE, body)).isFalse();
    }

    @Test
    void hmac_header_parser_tolerates_the_forms_seen_in_the_wild() throws CodecException {
        HmacHeader spec = HmacHeader.parse(
                "algorithm=MD5, username=\"Robert Jordan\", mac=NTI2OTJhMDAwNjYxODkwYmQ3NWUxN2RhN2ZmYmJlMzk");
        assertThat(spec.username()).isEqualTo("Robert Jordan");
        assertThat(spec.mac()).isEqualTo("NTI2OTJhMDAwNjYxODkwYmQ3NWUxN2RhN2ZmYmJlMzk");
        HmacHeader compact = HmacHeader.parse("algorithm=MD5,username=\"dev\",mac=abc=");
        assertThat(compact.mac()).isEqualTo("abc=");
        HmacHeader noAlgorithm = HmacHeader.parse(" USERNAME = dev , MAC = \"x/y+z==\" , extra=1");
        assertThat(noAlgorithm.algorithm()).isEqualTo("MD5");
        assertThat(noAlgorithm.username()).isEqualTo("dev");
        assertThat(noAlgorithm.mac()).isEqualTo("x/y+z==");
        assertThat(HmacHeader.parse("username=\"a\\\"b\", mac=m").username()).isEqualTo("a\"b");
    }

    @Test
    void hmac_header_without_mac_or_with_broken_quotes_is_rejected() {
        assertThatThrownBy(() -> HmacHeader.parse("algorithm=MD5, username=\"x\""))
                .isInstanceOfSatisfying(CodecException.class, e -> assertThat(e.error()).isEqualTo(CodecError.INCOMPLETE));
        assertThatThrownBy(() -> HmacHeader.parse("username=\"x, mac=y"))
                .isInstanceOfSatisfying(CodecException.class, e -> assertThat(e.error()).isEqualTo(CodecError.MALFORMED));
        assertThatThrownBy(() -> HmacHeader.parse("username"))
                .isInstanceOfSatisfying(CodecException.class, e -> assertThat(e.error()).isEqualTo(CodecError.MALFORMED));
    }

    @Test
    void hmac_with_another_algorithm_never_verifies() {
        byte[] body = {1, 2, 3};
        HmacHeader md5 = HmacHeader.compute("u", "p", NONCE, body);
        HmacHeader sha = new HmacHeader("SHA1", "u", md5.mac());
        assertThat(sha.verify("p", NONCE, body)).isFalse();
    }
}
