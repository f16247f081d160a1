package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.ws.rs.NotAllowedException;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.cardinaldm.server.api.spi.StoreException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class JsonAndErrorsTest {
    private static JsonNode read(byte[] body) throws Exception {
        return new JsonProvider().readFrom(JsonNode.class, JsonNode.class, new Annotation[0],
                MediaType.APPLICATION_JSON_TYPE, null, new ByteArrayInputStream(body));
    }

    private static int status(Throwable e) {
        return ((WebApplicationException) e).getResponse().getStatus();
    }

    @Test
    void malformed_json_is_400_with_its_position() {
        assertThatThrownBy(() -> read("{\"a\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WebApplicationException.class).satisfies(e -> assertThat(status(e)).isEqualTo(400))
                .hasMessageContaining("not valid JSON (line 1");
        assertThatThrownBy(() -> read("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .satisfies(e -> assertThat(status(e)).isEqualTo(400));
        assertThatThrownBy(() -> read("[".repeat(100).getBytes(StandardCharsets.UTF_8)))
                .satisfies(e -> assertThat(status(e)).isEqualTo(400));
    }

    @Test
    void a_body_over_the_limit_is_413_and_an_empty_one_is_missing() throws Exception {
        byte[] big = new byte[JsonProvider.MAX_BODY_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        assertThatThrownBy(() -> read(big)).satisfies(e -> assertThat(status(e)).isEqualTo(413));
        assertThat(read(new byte[0]).isMissingNode()).isTrue();
        assertThat(read("{\"a\":[1,true,null]}".getBytes(StandardCharsets.UTF_8)).get("a").size()).isEqualTo(3);
    }

    @Test
    void maps_and_lists_are_written_as_json_and_other_types_are_not_taken() {
        JsonProvider p = new JsonProvider();
        assertThat(TestSupport.write(Map.of("k", List.of(1, "two")))).contains("\"k\" : [ 1, \"two\" ]");
        assertThat(p.isWriteable(Map.class, Map.class, null, MediaType.APPLICATION_JSON_TYPE)).isTrue();
        assertThat(p.isWriteable(String.class, String.class, null, MediaType.APPLICATION_JSON_TYPE)).isFalse();
        assertThat(p.isWriteable(Map.class, Map.class, null, MediaType.TEXT_HTML_TYPE)).isFalse();
    }

    @Test
    void runtime_errors_get_json_bodies_with_their_status() {
        Response notFound = new ErrorMappers.WebErrors().toResponse(new NotFoundException());
        assertThat(notFound.getStatus()).isEqualTo(404);
        assertThat(notFound.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
        assertThat(((Map<?, ?>) notFound.getEntity()).get("message")).isEqualTo("no such resource");
        Response notAllowed = new ErrorMappers.WebErrors().toResponse(new NotAllowedException("GET"));
        assertThat(notAllowed.getStatus()).isEqualTo(405);
        assertThat(notAllowed.getHeaderString("Allow")).contains("GET");
        WebApplicationException ours = ApiError.conflict("busy");
        assertThat(new ErrorMappers.WebErrors().toResponse(ours)).isSameAs(ours.getResponse());
    }

    @Test
    void a_registry_failure_is_503_and_a_bug_is_500_without_detail() {
        Response store = new ErrorMappers.Unexpected().toResponse(new StoreException("jdbc:h2:secret-path broken"));
        assertThat(store.getStatus()).isEqualTo(503);
        assertThat(TestSupport.write(store.getEntity())).doesNotContain("secret-path");
        Response bug = new ErrorMappers.Unexpected().toResponse(new IllegalStateException("internal detail"));
        assertThat(bug.getStatus()).isEqualTo(500);
        assertThat(TestSupport.write(bug.getEntity())).doesNotContain("internal detail").contains("internal error");
        assertThat(new ErrorMappers.Unexpected().toResponse(ApiError.badRequest("x")).getStatus()).isEqualTo(400);
    }
}
