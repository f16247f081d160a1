package org.cardinaldm.testing;

import java.util.regex.Pattern;

/** Masks passwords in URLs and messages before the kit prints them. */
public final class Secrets {
    private static final Pattern PARAMETER = Pattern.compile("(?i)(password\\s*[=:]\\s*)[^&;\\s,)]+");
    private static final Pattern USER_INFO = Pattern.compile("(://[^:/@\\s]+:)[^@/\\s]+@");

    private Secrets() {
    }

    /**
     * @param text a URL or message; may be {@code null}
     * @return the text with the values of {@code password=…} parameters and the password of a
     *         {@code scheme://user:password@host} URL replaced by {@code ***}
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = PARAMETER.matcher(text).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1***@");
    }
}
