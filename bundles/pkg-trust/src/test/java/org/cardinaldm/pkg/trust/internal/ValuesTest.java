package org.cardinaldm.pkg.trust.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.Refusal;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;
import org.junit.jupiter.api.Test;

import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;

/** The API's value types. */
class ValuesTest {
    private static final String H1 = "7fb1ea7ad6b51ecf2ba63cd7ab925adb9e73c59011c790f63216b01a170c23f0";

    @Test
    void value_types_follow_equals_and_hash_code() {
        EqualsVerifier.forClass(PackageVersion.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(TrustedSigners.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(PackageManifest.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(SignedManifest.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(Verification.class).suppress(Warning.NULL_FIELDS).verify();
    }

    @Test
    void versions_compare_by_their_numbers_with_missing_elements_as_zero() {
        assertThat(PackageVersion.parse("1.10").compareTo(PackageVersion.parse("1.9"))).isPositive();
        assertThat(PackageVersion.parse("1.4").compareTo(PackageVersion.parse("1.4.0"))).isZero();
        assertThat(PackageVersion.parse("1.4")).isNotEqualTo(PackageVersion.parse("1.4.0"));
        assertThat(PackageVersion.parse("2.1.0.beta").order()).containsExactly(2L, 1L, 0L);
        assertThat(PackageVersion.parse("3.0.0-SNAPSHOT").order()).containsExactly(3L, 0L);
        assertThatThrownBy(() -> PackageVersion.parse("beta")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PackageVersion.of("1", List.of(-1L))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PackageVersion.of("", List.of(1L))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trusted_signers_normalize_hex_and_refuse_anything_else() {
        TrustedSigners t = TrustedSigners.ofHex(H1.toUpperCase(), " " + H1 + " ");
        assertThat(t.sha256Hex()).containsExactly(H1);
        assertThat(t.contains(H1)).isTrue();
        assertThat(TrustedSigners.normalize("7F:B1:EA:7A:D6:B5:1E:CF:2B:A6:3C:D7:AB:92:5A:DB:9E:73:C5:90:11:C7:90:F6:32:16:B0:1A:17:0C:23:F0"))
                .isEqualTo(H1);
        assertThatThrownBy(() -> TrustedSigners.ofHex("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedSigners.ofHex(H1.replace('f', 'g'))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedSigners.ofDigests(List.of(new byte[31]))).isInstanceOf(IllegalArgumentException.class);
        assertThat(TrustedSigners.none().isEmpty()).isTrue();
    }

    @Test
    void manifests_check_their_fields() {
        byte[] sha = new byte[32];
        PackageManifest.Builder ok = PackageManifest.builder().kind(PackageKind.APPLICATION).name("n")
                .version(PackageVersion.parse("1")).deviceClass("d").payload(0, sha);
        assertThat(ok.build().isFor("d")).isTrue();
        assertThat(ok.build().isFor("e")).isFalse();
        assertThatThrownBy(() -> PackageManifest.builder().kind(PackageKind.FIRMWARE).name("n")
                .version(PackageVersion.parse("1")).deviceClass("*").payload(0, sha).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PackageManifest.builder().kind(PackageKind.APPLICATION).name("n")
                .version(PackageVersion.parse("1")).payload(0, sha).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PackageManifest.builder().kind(PackageKind.APPLICATION).name("bad\nname")
                .version(PackageVersion.parse("1")).deviceClass("d").payload(0, sha).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PackageManifest.builder().kind(PackageKind.APPLICATION).name("n")
                .version(PackageVersion.parse("1")).deviceClass("d").payload(0, new byte[20]).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifications_say_what_happened() {
        PackageManifest m = PackageManifest.builder().kind(PackageKind.APPLICATION).name("n")
                .version(PackageVersion.parse("1")).deviceClass("d").payload(0, new byte[32]).build();
        SignedManifest s = SignedManifest.of(m, H1, "CN=x", Instant.EPOCH, new byte[] {1});
        assertThat(Verification.accept(s).accepted()).isTrue();
        assertThat(Verification.accept(s).toString()).contains("accepted");
        Verification r = Verification.refuse(Refusal.BAD_SIGNATURE, "nope");
        assertThat(r.accepted()).isFalse();
        assertThat(r.manifest()).isEmpty();
        assertThat(r.toString()).contains("BAD_SIGNATURE", "nope");
        assertThat(PackageKind.ofCode(1)).isEqualTo(PackageKind.FIRMWARE);
        assertThatThrownBy(() -> PackageKind.ofCode(2)).isInstanceOf(IllegalArgumentException.class);
    }
}
