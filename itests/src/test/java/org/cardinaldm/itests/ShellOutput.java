package org.cardinaldm.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reading and checking what Cardinal's shell commands print, the same way whether the command ran
 * inside the Pax Exam container or through {@code bin/client -b} of an unpacked distribution.
 */
final class ShellOutput {
    private ShellOutput() {
    }

    /** @return the first line of a command's output, trimmed ("" for no output) */
    static String firstLine(String text) {
        return text.lines().findFirst().orElse("").trim();
    }

    /**
     * Asserts that a command was refused the way the dm: commands promise (issue 4): exactly one
     * line, starting with the SyncML status code and its name, and no stack trace.
     *
     * @param status e.g. {@code 425 Permission denied}
     * @param out what the command printed
     */
    static void assertRefused(String status, String out) {
        List<String> lines = out.lines().collect(Collectors.toList());
        assertEquals("exactly one line expected, got:\n" + out, 1, lines.size());
        assertTrue("expected a line starting '" + status + "', got:\n" + out, lines.get(0).startsWith(status));
    }

    static void assertContains(String expected, String text) {
        assertTrue("expected '" + expected + "' in:\n" + text, text.contains(expected));
    }

    static void assertNotContains(String unexpected, String text) {
        assertFalse("did not expect '" + unexpected + "' in:\n" + text, text.contains(unexpected));
    }

    /**
     * @param out the output of {@code dm:get -p}: the value line, then a two-column table
     *     ({@code Property | Value}, a separator line, one row per property)
     * @return the properties by name, in the order printed
     */
    static Map<String, String> propertyTable(String out) {
        Map<String, String> props = new LinkedHashMap<>();
        List<String> lines = out.lines().collect(Collectors.toList());
        for (String line : lines.subList(1, lines.size())) {
            int bar = line.indexOf('|');
            if (bar < 0) {
                continue; // the ----+---- separator, a trailing blank line
            }
            String name = line.substring(0, bar).trim();
            if (!name.equals("Property")) {
                props.put(name, line.substring(bar + 1).trim());
            }
        }
        return props;
    }

    /**
     * @param out the output of {@code dm:get '<uri>?list=Struct'} or {@code StructData}: a table
     *     whose first column is the URI
     * @return each row's cells, trimmed, keyed by URI, in the order printed
     */
    static Map<String, List<String>> listTable(String out) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : out.lines().skip(2).collect(Collectors.toList())) { // header and separator
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = List.of(line.split("\\|", -1)).stream().map(String::trim).collect(Collectors.toList());
            rows.put(cells.get(0), cells.subList(1, cells.size()));
        }
        return rows;
    }
}
