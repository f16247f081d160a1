package org.cardinaldm.mo.diag.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretMaskerTest {
    private static String mask(String s) {
        return SecretMasker.mask(s);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "login failed: password=hunter2 for srv1|login failed: password=*** for srv1",
        "user=bob&passwd=abc&x=1|user=bob&passwd=***&x=1",
        "AAuthSecret: s3cr3t, retrying|AAuthSecret: ***, retrying",
        "clientSecret = 'two words' ok|clientSecret = *** ok",
        "token=\"a b c\" expired|token=*** expired",
        "server_nonce:Zm9vYmFy|server_nonce:***",
        "apiKey=abc;next|apiKey=***;next",
        "PIN 1234 rejected|PIN *** rejected",
        "password hunter2 rejected|password *** rejected",
        "secret s3cret-value|secret ***",
        "SECRET=Top|SECRET=***",
    })
    void named_secrets_lose_their_values(String in, String out) {
        assertThat(mask(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MAC key 00112233445566778899aabbccddeeff loaded|MAC key *** loaded",
        "digest=DEADBEEFCAFEBABE0123|digest=***",
        "nonce 5f4dcc3b5aa765d6 in the header|nonce *** in the header",
        "sent deadbeefcafebabe|sent ***",
        "blob dGhpcyBpcyBhIHNlY3JldCBrZXkh== end|blob *** end",
        "url-safe aGVsbG8td29ybGQtMTIzNDU2Nzg5MA_x|url-safe ***",
        "with slash q83vEjRWeJq8/3ASNFZ4mrze8BI0VniavN7w end|with slash *** end",
        "plus and slash ab/cdEF+gh12ijklmnopqrst|plus and slash ***",
    })
    void long_hex_and_base64_runs_are_masked(String in, String out) {
        assertThat(mask(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Wrong password for server srv1",
        "PIN verification failed, 2 tries left",
        "Loaded key store from /etc/cardinal",
        "ICCID 89490200001234567890 inserted",
        "IMEI:356938035643809",
        "Session 123e4567-e89b-12d3-a456-426614174000 ended",
        "org.cardinaldm.smartcard.internal.ManagementObjectPluginRegistry started",
        "ATR 3B8F8001 short",
        "Timestamp 1795816800000",
        "HelloWorldManagementObjectPlugin",
        "Got 404 for ./DiagMon/Log/Entries/7",
        "Replace ./DMAcc/Srv1/AppAuth/Client/AAuthName done",
    })
    void ordinary_text_is_left_alone(String in) {
        assertThat(mask(in)).isEqualTo(in);
    }

    @Test
    void null_and_empty_give_empty() {
        assertThat(mask(null)).isEmpty();
        assertThat(mask("")).isEmpty();
    }

    @Test
    void several_secrets_in_one_line_are_all_masked() {
        String in = "password=a1 token=b2 key 0123456789abcdef0123 done";
        assertThat(mask(in)).isEqualTo("password=*** token=*** key *** done")
                .doesNotContain("a1").doesNotContain("b2").doesNotContain("0123456789abcdef");
    }
}
