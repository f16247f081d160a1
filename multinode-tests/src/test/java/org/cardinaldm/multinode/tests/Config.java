package org.cardinaldm.multinode.tests;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Edits of Karaf {@code .cfg} files: {@code key = value} lines replaced, missing keys appended, the rest kept. */
final class Config {
    private static final Pattern LINE = Pattern.compile("^\\s*([^#!\\s=:][^=:\\s]*)\\s*[=:].*$");

    private Config() {
    }

    /**
     * @param text a cfg file's text
     * @param values the keys to set
     * @return the text with those keys set
     */
    static String override(String text, Map<String, String> values) {
        Map<String, String> left = new LinkedHashMap<>(values);
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            Matcher m = LINE.matcher(line);
            if (m.matches() && left.containsKey(m.group(1))) {
                out.append(m.group(1)).append(" = ").append(left.remove(m.group(1)));
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        String s = out.toString().replaceAll("\n+$", "\n");
        StringBuilder tail = new StringBuilder(s);
        left.forEach((k, v) -> tail.append(k).append(" = ").append(v).append('\n'));
        return tail.toString();
    }
}
