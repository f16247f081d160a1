package org.cardinaldm.server.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The DM server's component answers every default method of the service interfaces it registers itself: a default
 * left in place answers from the interface's fallback (the fleet search and figures read the whole registry there),
 * which in Karaf made the console's fleet page take seconds at 100,000 devices while the registry's SQL was never
 * asked.
 */
class ServiceOverridesTest {
    @Test
    void the_component_overrides_every_default_method_of_its_service_interfaces() {
        List<String> defaults = new ArrayList<>();
        for (Class<?> service : DmServerComponent.class.getInterfaces()) {
            for (Method m : service.getMethods()) {
                if (!m.isDefault()) {
                    continue;
                }
                defaults.add(service.getSimpleName() + "." + m.getName());
                try {
                    Method own = DmServerComponent.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
                    assertThat(own.isDefault()).as(m.toString()).isFalse();
                } catch (NoSuchMethodException e) {
                    throw new AssertionError("DmServerComponent does not override " + m, e);
                }
            }
        }
        assertThat(defaults).contains("DeviceManager.search", "DeviceManager.fleetStats");
    }
}
