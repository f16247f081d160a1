package org.cardinaldm.mo.diag.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Defence in depth for log text shown in {@code ./DiagMon}: Cardinal never logs secrets by policy,
 * but a third-party bundle might. Three rules, applied in this order, each replacing what it finds
 * with {@value #MASK}:
 * <ol>
 * <li><b>Named secrets.</b> A word containing {@code password}, {@code passwd}, {@code passphrase},
 * {@code pwd}, {@code secret}, {@code token}, {@code nonce}, {@code key}, {@code credential},
 * {@code authdata}, {@code pin} or {@code puk} (any case, e.g. {@code AAuthSecret},
 * {@code client_nonce}, {@code apiKey}), followed by {@code =} or {@code :} (spaces allowed) and a
 * value: the value is masked (a quoted value up to its closing quote, otherwise up to the next
 * space, comma, semicolon or ampersand). Followed by a space only, the next word is masked when it
 * is not made of letters alone ({@code password hunter2} is masked, {@code password for server x}
 * is left readable).</li>
 * <li><b>Hex runs.</b> 16 or more hexadecimal digits in a row (a 64-bit or longer key, nonce or
 * digest; {@code :}- or space-separated bytes are not joined) that contain at least one letter
 * a–f: pure decimal runs such as ICCIDs, IMEIs and timestamps stay readable.</li>
 * <li><b>Base64 runs.</b> 20 or more characters of the base64 or base64url alphabet, optionally
 * ending in {@code =} padding, that contain a digit, an upper-case and a lower-case letter
 * (Java identifiers and dotted names are left alone). A run with a {@code /} is masked only when
 * it also has a {@code +}, ends in {@code =}, or has a {@code /}-free piece of 8 or more characters
 * mixing a digit with both cases: node paths such as {@code ./DiagMon/Log/Entries/7} stay
 * readable.</li>
 * </ol>
 * Masking runs before truncation, so a cut can never expose the tail of a secret.
 */
final class SecretMasker {
    /** What replaces a masked value. */
    static final String MASK = "***";

    private static final String NAMES = "passw(?:or)?d|passphrase|pwd|secret|token|nonce|key|credential|authdata|pin|puk";
    private static final Pattern NAMED = Pattern.compile(
            "(?i)((?<![\\w.-])[\\w.-]*?(?:" + NAMES + ")[\\w.-]*+)"
                    + "(?:(\\s*[=:]\\s*)(\"[^\"]*\"?|'[^']*'?|[^\\s,;&]+)"
                    + "|(\\s+)((?=[^\\s,;&]*[^a-z\\s,;&])[^\\s,;&]+))");
    private static final Pattern HEX = Pattern.compile("(?<![0-9A-Za-z])(?=[0-9A-Fa-f]*[A-Fa-f])[0-9A-Fa-f]{16,}(?![0-9A-Za-z])");
    private static final Pattern BASE64 = Pattern.compile(
            "(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*[0-9])(?=[A-Za-z0-9+/_-]*[A-Z])(?=[A-Za-z0-9+/_-]*[a-z])"
                    + "[A-Za-z0-9+/_-]{20,}={0,2}");

    private static final Pattern MIXED = Pattern.compile("(?=.*[0-9])(?=.*[A-Z])(?=.*[a-z]).*");

    private SecretMasker() {
    }

    /**
     * @param text log text, may be null
     * @return the text with anything that looks like a secret replaced by {@value #MASK}; "" for null
     */
    static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        Matcher m = NAMED.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            String replacement;
            if (m.group(2) != null) {
                replacement = m.group(1) + m.group(2) + MASK;
            } else {
                replacement = m.group(1) + m.group(4) + MASK;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        String s = HEX.matcher(sb).replaceAll(MASK);
        return BASE64.matcher(s).replaceAll(r -> Matcher.quoteReplacement(base64Like(r.group()) ? MASK : r.group()));
    }

    private static boolean base64Like(String run) {
        if (run.indexOf('/') < 0 || run.indexOf('+') >= 0 || run.endsWith("=")) {
            return true;
        }
        for (String piece : run.split("/")) {
            if (piece.length() >= 8 && MIXED.matcher(piece).matches()) {
                return true;
            }
        }
        return false;
    }
}
