package org.cardinaldm.server.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The servlet in a real container (Jetty 9.4, the family of Karaf 4.4's Pax Web) on loopback. */
class ConsoleServletTest {
    private static Server server;
    private static String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        server = new Server();
        ServerConnector c = new ServerConnector(server);
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(new ConsoleServlet(
                ConsoleAssets.load(ConsoleServletTest.class.getClassLoader(), "/cardinal/api/v1")));
        context.addServlet(holder, "/cardinal/console");
        context.addServlet(holder, "/cardinal/console/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + c.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    private HttpResponse<String> send(String method, String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertGuarded(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(ConsoleServlet.CSP);
        assertThat(ConsoleServlet.CSP).contains("script-src 'self'").contains("default-src 'none'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void the_root_is_the_page_with_the_policy_headers() throws Exception {
        HttpResponse<String> r = send("GET", "/cardinal/console/", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.body()).contains("<meta name=\"cardinal-api\" content=\"/cardinal/api/v1\">");
        assertGuarded(r);
    }

    @Test
    void the_root_without_its_slash_redirects_to_it() throws Exception {
        HttpResponse<String> r = send("GET", "/cardinal/console", null);
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location").orElse("")).endsWith("/cardinal/console/");
    }

    @Test
    void scripts_and_styles_have_their_types_and_revalidate_with_the_etag() throws Exception {
        HttpResponse<String> js = send("GET", "/cardinal/console/app.js", null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(js.headers().firstValue("Cache-Control")).hasValue("no-cache");
        String etag = js.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = send("GET", "/cardinal/console/app.js", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(send("GET", "/cardinal/console/console.css", null).headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/css");
        HttpResponse<String> head = send("HEAD", "/cardinal/console/app.js", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void unknown_names_are_404_with_the_policy_headers_and_traversals_reach_nothing() throws Exception {
        for (String path : new String[] {"/cardinal/console/nothing.js",
            "/cardinal/console/org/cardinaldm/server/console/internal/ConsoleServlet.class",
            "/cardinal/console/META-INF/MANIFEST.MF", "/cardinal/console/console/app.js"}) {
            HttpResponse<String> r = send("GET", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertGuarded(r);
            assertThat(r.body()).isEqualTo("The console has no such file.");
        }
        // the container refuses or normalises these before the servlet: nothing of the bundle leaks
        for (String path : new String[] {"/cardinal/console/..%2fpom.xml", "/cardinal/console/%2e%2e/%2e%2e/etc/passwd",
            "/cardinal/console/app.js%00"}) {
            HttpResponse<String> r = send("GET", path, null);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.body()).doesNotContain("import ").doesNotContain("root:");
        }
    }

    @Test
    void other_methods_are_405() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> r = send(method, "/cardinal/console/app.js", null);
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertGuarded(r);
        }
    }

    @Test
    void the_path_is_normalised_and_the_root_refused() {
        assertThat(ConsoleComponent.path("cardinal/console/")).isEqualTo("/cardinal/console");
        assertThat(ConsoleComponent.path("/ops")).isEqualTo("/ops");
        for (String bad : new String[] {"/", "", "/a b", "/a//b", "/<x>"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConsoleComponent.path(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
