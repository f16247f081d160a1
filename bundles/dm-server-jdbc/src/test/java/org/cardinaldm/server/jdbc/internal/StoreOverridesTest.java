package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.jdbc.internal.osgi.JdbcStoreComponent;
import org.junit.jupiter.api.Test;

/**
 * The registered component forwards every store method, default ones included: a default it inherits
 * would silently replace the JDBC implementation (e.g. {@code recordResults} in one transaction by one
 * transaction per result). The JDBC store declares them itself or in its base {@link JdbcNodeRegistry}.
 */
class StoreOverridesTest {

    @Test
    void the_component_and_the_jdbc_store_implement_every_store_method_themselves() throws Exception {
        for (Method m : ServerStore.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            assertThat(JdbcStoreComponent.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass())
                    .as("JdbcStoreComponent.%s", m.getName()).isEqualTo(JdbcStoreComponent.class);
            assertThat(JdbcServerStore.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass())
                    .as("JdbcServerStore.%s", m.getName()).isIn(JdbcServerStore.class, JdbcNodeRegistry.class);
        }
    }
}
