package org.cardinaldm.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * SyncML status codes used by OMA DM 1.2.
 *
 * <p>Numbers and names after OMA-TS-DM_RepPro-V1_2 (status code table), as listed in section 1.11
 * of Cardinal's protocol digest; the DM meaning of each code is in its Javadoc.
 */
public enum StatusCode {
    /** 101: the command is still being processed. */
    IN_PROGRESS(101, "In progress"),
    /** 200: the command completed. For alert 1101 it also means "yes". */
    OK(200, "OK"),
    /** 201: an item was added (data synchronisation; not used by DM commands). */
    ITEM_ADDED(201, "Item added"),
    /** 202: accepted for asynchronous processing (Exec, Generic Alert). */
    ACCEPTED(202, "Accepted for processing"),
    /** 212: authentication accepted; no more credentials needed in this session. */
    AUTHENTICATION_ACCEPTED(212, "Authentication accepted"),
    /** 213: a chunk of a large object was accepted and buffered. */
    CHUNKED_ITEM_ACCEPTED(213, "Chunked item accepted and buffered"),
    /** 214: the user cancelled the operation. */
    OPERATION_CANCELLED(214, "Operation cancelled"),
    /** 215: not executed (user refused, or a Sequence was aborted). */
    NOT_EXECUTED(215, "Not executed"),
    /** 216: the command was rolled back as part of a failed Atomic. */
    ATOMIC_ROLL_BACK_OK(216, "Atomic roll back OK"),
    /** 304: not modified; "no" for alert 1101. */
    NOT_MODIFIED(304, "Not modified"),
    /** 400: the request was malformed. */
    BAD_REQUEST(400, "Bad request"),
    /** 401: invalid credentials. */
    INVALID_CREDENTIALS(401, "Invalid credentials"),
    /** 403: forbidden for a reason other than the ACL. */
    FORBIDDEN(403, "Forbidden"),
    /** 404: no node at that URI. */
    NOT_FOUND(404, "Not found"),
    /** 405: the command is not allowed on that node (permanent nodes, root delete, Get on ./Inbox). */
    COMMAND_NOT_ALLOWED(405, "Command not allowed"),
    /** 406: an optional feature is not supported (property, ?list= form, alert type). */
    OPTIONAL_FEATURE_NOT_SUPPORTED(406, "Optional feature not supported"),
    /** 407: credentials are missing. */
    MISSING_CREDENTIALS(407, "Missing credentials"),
    /** 408: request timeout (user-interaction MAXDT expired). */
    REQUEST_TIMEOUT(408, "Request timeout"),
    /** 412: incomplete command. */
    INCOMPLETE_COMMAND(412, "Incomplete command"),
    /** 413: request entity too large. */
    REQUEST_ENTITY_TOO_LARGE(413, "Request entity too large"),
    /** 414: URI too long (or too deep, or a segment too long). */
    URI_TOO_LONG(414, "URI too long"),
    /** 415: unsupported media type or format. */
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type or format"),
    /** 416: requested size too big. */
    REQUESTED_SIZE_TOO_BIG(416, "Requested size too big"),
    /** 417: retry later. */
    RETRY_LATER(417, "Retry later"),
    /** 418: a node already exists at that URI. */
    ALREADY_EXISTS(418, "Already exists"),
    /** 420: the device is full. */
    DEVICE_FULL(420, "Device full"),
    /** 424: the size of a large object does not match its announced size. */
    SIZE_MISMATCH(424, "Size mismatch"),
    /** 425: the ACL does not grant this command to this principal. */
    PERMISSION_DENIED(425, "Permission denied"),
    /** 500: the command failed. */
    COMMAND_FAILED(500, "Command failed"),
    /** 501: the command is not implemented. */
    COMMAND_NOT_IMPLEMENTED(501, "Command not implemented"),
    /** 503: service unavailable. */
    SERVICE_UNAVAILABLE(503, "Service unavailable"),
    /** 505: DTD version not supported. */
    DTD_VERSION_NOT_SUPPORTED(505, "DTD version not supported"),
    /** 506: processing error. */
    PROCESSING_ERROR(506, "Processing error"),
    /** 507: an Atomic failed and was rolled back. */
    ATOMIC_FAILED(507, "Atomic failed"),
    /** 510: data store failure. */
    DATA_STORE_FAILURE(510, "Data store failure"),
    /** 513: protocol version not supported. */
    PROTOCOL_VERSION_NOT_SUPPORTED(513, "Protocol version not supported"),
    /** 516: an Atomic could not be rolled back. */
    ATOMIC_ROLL_BACK_FAILED(516, "Atomic roll back failed"),
    /** 517: the Atomic response is too large to fit. */
    ATOMIC_RESPONSE_TOO_LARGE(517, "Atomic response too large to fit");

    private static final Map<Integer, StatusCode> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(StatusCode::code, Function.identity()));

    private final int code;
    private final String reason;

    StatusCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /** @return the numeric SyncML status code, e.g. 404 */
    public int code() {
        return code;
    }

    /** @return the reason phrase, e.g. "Not found" */
    public String reason() {
        return reason;
    }

    /** @return true for 2xx codes */
    public boolean isSuccess() {
        return code >= 200 && code < 300;
    }

    /**
     * Looks a numeric code up.
     *
     * @param code a SyncML status code
     * @return the constant, or empty for a code this enum does not name
     */
    public static Optional<StatusCode> of(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** @return the code and its reason phrase, e.g. {@code 404 Not found} */
    @Override
    public String toString() {
        return code + " " + reason;
    }
}
