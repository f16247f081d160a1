package org.cardinaldm.server.rest.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.InstallRequest;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.UserAlert;
import org.cardinaldm.syncml.api.model.UiAlertKind;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads request bodies. Every field is checked: an unknown field, a wrong JSON type or a missing
 * mandatory value is a 400 whose message names the field (never its value, which may be a password).
 */
final class Requests {
    static final Set<String> REGISTRATION_FIELDS = Set.of("deviceId", "clientAuth", "clientUser", "clientPassword",
            "serverAuth", "serverUser", "serverPassword", "serverNonce", "clientNonce", "cardId", "pushAddress");
    static final Set<String> JOB_FIELDS = Set.of("description", "operations");
    static final Set<String> OPERATION_FIELDS = Set.of("kind", "target", "source", "data", "format", "type",
            "correlator", "operations", "alert");
    static final Set<String> ALERT_FIELDS = Set.of("alert", "text", "choices", "minDisplaySeconds",
            "maxDisplaySeconds", "defaultResponse", "maxLength", "inputType", "echo");
    static final Set<String> INSTALL_FIELDS = Set.of("name", "packageUrl", "version", "inactive", "question",
            "maxDisplaySeconds");
    static final Set<String> NOTIFY_FIELDS = Set.of("ui");
    static final Set<String> HELPDESK_FIELDS = Set.of("uris", "notify");

    private Requests() {
    }

