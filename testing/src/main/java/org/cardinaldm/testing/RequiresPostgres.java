package org.cardinaldm.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class or method needs a PostgreSQL database: the class gets a fresh one of its own (created before
 * its {@code @BeforeAll} methods, or before the first annotated method, and dropped after the class), injected
 * as a {@link PostgresDatabase} parameter of the constructor, a lifecycle method or a test method.
 *
 * <p>The server is the one {@code CARDINAL_TEST_PG_URL} names, or else one that the kit starts once per JVM
 * from the PostgreSQL binaries on the test class path (Maven artifacts; no installed PostgreSQL, no root). When
 * no server can be had the test is skipped with the reason, or fails when {@code CI=true}. With
 * {@code @TestInstance(PER_CLASS)} take the database in a {@code @BeforeAll} or test method rather than the
 * constructor, which JUnit then calls before any check.
 *
 * @see PostgresExtension
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(Requirements.OUTSIDE_TAG)
@ExtendWith(PostgresExtension.class)
public @interface RequiresPostgres {
}
