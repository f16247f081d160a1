package org.cardinaldm.smartcard.pcsc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import javax.smartcardio.CardException;

import org.cardinaldm.smartcard.api.SmartCardException.Code;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** Error mapping and configuration checks; no pcscd needed. */
class PcscErrorsTest {
    /** Stands in for the JDK's internal PCSCException, whose message is the PC/SC error name. */
    private static Exception pcsc(String name) {
        return new CardException("transmit() failed", new Exception(name));
    }

    @ParameterizedTest
    @CsvSource({
        "SCARD_W_REMOVED_CARD, false, CARD_REMOVED", "SCARD_W_REMOVED_CARD, true, CARD_ABSENT",
        "SCARD_E_NO_SMARTCARD, true, CARD_ABSENT", "SCARD_W_RESET_CARD, false, CARD_RESET",
        "SCARD_E_UNKNOWN_READER, true, READER_ABSENT", "SCARD_E_READER_UNAVAILABLE, false, READER_ABSENT",
        "SCARD_E_SHARING_VIOLATION, true, READER_BUSY", "SCARD_E_NO_SERVICE, false, IO_ERROR",
        "SCARD_F_INTERNAL_ERROR, false, IO_ERROR",
    })
    void pcsc_errors_get_their_code(String name, boolean connecting, Code code) {
        var e = PcscErrors.map(pcsc(name), "transmit", connecting);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).isEqualTo("transmit failed (" + name + ")");
    }

    @Test
    void a_disconnected_card_is_a_removed_card_and_the_daemon_going_away_is_recognised() {
        assertThat(PcscErrors.map(new IllegalStateException("Card has been disconnected"), "x", false).code())
                .isEqualTo(Code.CARD_REMOVED);
        assertThat(PcscErrors.serviceGone(pcsc("SCARD_E_NO_SERVICE"))).isTrue();
        assertThat(PcscErrors.serviceGone(pcsc("SCARD_E_SERVICE_STOPPED"))).isTrue();
        assertThat(PcscErrors.serviceGone(pcsc("SCARD_W_REMOVED_CARD"))).isFalse();
        assertThat(PcscErrors.pcscCode(new Exception("no code here"))).isEmpty();
    }

    @Test
    void a_reader_needs_a_name_and_a_known_protocol() {
        PcscContext context = new PcscContext(); // not activated: no thread, no PC/SC
        assertThatThrownBy(() -> new PcscCardBackend(context, config(Map.of("card.reader", ""))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("card.reader");
        assertThatThrownBy(() -> new PcscCardBackend(context, config(Map.of("card.reader", "R", "protocol", "T=2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("protocol");
        PcscCardBackend b = new PcscCardBackend(context, config(Map.of("card.reader", " R ")));
        assertThat(b.status().reader()).isEqualTo("R");
        assertThat(b.status().backend()).isEqualTo("pcsc");
        b.close();
    }

    @Test
    void the_configured_library_becomes_the_jdk_property_and_an_idle_context_stops_quickly() {
        String before = System.getProperty(PcscContext.LIBRARY_PROPERTY);
        PcscContext context = new PcscContext();
        context.activate(Converters.standardConverter()
                .convert(Map.of("library.path", " /opt/pcsc/libpcsclite.so.1 ")).to(PcscContext.Config.class));
        try {
            assertThat(System.getProperty(PcscContext.LIBRARY_PROPERTY)).isEqualTo("/opt/pcsc/libpcsclite.so.1");
            assertThat(context.openConnections()).isZero();
        } finally {
            context.deactivate();
            if (before == null) {
                System.clearProperty(PcscContext.LIBRARY_PROPERTY);
            } else {
                System.setProperty(PcscContext.LIBRARY_PROPERTY, before);
            }
        }
    }

    private static PcscCardBackend.Config config(Map<String, Object> props) {
        return Converters.standardConverter().convert(props).to(PcscCardBackend.Config.class);
    }
}
