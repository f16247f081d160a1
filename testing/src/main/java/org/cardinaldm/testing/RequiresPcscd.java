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
 * The test class (checked before its {@code @BeforeAll} methods) or test method (checked before its
 * {@code @BeforeEach} methods) needs pcscd with vsmartcard's vpcd driver ({@link Pcscd}). Without them it is
 * disabled (reported as skipped) with the Debian packages to install and how to start the daemon, or fails when
 * {@code CI=true}; its set-up and tear-down methods do not run then.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Tag(Requirements.OUTSIDE_TAG)
@ExtendWith(PcscdExtension.class)
public @interface RequiresPcscd {
}
