package org.cardinaldm.transport.http.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceAddressTest {
    private static final String PROXY = "10.0.0.5";
    private final SourceAddress xff = SourceAddress.of(List.of("10.0.0.0/24", "192.0.2.1"), "X-Forwarded-For");
    private final SourceAddress forwarded = SourceAddress.of(List.of("10.0.0.0/24"), "Forwarded");

    @Test
    void without_trusted_proxies_a_spoofed_header_is_ignored() {
        assertThat(SourceAddress.PEER_ONLY.resolve("198.51.100.7", List.of("203.0.113.1"))).isEqualTo("198.51.100.7");
    }

    @Test
    void from_an_untrusted_peer_a_spoofed_header_is_ignored() {
        assertThat(xff.resolve("198.51.100.7", List.of("203.0.113.1"))).isEqualTo("198.51.100.7");
        assertThat(forwarded.resolve("198.51.100.7", List.of("for=203.0.113.1"))).isEqualTo("198.51.100.7");
    }

    @Test
    void from_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_source() {
        // the client wrote "1.1.1.1" itself; the proxy appended the address it saw
        assertThat(xff.resolve(PROXY, List.of("1.1.1.1, 203.0.113.9"))).isEqualTo("203.0.113.9");
        // a chain of trusted proxies is walked through
        assertThat(xff.resolve(PROXY, List.of("1.1.1.1, 203.0.113.9, 192.0.2.1", "10.0.0.7"))).isEqualTo("203.0.113.9");
        // ports and IPv6 literals
        assertThat(xff.resolve(PROXY, List.of("203.0.113.9:5123"))).isEqualTo("203.0.113.9");
        assertThat(xff.resolve(PROXY, List.of("[2001:db8::9]:443"))).isEqualTo("2001:db8:0:0:0:0:0:9");
        assertThat(xff.resolve(PROXY, List.of("2001:db8::9"))).isEqualTo("2001:db8:0:0:0:0:0:9");
    }

    @Test
    void when_every_hop_is_trusted_the_furthest_is_the_source() {
        assertThat(xff.resolve(PROXY, List.of("10.0.0.9, 192.0.2.1"))).isEqualTo("10.0.0.9");
    }

    @Test
    void the_forwarded_header_is_read_by_its_for_parameter() {
        assertThat(forwarded.resolve(PROXY, List.of("for=1.1.1.1, for=203.0.113.9;proto=https;by=10.0.0.5")))
                .isEqualTo("203.0.113.9");
        assertThat(forwarded.resolve(PROXY, List.of("For=\"[2001:db8:cafe::17]:4711\""))).isEqualTo(
                "2001:db8:cafe:0:0:0:0:17");
    }

    @Test
    void only_the_configured_header_is_believed() {
        // the proxy writes X-Forwarded-For; a Forwarded header from the client passes through it unchanged
        assertThat(xff.header()).isEqualTo("X-Forwarded-For");
        assertThat(forwarded.resolve(PROXY, List.of())).isEqualTo(PROXY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "unknown", "203.0.113.9, ", "203.0.113.256", "1.2.3", "01.2.3.4.5",
            "203.0.113.9:99999", "[2001:db8::1", "2001:db8::g", "::ffff:1.2.3.4.5", "203.0.113.9 203.0.113.8",
            "localhost:80", "[evil.example]"})
    void a_malformed_x_forwarded_for_is_ignored_as_a_whole(String header) {
        assertThat(xff.resolve(PROXY, List.of(header))).isEqualTo(PROXY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"for=unknown", "for=_hidden", "proto=https", "for=1.1.1.1;for=2.2.2.2", "for",
            "for=\"evil.example\"", "203.0.113.9"})
    void a_malformed_forwarded_is_ignored_as_a_whole(String header) {
        assertThat(forwarded.resolve(PROXY, List.of(header))).isEqualTo(PROXY);
    }

    @Test
    void an_oversized_header_or_chain_is_ignored() {
        String many = String.join(",", java.util.Collections.nCopies(SourceAddress.MAX_HOPS + 1, "203.0.113.9"));
        assertThat(xff.resolve(PROXY, List.of(many))).isEqualTo(PROXY);
        String longOne = "203.0.113.9," + " ".repeat(SourceAddress.MAX_HEADER_CHARS) + "203.0.113.8";
        assertThat(xff.resolve(PROXY, List.of(longOne))).isEqualTo(PROXY);
    }

    @Test
    void peers_are_normalised_and_non_literals_passed_through() {
        assertThat(SourceAddress.PEER_ONLY.resolve("[::1]", List.of())).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(SourceAddress.PEER_ONLY.resolve("0:0:0:0:0:0:0:1", List.of())).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(SourceAddress.PEER_ONLY.resolve("::ffff:10.0.0.5", List.of())).isEqualTo("10.0.0.5");
        assertThat(SourceAddress.PEER_ONLY.resolve(null, List.of())).isNull();
        // an IPv4-mapped proxy address is the same proxy
        assertThat(xff.resolve("::ffff:10.0.0.5", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
    }

    @Test
    void literals_are_parsed_without_name_lookups() {
        assertThat(SourceAddress.literal("localhost")).isNull();
        assertThat(SourceAddress.literal("[localhost]")).isNull();
        assertThat(SourceAddress.literal("1.2.3.4")).isNotNull();
    }

    @Test
    void configuration_entries_must_be_addresses_or_blocks() {
        assertThatThrownBy(() -> SourceAddress.of(List.of("proxy.example"), "X-Forwarded-For"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxy.example");
        assertThatThrownBy(() -> SourceAddress.of(List.of("10.0.0.0/33"), "X-Forwarded-For"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SourceAddress.of(List.of("10.0.0.0/8"), "X-Real-IP"))
                .isInstanceOf(IllegalArgumentException.class);
        SourceAddress v6 = SourceAddress.of(List.of("2001:db8::/32", "10.0.0.0/9"), "x-forwarded-for");
        assertThat(v6.resolve("2001:db8:ffff::1", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(v6.resolve("2001:db9::1", List.of("203.0.113.9"))).isEqualTo("2001:db9:0:0:0:0:0:1");
        assertThat(v6.resolve("10.127.0.1", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(v6.resolve("10.128.0.1", List.of("203.0.113.9"))).isEqualTo("10.128.0.1");
    }
}
