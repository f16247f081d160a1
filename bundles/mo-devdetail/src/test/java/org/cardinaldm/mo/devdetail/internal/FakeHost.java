package org.cardinaldm.mo.devdetail.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.cardinaldm.api.spi.host.HostFacts;

/** A host described by a few files and properties. */
final class FakeHost implements HostFacts {
    private final Map<String, String> files = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();
    private Locale locale = Locale.ENGLISH;

    FakeHost file(String path, String content) {
        files.put(path, content);
        return this;
    }

    FakeHost property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    FakeHost locale(Locale l) {
        this.locale = l;
        return this;
    }

    @Override
    public Optional<String> firstLine(String path) {
        return HostFacts.cleaned(files.get(path));
    }

    @Override
    public Optional<String> property(String key) {
        return HostFacts.cleaned(properties.get(key));
    }

    @Override
    public Locale locale() {
        return locale;
    }
}
