package org.cardinaldm.syncml.api.model;

import java.util.Map;

/** SyncML status codes used by DM (digest section 1.11; names after the RepPro table). */
public final class StatusCodes {
    /** 101 In progress. */
    public static final int IN_PROGRESS = 101;
    /** 200 OK; also "yes" for alert 1101. */
    public static final int OK = 200;
    /** 201 Item added (data synchronisation). */
    public static final int ITEM_ADDED = 201;
    /** 202 Accepted for processing (asynchronous Exec, Generic Alert). */
    public static final int ACCEPTED = 202;
    /** 212 Authentication accepted for the rest of the session. */
    public static final int AUTHENTICATION_ACCEPTED = 212;
    /** 213 Chunked item accepted and buffered. */
    public static final int CHUNKED_ITEM_ACCEPTED = 213;
    /** 214 Operation cancelled by the user. */
    public static final int OPERATION_CANCELLED = 214;
    /** 215 Not executed. */
    public static final int NOT_EXECUTED = 215;
    /** 216 Atomic roll back OK. */
    public static final int ATOMIC_ROLL_BACK_OK = 216;
    /** 304 Not modified; "no" for alert 1101. */
    public static final int NOT_MODIFIED = 304;
    /** 400 Bad request. */
    public static final int BAD_REQUEST = 400;
    /** 401 Invalid credentials. */
    public static final int INVALID_CREDENTIALS = 401;
    /** 403 Forbidden. */
    public static final int FORBIDDEN = 403;
    /** 404 Not found. */
    public static final int NOT_FOUND = 404;
    /** 405 Command not allowed. */
    public static final int COMMAND_NOT_ALLOWED = 405;
    /** 406 Optional feature not supported. */
    public static final int OPTIONAL_FEATURE_NOT_SUPPORTED = 406;
    /** 407 Missing credentials. */
    public static final int MISSING_CREDENTIALS = 407;
    /** 408 Request timeout. */
    public static final int REQUEST_TIMEOUT = 408;
    /** 412 Incomplete command. */
    public static final int INCOMPLETE_COMMAND = 412;
    /** 413 Request entity too large. */
    public static final int REQUEST_ENTITY_TOO_LARGE = 413;
    /** 414 URI too long. */
    public static final int URI_TOO_LONG = 414;
    /** 415 Unsupported media type or format. */
    public static final int UNSUPPORTED_MEDIA_TYPE = 415;
    /** 416 Requested size too big. */
    public static final int REQUESTED_SIZE_TOO_BIG = 416;
    /** 417 Retry later. */
    public static final int RETRY_LATER = 417;
    /** 418 Already exists. */
    public static final int ALREADY_EXISTS = 418;
    /** 420 Device full. */
    public static final int DEVICE_FULL = 420;
    /** 424 Size mismatch. */
    public static final int SIZE_MISMATCH = 424;
    /** 425 Permission denied. */
    public static final int PERMISSION_DENIED = 425;
    /** 500 Command failed. */
    public static final int COMMAND_FAILED = 500;
    /** 501 Command not implemented. */
    public static final int COMMAND_NOT_IMPLEMENTED = 501;
    /** 503 Service unavailable. */
    public static final int SERVICE_UNAVAILABLE = 503;
    /** 505 DTD version not supported. */
    public static final int DTD_VERSION_NOT_SUPPORTED = 505;
    /** 506 Processing error. */
    public static final int PROCESSING_ERROR = 506;
    /** 507 Atomic failed. */
    public static final int ATOMIC_FAILED = 507;
    /** 510 Data store failure. */
    public static final int DATA_STORE_FAILURE = 510;
    /** 513 Protocol version not supported. */
    public static final int PROTOCOL_VERSION_NOT_SUPPORTED = 513;
    /** 516 Atomic roll back failed. */
    public static final int ATOMIC_ROLL_BACK_FAILED = 516;
    /** 517 Atomic response too large to fit. */
    public static final int ATOMIC_RESPONSE_TOO_LARGE = 517;

    private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(IN_PROGRESS, "In progress"),
            Map.entry(OK, "OK"), Map.entry(ITEM_ADDED, "Item added"), Map.entry(ACCEPTED, "Accepted for processing"),
            Map.entry(AUTHENTICATION_ACCEPTED, "Authentication accepted"),
            Map.entry(CHUNKED_ITEM_ACCEPTED, "Chunked item accepted and buffered"),
            Map.entry(OPERATION_CANCELLED, "Operation cancelled"), Map.entry(NOT_EXECUTED, "Not executed"),
            Map.entry(ATOMIC_ROLL_BACK_OK, "Atomic roll back OK"), Map.entry(NOT_MODIFIED, "Not modified"),
            Map.entry(BAD_REQUEST, "Bad request"), Map.entry(INVALID_CREDENTIALS, "Invalid credentials"),
            Map.entry(FORBIDDEN, "Forbidden"), Map.entry(NOT_FOUND, "Not found"),
            Map.entry(COMMAND_NOT_ALLOWED, "Command not allowed"),
            Map.entry(OPTIONAL_FEATURE_NOT_SUPPORTED, "Optional feature not supported"),
            Map.entry(MISSING_CREDENTIALS, "Missing credentials"), Map.entry(REQUEST_TIMEOUT, "Request timeout"),
            Map.entry(INCOMPLETE_COMMAND, "Incomplete command"),
            Map.entry(REQUEST_ENTITY_TOO_LARGE, "Request entity too large"), Map.entry(URI_TOO_LONG, "URI too long"),
            Map.entry(UNSUPPORTED_MEDIA_TYPE, "Unsupported media type or format"),
            Map.entry(REQUESTED_SIZE_TOO_BIG, "Requested size too big"), Map.entry(RETRY_LATER, "Retry later"),
            Map.entry(ALREADY_EXISTS, "Already exists"), Map.entry(DEVICE_FULL, "Device full"),
            Map.entry(SIZE_MISMATCH, "Size mismatch"), Map.entry(PERMISSION_DENIED, "Permission denied"),
            Map.entry(COMMAND_FAILED, "Command failed"), Map.entry(COMMAND_NOT_IMPLEMENTED, "Command not implemented"),
            Map.entry(SERVICE_UNAVAILABLE, "Service unavailable"),
            Map.entry(DTD_VERSION_NOT_SUPPORTED, "DTD version not supported"),
            Map.entry(PROCESSING_ERROR, "Processing error"), Map.entry(ATOMIC_FAILED, "Atomic failed"),
            Map.entry(DATA_STORE_FAILURE, "Data store failure"),
            Map.entry(PROTOCOL_VERSION_NOT_SUPPORTED, "Protocol version not supported"),
            Map.entry(ATOMIC_ROLL_BACK_FAILED, "Atomic roll back failed"),
            Map.entry(ATOMIC_RESPONSE_TOO_LARGE, "Atomic response too large to fit"));

    private StatusCodes() {
    }

    /**
     * @param code a status code
     * @return its reason phrase, or {@code "Status <code>"} for a code not in the table
     */
    public static String name(int code) {
        return NAMES.getOrDefault(code, "Status " + code);
    }

    /**
     * @param code a status code
     * @return true for 2xx codes
     */
    public static boolean isSuccess(int code) {
        return code >= 200 && code < 300;
    }
}
