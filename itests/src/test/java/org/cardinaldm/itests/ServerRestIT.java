package org.cardinaldm.itests;

import static org.cardinaldm.itests.ShellOutput.assertContains;
import static org.cardinaldm.itests.ShellOutput.assertNotContains;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * The operator REST API ({@code cardinal-server-rest}) installed into the distribution next to the DM
 * server and its HTTP endpoint, called over real HTTP with {@code java.net.http}: the feature installs
 * without refreshing or stopping any bundle; operators authenticate with HTTP Basic against Karaf's
 * {@code karaf} realm and need the {@code admin} role (401 without or with wrong credentials, 403
 * without the role); a device is registered, listed and shown without its secrets, a job of ordered
 * operations (an Atomic group, {@code ./SmartCard/...} targets) is queued, shown with its results and
 * cancelled; errors are JSON with 400, 404 and 409; the {@code dms:} shell sees what REST did.
 * Methods run in name order: the later ones use the device the earlier ones registered.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ServerRestIT extends CardinalKarafTestSupport {
    /** An HTTP port of its own, so that a Cardinal running on this machine (8181) does not clash. */
    private static final String HTTP_PORT = "18381";
    private static final String OPERATOR = "rest-operator";
    private static final String OPERATOR_PASSWORD = "rest-operator-pw-7c1e";
    private static final String VIEWER = "rest-viewer";
    private static final String VIEWER_PASSWORD = "rest-viewer-pw-2b9d";
    private static final String DEVICE = "IMEI:350000000000042";
    private static final String DEVICE_PASSWORD = "device-secret-4f0a";
    private static final String SERVER_PASSWORD = "server-secret-9d3c";

    private static final Pattern JOB_ID = Pattern.compile("\"id\" : (\\d+)");

    @Inject
    protected FeaturesService featuresService;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    protected Option[] containerOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", HTTP_PORT),
            editConfigurationFilePut("etc/users.properties", OPERATOR, OPERATOR_PASSWORD + ",_g_:admingroup"),
            editConfigurationFilePut("etc/users.properties", VIEWER, VIEWER_PASSWORD + ",viewer"),
        };
    }

    @Test
    public void a1_the_feature_installs_without_refreshing_or_stopping_any_bundle() throws Exception {
        assertEquals(HTTP_PORT, httpPort());
        // the server with its H2 registry and HTTP endpoint (booted in the all-in-one distribution)
        for (String server : new String[] {"cardinal-server", "cardinal-transport-http-server"}) {
            if (!featuresService.isInstalled(featuresService.getFeature(server))) {
                featuresService.installFeature(server);
            }
        }
        assertNotContains("Bundles to refresh", executeCommand("feature:install -t -v cardinal-server-rest"));
        Set<String> stopped = Collections.synchronizedSet(new TreeSet<>());
        SynchronousBundleListener listener = e -> {
            if (e.getType() == BundleEvent.STOPPED || e.getType() == BundleEvent.UNRESOLVED) {
                stopped.add(e.getBundle().getSymbolicName());
            }
        };
        bundleContext.addBundleListener(listener);
        String installed;
        try {
            installed = executeCommand("feature:install -v cardinal-server-rest");
        } finally {
            bundleContext.removeBundleListener(listener);
        }
        assertNotContains("Bundles to refresh", installed);
        assertNotContains("Error", installed);
        assertEquals("bundles stopped or unresolved while installing cardinal-server-rest", Set.of(), Set.copyOf(stopped));
        assertTrue(featuresService.isInstalled(featuresService.getFeature("cardinal-server-rest")));
        for (String bsn : new String[] {"org.cardinaldm.server.rest", "org.apache.aries.jax.rs.whiteboard"}) {
            assertEquals(bsn, Bundle.ACTIVE, bundle(bsn).orElseThrow().getState());
        }
        // the application is on the whiteboard once DS and Aries have seen it
        await().untilAsserted(() -> assertEquals(401, call("GET", "/devices", null, null).statusCode()));
    }

    @Test
    public void a2_only_operators_with_the_admin_role_get_in() throws Exception {
        HttpResponse<String> none = call("GET", "/devices", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("Basic realm=\"Cardinal\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertContains("\"status\" : 401", none.body());
        assertEquals(401, call("GET", "/devices", basic(OPERATOR, "wrong"), null).statusCode());
        assertEquals(401, call("GET", "/devices", "Bearer " + OPERATOR_PASSWORD, null).statusCode());
        assertEquals(401, call("GET", "/no/such/path", null, null).statusCode());
        // the viewer role reads and never writes
        assertEquals(200, call("GET", "/devices", basic(VIEWER, VIEWER_PASSWORD), null).statusCode());
        HttpResponse<String> viewerWrite = call("POST", "/devices/IMEI:it-viewer/unlock", basic(VIEWER, VIEWER_PASSWORD), "");
        assertEquals(403, viewerWrite.statusCode());
        assertContains("may only read", viewerWrite.body());
        assertEquals(200, call("GET", "/devices", operator(), null).statusCode());
    }

    @Test
    public void a3_cross_site_and_form_like_writes_are_refused() throws Exception {
        HttpRequest foreign = HttpRequest.newBuilder(URI.create(base() + "/devices/IMEI:it-csrf/unlock"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", operator())
                .header("Origin", "https://evil.example").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("")).build();
        assertEquals(403, http.send(foreign, HttpResponse.BodyHandlers.ofString()).statusCode());
        // a body-less POST without the JSON content type (what an HTML form can send) is refused
        assertEquals(415, call("POST", "/devices/IMEI:it-csrf/unlock", operator(), null).statusCode());
    }

    @Test
    public void b1_a_device_is_registered_listed_and_shown_without_its_secrets() throws Exception {
        HttpResponse<String> created = call("POST", "/devices", operator(), "{\"deviceId\":\"" + DEVICE + "\","
                + "\"clientPassword\":\"" + DEVICE_PASSWORD + "\",\"serverPassword\":\"" + SERVER_PASSWORD + "\","
                + "\"cardId\":\"8944000000000000042\",\"clientAuth\":\"md5\"}");
        assertEquals(created.body(), 201, created.statusCode());
        assertEquals(base() + "/devices/" + DEVICE, created.headers().firstValue("Location").orElse(""));
        assertEquals("application/json", created.headers().firstValue("Content-Type").orElse(""));
        String list = call("GET", "/devices", operator(), null).body();
        assertContains("\"deviceId\" : \"" + DEVICE + "\"", list);
        assertContains("\"state\" : \"new\"", list);
        String device = call("GET", "/devices/" + DEVICE, operator(), null).body();
        assertContains("8944000000000000042", device);
        assertContains("\"totalAuthFailures\" : 0", device);
        for (String text : new String[] {created.body(), list, device}) {
            assertNotContains(DEVICE_PASSWORD, text);
            assertNotContains(SERVER_PASSWORD, text);
        }
        HttpResponse<String> again = call("POST", "/devices", operator(), "{\"deviceId\":\"" + DEVICE + "\","
                + "\"clientPassword\":\"x\",\"serverPassword\":\"y\"}");
        assertEquals(409, again.statusCode());
        assertContains("already registered", again.body());
        HttpResponse<String> bad = call("POST", "/devices", operator(), "{\"deviceId\":\"IMEI:1\"}");
        assertEquals(400, bad.statusCode());
        assertContains("device.clientPassword is required", bad.body());
        assertEquals(400, call("POST", "/devices", operator(), "{\"deviceId\":").statusCode());
        assertEquals(404, call("GET", "/devices/IMEI:nobody", operator(), null).statusCode());
        assertContains(DEVICE, executeCommand("dms:devices"));
    }

    @Test
    public void b2_a_job_is_queued_shown_with_its_results_and_cancelled() throws Exception {
        HttpResponse<String> created = call("POST", "/devices/" + DEVICE + "/jobs", operator(),
                "{\"description\":\"card MO\",\"operations\":["
                + "{\"kind\":\"get\",\"target\":\"./SmartCard/Info/CardId\"},"
                + "{\"kind\":\"atomic\",\"operations\":["
                + "{\"kind\":\"add\",\"target\":\"./SmartCard/MO/IT\"},"
                + "{\"kind\":\"replace\",\"target\":\"./SmartCard/MO/IT/Mode\",\"data\":\"eco\"}]}]}");
        assertEquals(created.body(), 201, created.statusCode());
        Matcher m = JOB_ID.matcher(created.body());
        assertTrue(created.body(), m.find());
        String id = m.group(1);
        assertEquals(base() + "/jobs/" + id, created.headers().firstValue("Location").orElse(""));
        String job = call("GET", "/jobs/" + id, operator(), null).body();
        assertContains("\"state\" : \"pending\"", job);
        assertContains("\"operationCount\" : 4", job);
        assertContains("./SmartCard/MO/IT/Mode", job);
        assertContains("\"results\"", job);
        assertContains("\"id\" : " + id, call("GET", "/devices/" + DEVICE + "/jobs", operator(), null).body());
        assertContains("Job " + id + " for " + DEVICE + ": PENDING", executeCommand("dms:results " + id));

        HttpResponse<String> cancelled = call("DELETE", "/jobs/" + id, operator(), null);
        assertEquals(200, cancelled.statusCode());
        assertContains("\"state\" : \"cancelled\"", cancelled.body());
        assertEquals(409, call("DELETE", "/jobs/" + id, operator(), null).statusCode());
        assertEquals(404, call("GET", "/jobs/999999", operator(), null).statusCode());
        assertEquals(400, call("GET", "/jobs/abc", operator(), null).statusCode());
        HttpResponse<String> atomicGet = call("POST", "/devices/" + DEVICE + "/jobs", operator(),
                "{\"operations\":[{\"kind\":\"atomic\",\"operations\":[{\"kind\":\"get\",\"target\":\"./A\"}]}]}");
        assertEquals(400, atomicGet.statusCode());
        assertContains("not allowed inside an Atomic", atomicGet.body());
        assertEquals(404, call("POST", "/devices/IMEI:nobody/jobs", operator(),
                "{\"operations\":[{\"kind\":\"get\",\"target\":\"./A\"}]}").statusCode());
    }

    @Test
    public void b3_help_desk_notify_sessions_and_removal() throws Exception {
        assertEquals(404, call("GET", "/devices/" + DEVICE + "/helpdesk", operator(), null).statusCode());
        assertEquals(201, call("POST", "/devices/" + DEVICE + "/helpdesk", operator(), "").statusCode());
        String answers = call("GET", "/devices/" + DEVICE + "/helpdesk", operator(), null).body();
        assertContains("./SmartCard/Info?list=StructData", answers);
        assertContains("\"complete\" : false", answers);
        // registered without a push address: nothing to send a package 0 to
        assertEquals(409, call("POST", "/devices/" + DEVICE + "/notify", operator(), "").statusCode());
        assertEquals(200, call("GET", "/sessions", operator(), null).statusCode());
        assertEquals(200, call("POST", "/devices/" + DEVICE + "/unlock", operator(), "").statusCode());
        assertEquals(405, call("PUT", "/devices", operator(), "{}").statusCode());
        assertEquals(404, call("GET", "/no/such/path", operator(), null).statusCode());
        assertEquals(204, call("DELETE", "/devices/" + DEVICE, operator(), null).statusCode());
        assertEquals(404, call("DELETE", "/devices/" + DEVICE, operator(), null).statusCode());
        assertNotContains(DEVICE, executeCommand("dms:devices"));
    }

    private HttpResponse<String> call(String method, String path, String authorization, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String base() throws IOException {
        return "http://127.0.0.1:" + httpPort() + "/cardinal/api/v1";
    }

    private static String httpPort() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Paths.get(System.getProperty("karaf.etc"), "org.ops4j.pax.web.cfg"))) {
            p.load(in);
        }
        return p.getProperty("org.osgi.service.http.port").trim();
    }

    private static String operator() {
        return basic(OPERATOR, OPERATOR_PASSWORD);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
