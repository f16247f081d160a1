package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.util.List;
import java.util.Map;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;

class CrossSiteCheckTest {
    private final CrossSiteCheck filter = new CrossSiteCheck(List.of("https://console.example.org"));

    private static ContainerRequestContext request(String method, String contentType, String origin, String referer) {
        ContainerRequestContext r = mock(ContainerRequestContext.class);
        UriInfo uri = mock(UriInfo.class);
        when(uri.getBaseUri()).thenReturn(URI.create("http://dms.example.org:8181/cardinal/api/v1/"));
        when(uri.getRequestUri()).thenReturn(URI.create("http://dms.example.org:8181/cardinal/api/v1/devices/x/unlock"));
        when(r.getUriInfo()).thenReturn(uri);
        when(r.getMethod()).thenReturn(method);
        when(r.getMediaType()).thenReturn(contentType == null ? null : MediaType.valueOf(contentType));
        when(r.getHeaderString("Content-Type")).thenReturn(contentType);
        when(r.getHeaderString("Origin")).thenReturn(origin);
        when(r.getHeaderString("Referer")).thenReturn(referer);
        when(r.getHeaderString("Host")).thenReturn("dms.example.org:8181");
        return r;
    }

    private int status(ContainerRequestContext r) {
        Response resp = filter.refusal(r).orElseThrow();
        assertThat(resp.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
        assertThat(((Map<?, ?>) resp.getEntity()).get("status")).isEqualTo(resp.getStatus());
        return resp.getStatus();
    }

    private void passes(ContainerRequestContext r) {
        assertThat(filter.refusal(r)).isEmpty();
    }

    @Test
    void a_write_from_a_foreign_origin_is_403() {
        assertThat(status(request("POST", "application/json", "https://evil.example.net", null))).isEqualTo(403);
        assertThat(status(request("DELETE", null, "http://dms.example.org:8182", null))).isEqualTo(403);
        assertThat(status(request("PUT", "application/json", "https://dms.example.org:8181", null))).isEqualTo(403);
        assertThat(status(request("POST", "application/json", "null", null))).isEqualTo(403);
        assertThat(status(request("POST", "application/json", "http://dms.example.org:8181, https://evil.example.net",
                null))).isEqualTo(403);
    }

    @Test
    void without_an_origin_a_foreign_referer_is_403() {
        assertThat(status(request("POST", "application/json", null, "https://evil.example.net/page.html")))
                .isEqualTo(403);
        assertThat(status(request("POST", "application/json", null, "not a url at all"))).isEqualTo(403);
    }

    @Test
    void a_write_from_the_own_origin_an_allowed_origin_or_a_non_browser_client_passes() {
        passes(request("POST", "application/json", "http://DMS.example.org:8181", null));
        passes(request("POST", "application/json", "https://console.example.org", null));
        passes(request("POST", "application/json", "https://console.example.org:443", null));
        passes(request("POST", "application/json", null, "http://dms.example.org:8181/cardinal/ui/index.html"));
        passes(request("POST", "application/json;charset=UTF-8", null, null));
        passes(request("DELETE", null, null, null));
    }

    @Test
    void post_and_put_need_the_json_content_type_that_no_html_form_can_send() {
        for (String type : new String[] {null, "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/jsonx", "*/*"}) {
            assertThat(status(request("POST", type, null, null))).as(String.valueOf(type)).isEqualTo(415);
        }
        assertThat(status(request("PUT", "text/plain", null, null))).isEqualTo(415);
        assertThat(status(request("PATCH", null, null, null))).isEqualTo(415);
    }

    @Test
    void the_own_origin_is_the_host_the_client_connected_to_with_the_scheme_of_the_connection() {
        ContainerRequestContext viaProxyName = request("POST", "application/json", "https://dms.example.org", null);
        when(viaProxyName.getHeaderString("Host")).thenReturn("dms.example.org");
        javax.ws.rs.core.SecurityContext tls = mock(javax.ws.rs.core.SecurityContext.class);
        when(tls.isSecure()).thenReturn(true);
        when(viaProxyName.getSecurityContext()).thenReturn(tls);
        passes(viaProxyName);
        ContainerRequestContext plain = request("POST", "application/json", "https://dms.example.org:8181", null);
        javax.ws.rs.core.SecurityContext clear = mock(javax.ws.rs.core.SecurityContext.class);
        when(plain.getSecurityContext()).thenReturn(clear);
        assertThat(status(plain)).isEqualTo(403);
        ContainerRequestContext twoHosts = request("POST", "application/json", "http://dms.example.org:8181", null);
        when(twoHosts.getHeaderString("Host")).thenReturn("dms.example.org:8181,evil.example.net");
        assertThat(status(twoHosts)).isEqualTo(403);
    }

    @Test
    void reads_are_not_checked() {
        passes(request("GET", null, "https://evil.example.net", "https://evil.example.net/"));
        passes(request("HEAD", "text/plain", "null", null));
    }

    @Test
    void a_malformed_allow_list_entry_does_not_start() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CrossSiteCheck(List.of("console.example.org")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed.origins");
    }
}
