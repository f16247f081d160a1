package org.cardinaldm.fumo.agent.karaf.internal;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps a feature's bundle location to the file a KAR must carry for it. Only plain Maven coordinates are
 * accepted: {@code mvn:groupId/artifactId/version[/type[/classifier]]}, each part letters, digits, {@code .},
 * {@code _} and {@code -}. They map to the Maven repository layout inside the KAR:
 * {@code <group as folders>/<artifactId>/<version>/<artifactId>-<version>[-<classifier>].<type>}, relative to the
 * KAR's {@code repository/} folder (the folder the KAR is unpacked into).
 * Anything else (another scheme, {@code wrap:}, a repository URL before {@code !}, a property placeholder,
 * {@code ..}) has no place in a KAR and is refused: Karaf would fetch it from somewhere else.
 */
final class MavenPath {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private MavenPath() {
    }

    /**
     * @param location a bundle location from a features repository
     * @return the file's path relative to the KAR's repository folder, or empty when the location is not plain Maven
     *         coordinates
     */
    static Optional<String> of(String location) {
        if (location == null || !location.startsWith("mvn:")) {
            return Optional.empty();
        }
        String[] p = location.substring(4).split("/", -1);
        if (p.length < 3 || p.length > 5) {
            return Optional.empty();
        }
        for (String part : p) {
            if (!PART.matcher(part).matches() || part.contains("..")) {
                return Optional.empty();
            }
        }
        String group = p[0];
        String artifact = p[1];
        String version = p[2];
        String type = p.length > 3 ? p[3] : "jar";
        String classifier = p.length > 4 ? "-" + p[4] : "";
        return Optional.of(group.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact
                + "-" + version + classifier + "." + type);
    }
}