    /** @return the body as an object (an absent body is an empty object when {@code optional}) */
    static JsonNode object(JsonNode body, boolean optional, Set<String> fields, String where) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            if (optional) {
                return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            }
            throw ApiError.badRequest("a JSON object is expected as the body");
        }
        if (!body.isObject()) {
            throw ApiError.badRequest(where + " must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw ApiError.badRequest("unknown field " + where + "." + f + " (known: " + String.join(", ",
                        fields.stream().sorted().toList()) + ")");
            }
        }
        return body;
    }

    /** @return the text of a field, or null when absent or null */
    static String text(JsonNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(where + "." + field + " must be a string");
        }
        return v.textValue();
    }

    static String required(JsonNode o, String field, String where) {
        String v = text(o, field, where);
        if (v == null || v.isBlank()) {
            throw ApiError.badRequest(where + "." + field + " is required");
        }
        return v;
    }

    static AuthScheme scheme(JsonNode o, String field) {
        String v = text(o, field, "device");
        if (v == null) {
            return AuthScheme.MD5;
        }
        return AuthScheme.parse(v)
                .orElseThrow(() -> ApiError.badRequest("device." + field + " must be md5, basic or hmac"));
    }

    /**
     * @param body the request body
     * @param pathId the DevId of the URL, or null when the body names it
     * @return the registration
     */
    static DeviceRegistration registration(JsonNode body, String pathId) {
        JsonNode o = object(body, false, REGISTRATION_FIELDS, "device");
        String id = pathId != null ? pathId : required(o, "deviceId", "device");
        String bodyId = text(o, "deviceId", "device");
        if (pathId != null && bodyId != null && !bodyId.equals(pathId)) {
            throw ApiError.badRequest("device.deviceId differs from the DevId of the URL");
        }
        if (id.length() > 256 || id.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest("device.deviceId must be at most 256 characters without control characters");
        }
        String user = text(o, "clientUser", "device");
        try {
            return DeviceRegistration.builder(id)
                    .client(scheme(o, "clientAuth"), user == null || user.isEmpty() ? id : user,
                            required(o, "clientPassword", "device"))
                    .server(scheme(o, "serverAuth"), text(o, "serverUser", "device"),
                            required(o, "serverPassword", "device"))
                    .serverNonce(text(o, "serverNonce", "device")).clientNonce(text(o, "clientNonce", "device"))
                    .cardId(text(o, "cardId", "device")).pushAddress(text(o, "pushAddress", "device")).build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /** A job body: {@code {"description": "...", "operations": [ ... ]}}. */
    static String description(JsonNode job) {
        return text(job, "description", "job");
    }

    static List<Operation> operations(JsonNode job) {
        JsonNode ops = job.get("operations");
        if (ops == null || !ops.isArray() || ops.isEmpty()) {
            throw ApiError.badRequest("job.operations must be a non-empty array");
        }
        return operations(ops, "job.operations");
    }

    private static List<Operation> operations(JsonNode array, String where) {
        List<Operation> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(operation(array.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    /**
     * One operation: {@code kind} (get, add, replace, delete, exec, copy, atomic, sequence, alert),
     * {@code target}, {@code source} (copy), {@code data}, {@code format}, {@code type}, {@code correlator}
     * (exec), {@code operations} (atomic, sequence), {@code alert} (alert: see {@link #userAlert}). An add without data creates an interior node; add and replace
     * default to format {@code chr} and type {@code text/plain}, as {@code dms:job-add} does.
     */
    static Operation operation(JsonNode node, String where) {
        JsonNode o = object(node, false, OPERATION_FIELDS, where);
        String kindText = required(o, "kind", where);
        OperationKind kind;
        try {
            kind = OperationKind.valueOf(kindText.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(where
                    + ".kind must be get, add, replace, delete, exec, copy, atomic, sequence or alert");
        }
        JsonNode alert = o.get("alert");
        if (alert != null && !alert.isNull() && kind != OperationKind.ALERT) {
            throw ApiError.badRequest(where + ".alert: only an alert has one");
        }
        String target = text(o, "target", where);
        String source = text(o, "source", where);
        String data = text(o, "data", where);
        String format = text(o, "format", where);
        String type = text(o, "type", where);
        String correlator = text(o, "correlator", where);
        JsonNode children = o.get("operations");
        if (children != null && !children.isNull() && kind != OperationKind.ATOMIC
                && kind != OperationKind.SEQUENCE) {
            throw ApiError.badRequest(where + ".operations: only an atomic or a sequence has nested operations");
        }
        try {
            switch (kind) {
                case ATOMIC:
                    if (children == null || !children.isArray() || children.isEmpty()) {
                        throw ApiError.badRequest(where + ".operations must be a non-empty array for an atomic");
                    }
                    if (target != null || source != null || data != null) {
                        throw ApiError.badRequest(where + ": an atomic has only operations");
                    }
                    return Operation.atomic(operations(children, where + ".operations"));
                case SEQUENCE:
                    if (children == null || !children.isArray() || children.isEmpty()) {
                        throw ApiError.badRequest(where + ".operations must be a non-empty array for a sequence");
                    }
                    if (target != null || source != null || data != null) {
                        throw ApiError.badRequest(where + ": a sequence has only operations");
                    }
                    return Operation.sequence(operations(children, where + ".operations"));
                case ALERT:
                    if (target != null || source != null || data != null || format != null || type != null
                            || correlator != null) {
                        throw ApiError.badRequest(where + ": an alert has only kind and alert");
                    }
                    return Operation.alert(userAlert(alert, where + ".alert"));
                case ADD:
                    if (data == null && (format == null || format.equals("node"))) {
                        return new Operation(kind, target, null, null, "node", type, null, List.of());
                    }
                    return new Operation(kind, target, null, data, format == null ? "chr" : format,
                            type == null ? "text/plain" : type, null, List.of());
                case REPLACE:
                    if (data == null) {
                        throw ApiError.badRequest(where + ".data is required for a replace");
                    }
                    return new Operation(kind, target, null, data, format == null ? "chr" : format,
                            type == null ? "text/plain" : type, null, List.of());
                case EXEC:
                    return new Operation(kind, target, null, data, data != null && format == null ? "chr" : format,
                            type, correlator, List.of());
                case COPY:
                    return new Operation(kind, target, source, null, null, null, null, List.of());
                default:
                    if (data != null) {
                        throw ApiError.badRequest(where + ".data is not allowed for a " + kindText);
                    }
                    return new Operation(kind, target, null, null, format, type, null, List.of());
            }
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(where + ": " + e.getMessage());
        }
    }

    /**
     * A user-interaction alert: {@code alert} (display, confirm, text-input, single-choice,
     * multiple-choice), {@code text}, {@code choices}, {@code minDisplaySeconds}, {@code maxDisplaySeconds},
     * {@code defaultResponse}, {@code maxLength}, {@code inputType} (alphanumeric, numeric, date, time, phone,
     * ip-address), {@code echo} (text, password). Checked as {@link UserAlert} checks it.
     */
    static UserAlert userAlert(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            throw ApiError.badRequest(where + " is required for an alert");
        }
        JsonNode o = object(node, false, ALERT_FIELDS, where);
        UiAlertKind kind = constant(UiAlertKind.class, required(o, "alert", where), where + ".alert");
        String text = text(o, "text", where);
        UserAlert.Builder b = UserAlert.builder(kind, text == null ? "" : text);
        JsonNode choices = o.get("choices");
        if (choices != null && !choices.isNull()) {
            if (!choices.isArray()) {
                throw ApiError.badRequest(where + ".choices must be an array of texts");
            }
            for (JsonNode c : choices) {
                if (!c.isTextual()) {
                    throw ApiError.badRequest(where + ".choices must be an array of texts");
                }
                b.choice(c.textValue());
            }
        }
        b.minDisplaySeconds(integer(o, "minDisplaySeconds", where)).maxDisplaySeconds(
                integer(o, "maxDisplaySeconds", where)).maxLength(integer(o, "maxLength", where))
                .defaultResponse(text(o, "defaultResponse", where));
        String it = text(o, "inputType", where);
        if (it != null) {
            b.inputType(constant(UserAlert.InputType.class, it, where + ".inputType"));
        }
        String et = text(o, "echo", where);
        if (et != null) {
            b.echo(constant(UserAlert.Echo.class, et, where + ".echo"));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(where + ": " + e.getMessage());
        }
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String value, String where) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(where + " must be one of " + String.join(", ", java.util.Arrays
                    .stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .toList()));
        }
    }

    /** @return an integer field, 0 when absent or null */
    static int integer(JsonNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiError.badRequest(where + "." + field + " must be an integer");
        }
        return v.intValue();
    }

    /** @return a boolean field, false when absent or null */
    static boolean bool(JsonNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ApiError.badRequest(where + "." + field + " must be true or false");
        }
        return v.booleanValue();
    }

    /**
     * A help-desk install: {@code name}, {@code packageUrl} (required), {@code version}, {@code inactive},
     * {@code question}, {@code maxDisplaySeconds}; checked as {@link InstallRequest} checks it.
     */
    static InstallRequest install(JsonNode body) {
        JsonNode o = object(body, false, INSTALL_FIELDS, "install");
        String name = required(o, "name", "install");
        String url = required(o, "packageUrl", "install");
        try {
            return new InstallRequest(name, url, text(o, "version", "install"), bool(o, "inactive", "install"),
                    text(o, "question", "install"), integer(o, "maxDisplaySeconds", "install"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("install: " + e.getMessage());
        }
    }

    /** The ui-mode of a notify body: background (default), informative, user, unspecified. */
    static NotificationUi ui(JsonNode body) {
        JsonNode o = object(body, true, NOTIFY_FIELDS, "notification");
        String ui = text(o, "ui", "notification");
        if (ui == null) {
            return NotificationUi.BACKGROUND;
        }
        switch (ui.trim().toLowerCase(Locale.ROOT)) {
            case "background":
                return NotificationUi.BACKGROUND;
            case "informative":
                return NotificationUi.INFORMATIVE;
            case "user":
            case "user_interaction":
            case "user-interaction":
                return NotificationUi.USER_INTERACTION;
            case "unspecified":
            case "not_specified":
                return NotificationUi.NOT_SPECIFIED;
            default:
                throw ApiError.badRequest("notification.ui must be background, informative, user or unspecified");
        }
    }
}
