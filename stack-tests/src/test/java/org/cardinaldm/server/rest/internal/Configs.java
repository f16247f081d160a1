package org.cardinaldm.server.rest.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** {@link RestApplication.Config} with the metatype defaults, some of them overridden (by method name). */
final class Configs {
    private Configs() {
    }

    static RestApplication.Config config(Object... methodAndValue) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < methodAndValue.length; i += 2) {
            values.put((String) methodAndValue[i], methodAndValue[i + 1]);
        }
        return (RestApplication.Config) Proxy.newProxyInstance(Configs.class.getClassLoader(),
                new Class<?>[] {RestApplication.Config.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return RestApplication.Config.class;
                    }
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
