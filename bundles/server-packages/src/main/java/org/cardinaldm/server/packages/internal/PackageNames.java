package org.cardinaldm.server.packages.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * The names the package servlet serves: one plain file name, taken from the raw request path, never
 * decoded. A name is served only when it is 1 to {@value #MAX_LENGTH} characters of {@code A-Z a-z 0-9 . _ + -},
 * starts with a letter or digit (so no hidden file, no {@code .} or {@code ..}) and contains no {@code ..}.
 * Everything else (a slash, a backslash, a percent sign and so every encoded character, a colon, a space, a
 * control character, a semicolon path parameter) is refused, and the servlet answers 404 without touching
 * the file system. Names that need encoding are therefore never published; the tool that signs packages
 * writes names that fit ({@code <name>-<version>.jar}, {@code <name>-<version>.jar.manifest.p7}).
 */
final class PackageNames {
    /** Longest name served. */
    static final int MAX_LENGTH = 200;
    /** The suffix of a signed manifest next to its package (docs/signed-packages.md §5). */
    static final String MANIFEST_SUFFIX = ".manifest.p7";

    private PackageNames() {
    }

    /**
     * @param rawPath the request path below the servlet's path, as received (not decoded), with its leading
     *        slash; null when the request named none
     * @return the file name, when it is one this servlet may serve
     */
    static Optional<String> fromRawPath(String rawPath) {
        if (rawPath == null || rawPath.length() < 2 || rawPath.charAt(0) != '/') {
            return Optional.empty();
        }
        String name = rawPath.substring(1);
        return isSafe(name) ? Optional.of(name) : Optional.empty();
    }

    /**
     * @param name a candidate file name
     * @return whether it is a plain file name this servlet may serve
     */
    static boolean isSafe(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        if (!isLetterOrDigit(name.charAt(0)) || name.contains("..")) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != '-' && c != '+') {
                return false;
            }
        }
        return true;
    }

    /**
     * @param name a safe name
     * @return its media type: {@code application/pkcs7-mime} for a signed manifest, {@code application/java-archive}
     *         for a jar, {@code application/octet-stream} for anything else (a KAR, a firmware image)
     */
    static String contentType(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(MANIFEST_SUFFIX)) {
            return "application/pkcs7-mime";
        }
        if (lower.endsWith(".jar")) {
            return "application/java-archive";
        }
        return "application/octet-stream";
    }

    private static boolean isLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }
}
