package org.cardinaldm.mo.scomo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.PatternSyntaxException;

import org.cardinaldm.api.NodeUri;
import org.junit.jupiter.api.Test;

class InventoryTest {
    private static BundleFacts b(long id, String bsn) {
        return new BundleFacts(id, bsn, null, "1.0.0", null, false);
    }

    @Test
    void a_plain_symbolic_name_is_the_node_name() {
        assertThat(Inventory.sanitise("com.acme.router-ui_2")).isEqualTo("com.acme.router-ui_2");
    }

    @Test
    void characters_outside_letters_digits_dot_underscore_and_hyphen_become_underscores() {
        assertThat(Inventory.sanitise("com/acme app?x#y%20é~")).isEqualTo("com_acme_app_x_y_20__");
        assertThat(Inventory.sanitise(" padded ")).isEqualTo("padded");
    }

    @Test
    void every_sanitised_name_is_a_valid_single_dm_segment() {
        for (String bsn : List.of("a/b/c", "..", ".", "x y", "?list=Struct", "a+b&c=d", "%2F", "日本語")) {
            String name = Inventory.sanitise(bsn);
            assertThat(name).as(bsn).doesNotContain("/").isNotEmpty();
            NodeUri uri = NodeUri.of("./SCOMO/Inventory/Deployed").child(name);
            assertThat(uri.name()).as(bsn).isEqualTo(name);
            assertThat(NodeUri.isValid(uri.toString())).as(bsn).isTrue();
        }
    }

    @Test
    void dots_only_and_missing_names_become_bundle() {
        assertThat(Inventory.sanitise(".")).isEqualTo("bundle");
        assertThat(Inventory.sanitise("..")).isEqualTo("bundle");
        assertThat(Inventory.sanitise(null)).isEqualTo("bundle");
    }

    @Test
    void long_names_are_cut_to_64_characters() {
        String name = Inventory.sanitise("a".repeat(200));
        assertThat(name).hasSize(Inventory.MAX_NAME).isEqualTo("a".repeat(64));
    }

    @Test
    void colliding_names_keep_the_plain_name_for_the_lowest_bundle_id_and_suffix_the_others() {
        Inventory inv = Inventory.of(List.of(b(9, "com.acme.app"), b(4, "com.acme.app"), b(7, "com acme.app"),
                b(5, "com_acme.app")), Inventory.Filter.ALL);
        assertThat(inv.names()).containsExactly("com.acme.app", "com_acme.app", "com_acme.app~7", "com.acme.app~9");
        assertThat(inv.get("com.acme.app").bundleId()).isEqualTo(4);
        assertThat(inv.get("com.acme.app~9").bundleId()).isEqualTo(9);
        assertThat(inv.get("com_acme.app~7").bundleId()).isEqualTo(7);
    }

    @Test
    void a_suffixed_name_never_collides_with_a_plain_one() {
        // "x~3" cannot come out of sanitising, so the bundle named like a suffix keeps a distinct name
        Inventory inv = Inventory.of(List.of(b(1, "x"), b(3, "x"), b(4, "x~3")), Inventory.Filter.ALL);
        assertThat(inv.names()).containsExactly("x", "x~3", "x_3").doesNotHaveDuplicates();
    }

    @Test
    void names_are_stable_when_other_bundles_come_and_go() {
        Inventory before = Inventory.of(List.of(b(2, "a"), b(3, "b")), Inventory.Filter.ALL);
        Inventory after = Inventory.of(List.of(b(1, "z"), b(3, "b"), b(8, "c")), Inventory.Filter.ALL);
        assertThat(before.get("b").bundleId()).isEqualTo(3);
        assertThat(after.get("b").bundleId()).isEqualTo(3);
    }

    @Test
    void a_bundle_without_symbolic_name_has_an_id_from_its_bundle_id() {
        Inventory inv = Inventory.of(List.of(b(12, null), b(13, null)), Inventory.Filter.ALL);
        assertThat(inv.names()).containsExactly("bundle", "bundle~13");
        assertThat(inv.get("bundle").id()).isEqualTo("bundle:12");
        assertThat(inv.get("bundle").displayName()).isEqualTo("bundle:12");
    }

    @Test
    void include_and_exclude_are_whole_matches_on_the_id() {
        List<BundleFacts> all = List.of(b(1, "com.acme.a"), b(2, "com.acme.b"), b(3, "org.other"),
                b(4, "xcom.acme.c"));
        assertThat(Inventory.of(all, Inventory.Filter.of("com\\.acme\\..*", "")).names())
                .containsExactly("com.acme.a", "com.acme.b");
        assertThat(Inventory.of(all, Inventory.Filter.of("", "com\\.acme\\.b|org\\..*")).names())
                .containsExactly("com.acme.a", "xcom.acme.c");
        assertThat(Inventory.of(all, Inventory.Filter.of("com\\.acme\\..*", "com\\.acme\\.a")).names())
                .containsExactly("com.acme.b");
        assertThat(Inventory.of(all, Inventory.Filter.of("acme", "")).names()).isEmpty();
        assertThat(Inventory.of(all, Inventory.Filter.of(null, null)).names()).hasSize(4);
    }

    @Test
    void the_empty_filter_lists_nothing_and_an_invalid_pattern_is_refused() {
        assertThat(Inventory.of(List.of(b(1, "a")), Inventory.Filter.NONE).names()).isEmpty();
        assertThatThrownBy(() -> Inventory.Filter.of("com.(acme", "")).isInstanceOf(PatternSyntaxException.class);
        assertThatThrownBy(() -> Inventory.Filter.of("", "*")).isInstanceOf(PatternSyntaxException.class);
    }
}
