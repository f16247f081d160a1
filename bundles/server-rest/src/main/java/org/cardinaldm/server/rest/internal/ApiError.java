package org.cardinaldm.server.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/**
 * The errors of the API: an HTTP status with a JSON body {@code {"status": 404, "error": "Not Found",
 * "message": "..."}}. Messages name what was wrong, never a secret.
 */
final class ApiError {
    private ApiError() {
    }

    /**
     * @param status the HTTP status
     * @param message what was wrong, for the operator
     * @return the JSON body
     */
    static Map<String, Object> body(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        Response.Status.Family family = Response.Status.Family.familyOf(status);
        Response.StatusType type = Response.Status.fromStatusCode(status);
        m.put("error", type != null ? type.getReasonPhrase() : family.name());
        m.put("message", message);
        return m;
    }

    /**
     * @param status the HTTP status
     * @param message what was wrong
     * @return the response
     */
    static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(status, message)).build();
    }

    static WebApplicationException of(int status, String message) {
        return new WebApplicationException(message, response(status, message));
    }

    static WebApplicationException badRequest(String message) {
        return of(400, message);
    }

    static WebApplicationException notFound(String message) {
        return of(404, message);
    }

    static WebApplicationException conflict(String message) {
        return of(409, message);
    }
}
