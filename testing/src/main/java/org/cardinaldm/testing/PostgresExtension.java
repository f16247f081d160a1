package org.cardinaldm.testing;

import java.lang.reflect.AnnotatedElement;
import java.sql.SQLException;
import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Gives each test class a fresh PostgreSQL database ({@link RequiresPostgres}); without a server the class (or
 * annotated method) is skipped with the reason, or failed when {@code CI=true}. Also usable as
 * {@code @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();} with
 * {@link #database()}.
 */
public final class PostgresExtension extends RequirementExtension implements ParameterResolver {
    private static final Namespace NAMESPACE = Namespace.create(PostgresExtension.class);

    private volatile PostgresDatabase last;

    @Override
    Optional<Missing> missing(AnnotatedElement element, boolean classLevel, Environment environment) {
        if (!classLevel && !AnnotationSupport.isAnnotated(element, RequiresPostgres.class)) {
            return Optional.empty();
        }
        return Postgres.missing(environment).map(why -> new Missing(Postgres.WHAT, why));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        super.beforeAll(context);
        last = database(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        super.beforeEach(context);
        if (AnnotationSupport.isAnnotated(context.getTestMethod(), RequiresPostgres.class)) {
            last = database(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return database(context);
    }

    /**
     * @return the database of the class this extension instance last served (for a {@code @RegisterExtension}
     *         field)
     * @throws IllegalStateException before the extension ran
     */
    public PostgresDatabase database() {
        PostgresDatabase db = last;
        if (db == null) {
            throw new IllegalStateException("no database yet: the extension has not run for a test class");
        }
        return db;
    }

    /** The database of the test class (nested classes share their own, not their outer class's). */
    private static PostgresDatabase database(ExtensionContext context) {
        ExtensionContext owner = context;
        while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
            owner = owner.getParent().get();
        }
        ExtensionContext classContext = owner;
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(ClassDatabase.class, k -> new ClassDatabase(classContext), ClassDatabase.class)
                .get();
    }

    /** One class's database, or why it has none; dropped when the class is done. */
    private static final class ClassDatabase implements ExtensionContext.Store.CloseableResource {
        private final Environment environment;
        private final PostgresDatabase database;
        private final String missing;

        ClassDatabase(ExtensionContext context) {
            environment = Environment.of(context);
            Optional<String> problem = Postgres.missing(environment);
            PostgresDatabase db = null;
            String why = problem.orElse(null);
            if (problem.isEmpty()) {
                try {
                    db = Postgres.createDatabase(context.getTestClass().map(Class::getSimpleName).orElse("test"),
                            environment);
                } catch (SQLException e) {
                    why = "cannot create a database: " + e.getMessage();
                }
            }
            database = db;
            missing = why;
        }

        PostgresDatabase get() {
            if (database == null) {
                Requirements.enforce(Postgres.WHAT, Optional.of(missing), environment);
            }
            return database;
        }

        @Override
        public void close() {
            if (database != null) {
                database.drop();
            }
        }
    }
}
