package org.cardinaldm.testing.osgi;

import java.util.function.Supplier;

/** The one class of the harness tests' trivial bundle: a DS component providing a JDK type, so no import is needed. */
public final class Greeter implements Supplier<String> {
    @Override
    public String get() {
        return "hello from " + getClass().getClassLoader().getClass().getSimpleName();
    }
}
