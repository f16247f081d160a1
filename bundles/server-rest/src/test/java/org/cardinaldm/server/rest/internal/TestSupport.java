package org.cardinaldm.server.rest.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import javax.ws.rs.core.MediaType;

/**
 * This bundle's own test helpers: a fixed instant and what the JSON provider writes. Nothing of the
 * DM server's internals; the resources on the real registry ({@code Fixture}) are tested in
 * {@code stack-tests}.
 */
final class TestSupport {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private TestSupport() {
    }

    /** @return what the provider writes for an entity */
    static String write(Object entity) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new JsonProvider().writeTo(entity, entity.getClass(), entity.getClass(), null,
                    MediaType.APPLICATION_JSON_TYPE, null, out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
