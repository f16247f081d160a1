package org.cardinaldm.testing;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The environment variables the kit reads ({@code CI}, {@code PATH}, {@code CARDINAL_TEST_PG_URL}), behind a
 * lookup that tests can replace: {@link #of(Map)} for unit tests of the decisions, and JUnit configuration
 * parameters {@code cardinal.testing.env.<NAME>} that override the process environment in an extension (the
 * kit's own engine tests use them to play CI).
 */
public final class Environment {
    /** Prefix of the JUnit configuration parameters that override environment variables. */
    public static final String PARAMETER_PREFIX = "cardinal.testing.env.";

    private static final Environment SYSTEM = new Environment(System::getenv);

    private final Function<String, String> lookup;

    private Environment(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** @return the process environment */
    public static Environment system() {
        return SYSTEM;
    }

    /**
     * @param variables the variables, standing for the whole environment
     * @return an environment that holds exactly these variables
     */
    public static Environment of(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        return new Environment(copy::get);
    }

    /**
     * @param context an extension context
     * @return the process environment, each variable overridden by the configuration parameter
     *         {@code cardinal.testing.env.<NAME>} when that is set
     */
    public static Environment of(ExtensionContext context) {
        Objects.requireNonNull(context, "context");
        return new Environment(name -> context.getConfigurationParameter(PARAMETER_PREFIX + name)
                .orElseGet(() -> System.getenv(name)));
    }

    /**
     * @param name a variable name
     * @return its value; empty when unset or blank
     */
    public Optional<String> get(String name) {
        return Optional.ofNullable(lookup.apply(name)).filter(v -> !v.isBlank());
    }

    /** @return whether {@code CI=true}: then a missing resource fails the test instead of skipping it */
    public boolean ci() {
        return get("CI").map(v -> v.trim().equalsIgnoreCase("true")).orElse(false);
    }
}
