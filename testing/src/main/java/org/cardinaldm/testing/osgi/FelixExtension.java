package org.cardinaldm.testing.osgi;

import java.util.Objects;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link FelixHarness} for a JUnit 5 test and stops it afterwards: registered on a {@code static} field
 * (or on an instance field of a {@code @TestInstance(PER_CLASS)} class), one framework serves the whole class and
 * is up before the class's {@code @BeforeAll} methods; on an instance field, each test gets a fresh one, up before
 * its {@code @BeforeEach} methods.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FelixExtension FELIX = new FelixExtension(FelixHarness.builder()
 *         .systemPackagesOf("org.cardinaldm.api").bundleUnderTest());
 *
 * @Test
 * void the_tree_is_registered() {
 *     DmTree tree = FELIX.harness().service(DmTree.class);
 *     …
 * }
 * }</pre>
 */
public final class FelixExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {
    private final FelixHarness.Builder builder;
    private FelixHarness harness;
    private boolean perClass;

    /**
     * An extension that starts what the builder describes.
     *
     * @param builder the framework to start (started anew for each class or test)
     */
    public FelixExtension(FelixHarness.Builder builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    /**
     * The running harness.
     *
     * @return the harness of the current class or test
     * @throws IllegalStateException outside a test
     */
    public FelixHarness harness() {
        if (harness == null) {
            throw new IllegalStateException("no framework is running: register the FelixExtension with"
                    + " @RegisterExtension and use it inside a test");
        }
        return harness;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        harness = builder.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (harness == null) {
            harness = builder.start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    private void stop() throws Exception {
        if (harness != null) {
            try {
                harness.close();
            } finally {
                harness = null;
            }
        }
    }
}
