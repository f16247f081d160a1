package org.cardinaldm.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class (checked before its {@code @BeforeAll} methods) or test method (checked before its
 * {@code @BeforeEach} methods) runs a program that must be on {@code PATH}. Without it the test is disabled
 * (reported as skipped) with {@code apt-get install -y <debianPackage>}, or fails when {@code CI=true}.
 * Repeatable; find the program's path with {@link ExternalTool#require}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(RequiresTool.List.class)
@Tag(Requirements.OUTSIDE_TAG)
@ExtendWith(ToolExtension.class)
public @interface RequiresTool {
    /** @return the program name, e.g. {@code wbxml2xml} */
    String name();

    /** @return the Debian package that installs it, e.g. {@code libwbxml2-utils} */
    String debianPackage();

    /** The container of repeated {@link RequiresTool}s. */
    @Documented
    @Inherited
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ExtendWith(ToolExtension.class)
    @Tag(Requirements.OUTSIDE_TAG)
    @interface List {
        /** @return the required programs */
        RequiresTool[] value();
    }
}
