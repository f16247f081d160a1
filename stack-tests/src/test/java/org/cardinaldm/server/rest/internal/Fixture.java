package org.cardinaldm.server.rest.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationState;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.server.api.SessionInfo;
import org.cardinaldm.server.internal.HelpDeskService;
import org.cardinaldm.server.internal.Registry;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.internal.store.InMemoryServerStore;

import com.fasterxml.jackson.databind.JsonNode;

/** The resources on the real registry over the in-memory store, a recording notifier, fixed sessions. */
final class Fixture {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    final InMemoryServerStore store = new InMemoryServerStore();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final Registry registry = new Registry(store, ServerConfig.DEFAULT, clock, new SecureRandom());
    final List<String> notified = new ArrayList<>();
    final List<SessionInfo> sessions = new ArrayList<>();
    final NotificationManager notifier = new NotificationManager() {
        @Override
        public NotificationRecord notify(String deviceId, NotificationUi ui) {
            notified.add(deviceId + " " + ui);
            return new NotificationRecord(deviceId, "1A2B", "udp:127.0.0.1:2948", ui, NOW, NOW, 1,
                    NotificationState.SENT, null);
        }

        @Override
        public List<NotificationRecord> notifications(String deviceId, int limit) {
            return List.of();
        }
    };
    final HelpDesk helpDesk = new HelpDeskService(registry);
    final DevicesResource devices = new DevicesResource(registry, registry, helpDesk, notifier, clock,
            List.of("./DevInfo", "./DevDetail", "./DMAcc", "./SmartCard/Info"),
            List.of("./SmartCard/Policy", "./SCOMO/Inventory", "./DiagMon", "./FUMO"));
    final JobsResource jobs = new JobsResource(registry);
    final SessionsResource sessionsResource = new SessionsResource(() -> sessions);

    static JsonNode json(String text) {
        try {
            return new JsonProvider().readFrom(JsonNode.class, JsonNode.class, null, MediaType.APPLICATION_JSON_TYPE,
                    null, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
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

    /** @return the error answer of a refused call: status and JSON body */
    static Map<String, Object> error(Runnable call) {
        try {
            call.run();
        } catch (WebApplicationException e) {
            Response r = e.getResponse();
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) r.getEntity();
            if ((int) body.get("status") != r.getStatus()) {
                throw new AssertionError("body status differs from HTTP status");
            }
            return body;
        }
        throw new AssertionError("the call was not refused");
    }

    Response register(String id, String extra) {
        return devices.register(json("{\"deviceId\":\"" + id + "\",\"clientPassword\":\"device-secret\","
                + "\"serverPassword\":\"server-secret\"" + extra + "}"), null, null);
    }
}
