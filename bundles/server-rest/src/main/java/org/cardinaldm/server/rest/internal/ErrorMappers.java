package org.cardinaldm.server.rest.internal;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.cardinaldm.server.api.spi.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every failure becomes a JSON error body: the API never answers with an HTML page or a stack trace. */
final class ErrorMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

    private ErrorMappers() {
    }

    /** JAX-RS errors (ours, and the runtime's 404/405/406/415 for unknown paths and media types). */
    static final class WebErrors implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response r = e.getResponse();
            if (r != null && r.hasEntity() && MediaType.APPLICATION_JSON_TYPE.isCompatible(r.getMediaType())) {
                return r;
            }
            int status = r == null ? 500 : r.getStatus();
            String message = status == 404 ? "no such resource" : status == 405 ? "method not allowed here"
                    : status == 415 ? "send application/json" : status == 406 ? "this API answers application/json"
                    : status >= 500 ? "internal error" : "request refused";
            Response.ResponseBuilder b = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ApiError.body(status, message));
            if (r != null) {
                r.getHeaders().forEach((k, v) -> {
                    if (!k.equalsIgnoreCase("Content-Type") && !k.equalsIgnoreCase("Content-Length")) {
                        v.forEach(x -> b.header(k, x));
                    }
                });
            }
            return b.build();
        }
    }

    /** The registry is down or failing: 503, the request may be retried. */
    static final class StoreErrors implements ExceptionMapper<StoreException> {
        @Override
        public Response toResponse(StoreException e) {
            LOG.warn("Registry failure: {}", e.getMessage());
            return ApiError.response(503, "the device registry is not available");
        }
    }

    /** Anything else is a bug: 500, logged, no detail to the client. */
    static final class Unexpected implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException e) {
            if (e instanceof WebApplicationException w) {
                return new WebErrors().toResponse(w);
            }
            if (e instanceof StoreException s) {
                return new StoreErrors().toResponse(s);
            }
            LOG.error("REST request failed", e);
            return ApiError.response(500, "internal error");
        }
    }
}
