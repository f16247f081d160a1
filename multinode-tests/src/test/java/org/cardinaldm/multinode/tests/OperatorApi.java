package org.cardinaldm.multinode.tests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The operator REST API ({@code /cardinal/api/v1}) of one base URL, a node's own or the balancer's, with the bearer
 * token both nodes are configured with. Every call fails with the status and body when the answer is not the one
 * expected.
 */
final class OperatorApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final String token;

    OperatorApi(HttpClient http, String base, String token) {
        this.http = http;
        this.base = base + "/cardinal/api/v1";
        this.token = token;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return call("GET", path, null, 200);
    }

    JsonNode post(String path, Object body, int expected) throws IOException, InterruptedException {
        return call("POST", path, body, expected);
    }

    private JsonNode call(String method, String path, Object body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IOException(method + " " + base + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    /** Registers a device with md5 both ways and the nonces the simulated device starts with. */
    void register(SimDevice d) throws IOException, InterruptedException {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("deviceId", d.deviceId);
        body.put("clientAuth", "md5");
        body.put("clientPassword", d.password);
        body.put("serverAuth", "md5");
        body.put("serverPassword", d.serverPassword);
        body.put("serverNonce", d.serverNonce());
        body.put("clientNonce", d.clientNonce());
        if (d.pushAddress() != null) {
            body.put("pushAddress", d.pushAddress());
        }
        post("/devices", body, 201);
    }

    /**
     * @param deviceId a device
     * @param description the job's description
     * @param operations the operations as the API takes them
     * @return the new job's id
     */
    long submit(String deviceId, String description, List<Map<String, Object>> operations)
            throws IOException, InterruptedException {
        return post("/devices/" + deviceId + "/jobs", Map.of("description", description, "operations", operations), 201)
                .get("id").asLong();
    }

    /** @return the job's state, lower case */
    String jobState(long id) throws IOException, InterruptedException {
        return get("/jobs/" + id).get("state").asText();
    }

    static Map<String, Object> op(String kind, String target, String data) {
        return data == null ? Map.of("kind", kind, "target", target) : Map.of("kind", kind, "target", target, "data", data);
    }
}
