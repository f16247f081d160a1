package org.cardinaldm.server.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

import org.cardinaldm.syncml.api.model.UiAlertKind;

/**
 * The help desk's "install and start application X after the user agrees" (RD use case 5.2.1, issue 15): one
 * job of one Sequence (OMA DM 1.2; SCOMO 1.0 download descriptor, see {@code docs/scomo-fumo-sources.md} §1):
 * <ol>
 * <li>Alert 1101 with the question, {@code MAXDT} and never a default response;</li>
 * <li>Add {@code ./SCOMO/Download/<X>} (interior), then its leaves {@code PkgID} (the name, followed by
 * {@code @<version>} when a version is given: SCOMO 1.0 has no Version leaf under Download), {@code Name} and
 * {@code PkgURL};</li>
 * <li>Exec {@code ./SCOMO/Download/<X>/Operations/DownloadInstall}, or {@code DownloadInstallInactive} to
 * install without starting.</li>
 * </ol>
 * {@code <X>} is {@link #nodeName()}: the name with every character other than letters, digits, {@code .},
 * {@code _} and {@code -} replaced by {@code _}. The device answers the Exec 202 and reports the outcome later
 * in a Generic Alert 1226; the job waits ACCEPTED until then. A refusal fails the job and nothing is added.
 *
 * @param name the application's name (1 to {@link #MAX_NAME} characters, no control characters)
 * @param packageUrl where the device downloads the package: an absolute {@code https} or {@code http} URL with a
 *        host, without user information, at most {@link #MAX_URL} characters
 * @param version the version, or null
 * @param inactive install without starting ({@code DownloadInstallInactive})
 * @param question the question shown, or null for {@link #defaultQuestion}
 * @param maxDisplaySeconds how long the device waits for the answer (MAXDT), 1 s to one day, or 0 for
 *        {@link #DEFAULT_MAX_DISPLAY_SECONDS}
 * @since 2.1.0
 */
public record InstallRequest(String name, String packageUrl, String version, boolean inactive, String question,
        int maxDisplaySeconds) {

    /** The default MAXDT of the question, two minutes. */
    public static final int DEFAULT_MAX_DISPLAY_SECONDS = 120;
    /** The longest name. */
    public static final int MAX_NAME = 128;
    /** The longest version. */
    public static final int MAX_VERSION = 64;
    /** The longest package URL. */
    public static final int MAX_URL = 2048;
    /** The SCOMO download descriptors' parent. */
    public static final String DOWNLOAD_ROOT = "./SCOMO/Download";
    /** The start of the description of an install job, followed by the name. */
    public static final String DESCRIPTION_PREFIX = "help desk: install ";

    /** Checks the request and fills in the defaults. */
    public InstallRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(packageUrl, "packageUrl");
        name = name.strip();
        if (name.isEmpty() || name.length() > MAX_NAME || hasControl(name)) {
            throw new IllegalArgumentException("the application name needs 1 to " + MAX_NAME
                    + " characters without control characters");
        }
        if (version != null) {
            version = version.strip();
            if (version.isEmpty() || version.length() > MAX_VERSION || hasControl(version)) {
                throw new IllegalArgumentException("the version needs 1 to " + MAX_VERSION
                        + " characters without control characters");
            }
        }
        checkUrl(packageUrl);
        if (maxDisplaySeconds == 0) {
            maxDisplaySeconds = DEFAULT_MAX_DISPLAY_SECONDS;
        }
        if (maxDisplaySeconds < 0 || maxDisplaySeconds > UserAlert.MAX_SECONDS) {
            throw new IllegalArgumentException("MAXDT must be between 1 and " + UserAlert.MAX_SECONDS + " seconds");
        }
        if (question == null || question.isBlank()) {
            question = defaultQuestion(name, version, inactive);
        }
        // the question's own bounds (length, characters) are checked here rather than when the job is built
        UserAlert.builder(UiAlertKind.CONFIRM, question).maxDisplaySeconds(maxDisplaySeconds).build();
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static void checkUrl(String url) {
        if (url.isEmpty() || url.length() > MAX_URL) {
            throw new IllegalArgumentException("the package URL needs 1 to " + MAX_URL + " characters");
        }
        if (hasControl(url) || url.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("the package URL contains spaces or control characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the package URL is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("the package URL must be https or http");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("the package URL has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the package URL must not carry user information (credentials)");
        }
    }

    /**
     * @param name the application
     * @param version its version, or null
     * @param inactive whether it is installed without being started
     * @return {@code Install and start <name> <version>?} or {@code Install <name> <version>?}
     */
    public static String defaultQuestion(String name, String version, boolean inactive) {
        return (inactive ? "Install " : "Install and start ") + name + (version == null ? "" : " " + version) + "?";
    }

    /** @return the name of the download descriptor node, {@code <X>} */
    public String nodeName() {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
            b.append(ok ? c : '_');
        }
        String x = b.toString();
        return x.equals(".") || x.equals("..") ? x.replace('.', '_') : x;
    }

    /** @return {@code ./SCOMO/Download/<X>} */
    public String downloadUri() {
        return DOWNLOAD_ROOT + "/" + nodeName();
    }

    /** @return the PkgID sent: the name, with {@code @<version>} when there is one */
    public String packageId() {
        return version == null ? name : name + "@" + version;
    }

    /** @return the job's description, {@link #DESCRIPTION_PREFIX} and the name */
    public String description() {
        return DESCRIPTION_PREFIX + name;
    }

    /** @return the job's one operation: the Sequence described above */
    public Operation operation() {
        String x = downloadUri();
        return Operation.afterConsent(question, maxDisplaySeconds, Operation.addInterior(x),
                Operation.add(x + "/PkgID", packageId(), "chr"), Operation.add(x + "/Name", name, "chr"),
                Operation.add(x + "/PkgURL", packageUrl, "chr"),
                Operation.exec(x + "/Operations/" + (inactive ? "DownloadInstallInactive" : "DownloadInstall"), null,
                        null));
    }
}
