package org.cardinaldm.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.EnumSet;
import java.util.Set;

import nl.jqno.equalsverifier.EqualsVerifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The ?list= forms (digest 5.6): Struct, StructData, TNDS with include or exclude lists. */
class ListFormTest {

    @Test
    void struct_carries_format_and_type_without_values() throws DmException {
        ListForm f = ListForm.parse("Struct");

        assertThat(f.kind()).isEqualTo(ListForm.Kind.STRUCT);
        assertThat(f.properties()).containsExactly(Property.FORMAT, Property.TYPE);
        assertThat(f.values()).isFalse();
        assertThat(f).isSameAs(ListForm.struct());
    }

    @Test
    void struct_data_adds_the_values() throws DmException {
        ListForm f = ListForm.parse("StructData");

        assertThat(f.kind()).isEqualTo(ListForm.Kind.STRUCT_DATA);
        assertThat(f.values()).isTrue();
        assertThat(f.includes(Property.ACL)).isFalse();
    }

    @Test
    void bare_tnds_includes_every_property_and_the_values() throws DmException {
        ListForm f = ListForm.parse("TNDS");

        assertThat(f.properties()).containsExactlyInAnyOrder(Property.values());
        assertThat(f.values()).isTrue();
    }

    @Test
    void include_list_names_exactly_what_is_carried() throws DmException {
        ListForm f = ListForm.parse("TNDS+ACL+Value+Format");

        assertThat(f.kind()).isEqualTo(ListForm.Kind.TNDS);
        assertThat(f.properties()).containsExactly(Property.ACL, Property.FORMAT);
        assertThat(f.values()).isTrue();
        assertThat(f).hasToString("TNDS+ACL+Value+Format");
    }

    @Test
    void include_list_without_value_leaves_the_values_out() throws DmException {
        assertThat(ListForm.parse("TNDS+ACL").values()).isFalse();
    }

    @Test
    void exclude_list_names_what_is_left_out() throws DmException {
        ListForm f = ListForm.parse("TNDS-Format-Value");

        assertThat(f.properties()).doesNotContain(Property.FORMAT).contains(Property.ACL, Property.TYPE, Property.VERNO);
        assertThat(f.values()).isFalse();
        assertThat(ListForm.parse("TNDS-ACL").values()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"struct", "TNDS+", "TNDS-", "TNDS+ACL-Format", "TNDS-ACL+Value", "TNDS+Acl", "TNDS+ACL++Type",
            "TNDSX", "DDF", "TNDS*ACL", "Struct+ACL"})
    void other_forms_are_406(String text) {
        DmException e = catchThrowableOfType(DmException.class, () -> ListForm.parse(text));

        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED);
    }

    @Test
    void an_exclude_list_that_leaves_nothing_is_406() {
        StringBuilder all = new StringBuilder("TNDS");
        for (Property p : Property.values()) {
            all.append('-').append(p.token());
        }
        all.append("-Value");

        DmException e = catchThrowableOfType(DmException.class, () -> ListForm.parse(all.toString()));
        assertThat(e.status()).isEqualTo(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED);
    }

    @Test
    void a_long_unknown_form_is_not_echoed_whole() {
        String huge = "TNDS+" + "X".repeat(10_000);

        DmException e = catchThrowableOfType(DmException.class, () -> ListForm.parse(huge));
        assertThat(e.getMessage().length()).isLessThan(200);
    }

    @Test
    void tnds_factory_writes_an_include_list_and_parses_back() throws DmException {
        ListForm f = ListForm.tnds(EnumSet.of(Property.TYPE, Property.ACL), true);

        assertThat(f).hasToString("TNDS+ACL+Type+Value");
        assertThat(ListForm.parse(f.toString())).isEqualTo(f);
        assertThat(ListForm.tnds(EnumSet.allOf(Property.class), true)).isSameAs(ListForm.tnds());
        assertThatThrownBy(() -> ListForm.tnds(Set.of(), false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equal_forms_are_equal_however_written() throws DmException {
        assertThat(ListForm.parse("TNDS+ACL+Type")).isEqualTo(ListForm.parse("TNDS+Type+ACL"));
        EqualsVerifier.forClass(ListForm.class).withNonnullFields("kind", "properties").withIgnoredFields("text")
                .verify();
    }
}
