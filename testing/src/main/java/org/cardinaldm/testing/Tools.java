package org.cardinaldm.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Programs on {@code PATH} that tests run for cross-checks (libwbxml's wbxml2xml, OpenSC's opensc-tool). */
public final class Tools {
    /**
     * When set, the directories searched instead of {@code PATH}: {@code .ci/run} points it at an empty
     * directory to prove that every tool test skips cleanly on a machine without the tools.
     */
    public static final String TOOLS_PATH = "CARDINAL_TEST_TOOLS_PATH";

    private Tools() {
    }

    /**
     * @param name a program name
     * @param environment where {@code PATH} (or {@value #TOOLS_PATH}) is read
     * @return the first executable file of that name in a {@code PATH} directory
     */
    public static Optional<Path> find(String name, Environment environment) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("a program name, not a path: " + name);
        }
        return search(name, environment.get(TOOLS_PATH).or(() -> environment.get("PATH")).orElse("/usr/bin:/bin"));
    }

    /**
     * For the kit's own needs (such as {@code setpriv}), which {@value #TOOLS_PATH} must not hide.
     *
     * @param name a program name
     * @param environment where {@code PATH} is read
     * @return the first executable file of that name in a {@code PATH} directory
     */
    public static Optional<Path> findOnPath(String name, Environment environment) {
        return search(name, environment.get("PATH").orElse("/usr/bin:/bin"));
    }

    private static Optional<Path> search(String name, String path) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("a program name, not a path: " + name);
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            } catch (InvalidPathException e) {
                // a PATH entry that is no path: ignore it as a shell would
            }
        }
        return Optional.empty();
    }

    /**
     * @param name a program name
     * @param debianPackage the Debian package that installs it
     * @param environment where {@code PATH} is read
     * @return why the program cannot be run, naming the package; empty when it is on {@code PATH}
     */
    public static Optional<String> missing(String name, String debianPackage, Environment environment) {
        Objects.requireNonNull(debianPackage, "debianPackage");
        return find(name, environment).isPresent() ? Optional.empty()
                : Optional.of(name + " is not on PATH (Debian: apt-get install -y " + debianPackage + ")");
    }

    /**
     * @param name a program name
     * @param debianPackage the Debian package that installs it
     * @return why the program cannot be run (process environment), naming the package; empty when it can
     */
    public static Optional<String> missing(String name, String debianPackage) {
        return missing(name, debianPackage, Environment.system());
    }
}
