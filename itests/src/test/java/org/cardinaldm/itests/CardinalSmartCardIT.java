package org.cardinaldm.itests;

import static org.cardinaldm.itests.ShellOutput.assertRefused;
import static org.cardinaldm.itests.ShellOutput.firstLine;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The distribution's default smart card (issue 5, item 7), in one boot of the real distribution with
 * nothing configured by the test: {@code etc/org.cardinaldm.smartcard.sim-demo.cfg} inserts the software
 * UICC personalised from the built-in demo profile ({@code docs/smartcard-profile.md}, A12), so
 * {@code card:list} shows it, {@code ./SmartCard} answers, and the card itself refuses a change of its
 * MO store by the local administrator, since no DM server authenticated to it (A9, A10.3: 425).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CardinalSmartCardIT extends CardinalKarafTestSupport {
    /** The reader of etc/org.cardinaldm.smartcard.sim-demo.cfg. */
    private static final String READER = "Cardinal SIM 0";
    /** ICCID 8949000000000000012 of the demo profile, as stored (BCD, nibbles swapped). */
    private static final String DEMO_CARD_ID = "989400000000000010F2";
    /** A card:list row: reader | backend | state | ATR. */
    private static final Pattern ROW = Pattern.compile(
            "^" + Pattern.quote(READER) + "\\s*\\|\\s*sim\\s*\\|\\s*present\\s*\\|\\s*([0-9A-F]{4,66})\\s*$", Pattern.MULTILINE);

    /** @return the ATR card:list shows for the simulated reader, once the card is present */
    private String awaitPresentCard() {
        AtomicReference<String> atr = new AtomicReference<>();
        await().untilAsserted(() -> {
            String list = executeCommand("card:list");
            Matcher m = ROW.matcher(list);
            assertTrue("expected '" + READER + " | sim | present | <ATR>' in:\n" + list, m.find());
            atr.set(m.group(1));
        });
        return atr.get();
    }

    /** Waits until ./SmartCard shows the demo card (the DM card service has read it). */
    private void awaitSmartCardTree() {
        awaitPresentCard();
        await().untilAsserted(() -> assertEquals(DEMO_CARD_ID, firstLine(executeCommand("dm:get ./SmartCard/Info/CardId"))));
    }

    /**
     * @param out what {@code dm:ls <uri>} printed: the URI, then one {@code |-- name} (or {@code `-- name}) line
     *     per child, interior children with a trailing slash
     * @return the children's names, in the order printed
     */
    private static List<String> children(String out) {
        return out.lines().skip(1).map(String::trim).filter(l -> !l.isEmpty())
                .map(l -> l.replaceFirst("^[|`]-- ", "").replaceFirst("/$", "")).collect(Collectors.toList());
    }

    @Test
    public void card_list_shows_the_simulated_reader_with_the_card_present_and_an_atr() {
        String atr = awaitPresentCard();

        assertTrue("ATR " + atr + " starts with TS 3B (direct convention)", atr.startsWith("3B"));
        assertEquals("an ATR is whole bytes: " + atr, 0, atr.length() % 2);
    }

    @Test
    public void the_card_image_is_kept_under_karaf_data() {
        awaitPresentCard();

        Path image = Paths.get(System.getProperty("karaf.data"), "cardinal", "smartcard", "sim-demo.img");
        assertTrue(image + " exists", Files.isRegularFile(image));
    }

    @Test
    public void smartcard_info_describes_the_demo_card_in_the_simulated_reader() {
        String atr = awaitPresentCard();
        awaitSmartCardTree();

        assertEquals(List.of("CardId", "ATR", "Reader", "ProfileVersion", "FreeSpace", "Capabilities", "ChangeCounter"),
                children(executeCommand("dm:ls ./SmartCard/Info")));
        assertEquals(READER, firstLine(executeCommand("dm:get ./SmartCard/Info/Reader")));
        assertEquals(atr, firstLine(executeCommand("dm:get ./SmartCard/Info/ATR")));
        assertEquals("1.2", firstLine(executeCommand("dm:get ./SmartCard/Info/ProfileVersion")));
        assertEquals(java.util.Set.of("md5", "hmac", "verify-server", "change-counter", "server-challenge", "mo-store",
                "fumo"), java.util.Set.of(firstLine(executeCommand("dm:get ./SmartCard/Info/Capabilities")).split(",")));
        assertEquals("cardinal-dms", firstLine(executeCommand("dm:get ./SmartCard/Policy/AllowedServers")));
    }

    @Test
    public void dm_ls_of_smartcard_mo_lists_the_card_resident_mo_of_the_demo_profile() {
        awaitSmartCardTree();

        assertEquals(List.of("Operator"), children(executeCommand("dm:ls ./SmartCard/MO")));
        assertEquals(List.of("Name", "Support", "PollMinutes"), children(executeCommand("dm:ls ./SmartCard/MO/Operator")));
        assertEquals("Cardinal Demo Telecom", firstLine(executeCommand("dm:get ./SmartCard/MO/Operator/Name")));
    }

    @Test
    public void the_card_refuses_the_local_admin_a_change_of_its_mo_store_with_425_and_keeps_it() {
        awaitSmartCardTree();
        String counter = firstLine(executeCommand("dm:get ./SmartCard/Info/ChangeCounter"));

        // the device's ACL of ./SmartCard/MO allows it; the card answers 6982: no DM server proved itself
        assertRefused("425 Permission denied", executeCommand("dm:set ./SmartCard/MO/Operator/Name Intruder"));
        assertRefused("425 Permission denied", executeCommand("dm:add ./SmartCard/MO/Operator/Apn internet.example"));
        // Info is the device's own view of the card: read-only for everyone
        assertRefused("405 Command not allowed", executeCommand("dm:set ./SmartCard/Info/Reader Other"));

        assertEquals("Cardinal Demo Telecom", firstLine(executeCommand("dm:get ./SmartCard/MO/Operator/Name")));
        assertEquals(List.of("Name", "Support", "PollMinutes"), children(executeCommand("dm:ls ./SmartCard/MO/Operator")));
        assertEquals(counter, firstLine(executeCommand("dm:get ./SmartCard/Info/ChangeCounter")));
    }

    @Test
    public void card_apdu_selects_the_pkcs15_application_for_an_administrator() {
        awaitPresentCard();

        String out = executeCommand("card:apdu --reader '" + READER + "' 00A4040C0CA000000063504B43532D3135");
        Optional<String> response = out.lines().filter(l -> l.startsWith("<")).findFirst();
        assertTrue("a response line in:\n" + out, response.isPresent());
        assertTrue(out, response.get().startsWith("< 9000"));
    }
}
