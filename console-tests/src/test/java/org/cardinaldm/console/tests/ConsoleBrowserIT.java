package org.cardinaldm.console.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.cardinaldm.testing.RequiresTool;
import org.cardinaldm.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The operator web console in headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * no driver download) against the unpacked all-in-one distribution with its demo device: keyboard-only
 * login and navigation, the demo device in the fleet, its help-desk report, a Replace on a card MO that
 * succeeds, XSS payloads in a device id and a DevInfo value that stay text, a viewer who sees the
 * controls disabled and whose write the server refuses, no horizontal scrolling at 375 px, and no
 * request outside the server; an action done in the console found in the audit log with its filters, which a viewer
 * reads without any control; a live firmware campaign whose progress changes on the page without reload, paused,
 * resumed and cancelled by an administrator and refused to a viewer. The screenshots the docs use are saved to
 * {@code cardinal.screenshots}.
 * Run under {@code flock /tmp/cardinal-karaf.lock}: the distribution listens on 8181 and 8443.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
@RequiresTool(name = "chromium", debianPackage = "chromium")
@RequiresTool(name = "chromedriver", debianPackage = "chromium-driver")
class ConsoleBrowserIT {
    private static final String DEVICE = "urn:x-cardinaldm:demo-gateway";
    private static final String ADMIN = "console-admin";
    private static final String ADMIN_PW = "console-admin-pw-5e1b";
    private static final String VIEWER = "console-viewer";
    private static final String VIEWER_PW = "console-viewer-pw-93aa";
    private static final String XSS_ID = "IMEI:<img src=x onerror=window.__xss=1>";
    private static final String XSS_MODEL = "<img src=x onerror=window.__xss=2>";
    private static final String CARD_MO = "./SmartCard/MO/Operator/PollMinutes";
    private static final String HTTP = "http://127.0.0.1:8181";
    private static final String CONSOLE = HTTP + "/cardinal/console/";
    private static final Duration DEVICE_WAIT = Duration.ofSeconds(150);
    /** A firmware package the distribution publishes for its demo device (bin/demo, step 7). */
    private static final String FIRMWARE = "cardinal-gateway-2.0.0.img";

    private RunningCardinal cardinal;
    private ChromeDriver driver;
    private Path screenshots;
    private long campaign;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void boot() throws Exception {
        screenshots = Path.of(System.getProperty("cardinal.screenshots", "target/screenshots"));
        Files.createDirectories(screenshots);
        cardinal = RunningCardinal.unpack(Path.of(System.getProperty("cardinal.distribution")), Path.of("target", "console-it"),
                List.of(ADMIN + " = " + ADMIN_PW + ",_g_:admingroup", VIEWER + " = " + VIEWER_PW + ",_g_:viewergroup"));
        String overlay = System.getProperty("cardinal.overlay.bundles", "");
        if (!overlay.isBlank()) {
            cardinal.overlay(java.util.Arrays.stream(overlay.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                    .map(Path::of).toList());
        }
        cardinal.start();
        await("Cardinal answers on its shell").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2))
                .until(() -> cardinal.client("dm:ls .").contains("DevInfo"));
        String bundles = cardinal.client("bundle:list -s -t 0");
        if (!bundles.contains("org.cardinaldm.server.console")) {
            // a distribution without the console yet: this build's bundles (REST API, console and what they import)
            cardinal.client("feature:install cardinal-server-rest");
            bundles = cardinal.client("bundle:list -s -t 0");
            for (String jar : System.getProperty("cardinal.build.bundles", "").split(",")) {
                Path file = Path.of(jar.trim()).toAbsolutePath();
                String bsn = symbolicName(file);
                cardinal.client((bundles.contains(" " + bsn + "\n") || bundles.contains(" " + bsn + "\r")
                        ? "bundle:update " + bsn + " " : "bundle:install ") + "file:" + file);
            }
            for (String jar : System.getProperty("cardinal.build.bundles", "").split(",")) {
                cardinal.client("bundle:start " + symbolicName(Path.of(jar.trim())));
            }
        }
        // the device reports this model in its next session's package 1 (the help desk below notifies it)
        cardinal.client("config:property-set -p org.cardinaldm.mo.devinfo mod \"" + XSS_MODEL + "\"");
        await("the console and its REST API are published").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> status(CONSOLE, null) == 200 && status(HTTP + "/cardinal/api/v1/console/session", basic(ADMIN, ADMIN_PW)) == 200);
        await("the demo device reached the server").atMost(DEVICE_WAIT).pollInterval(Duration.ofSeconds(2))
                .until(() -> cardinal.client("dms:devices").lines().anyMatch(l -> l.startsWith(DEVICE) && l.contains("ACTIVE")));
        HttpResponse<String> xss = http.send(HttpRequest.newBuilder(URI.create(HTTP + "/cardinal/api/v1/devices"))
                .header("Authorization", basic(ADMIN, ADMIN_PW)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + XSS_ID + "\",\"clientPassword\":\"x-pw-1\","
                        + "\"serverPassword\":\"x-pw-2\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(xss.statusCode()).as(xss.body()).isEqualTo(201);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(Tools.find("chromium", org.cardinaldm.testing.Environment.system()).orElseThrow().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingAnyFreePort()
                .usingDriverExecutable(Tools.find("chromedriver", org.cardinaldm.testing.Environment.system()).orElseThrow().toFile())
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    void shutDown() {
        if (driver != null) {
            driver.quit();
        }
        if (cardinal != null) {
            cardinal.close();
        }
    }

    @Test
    void a1_keyboard_only_login_shows_the_demo_device_in_the_fleet() throws Exception {
        driver.get(CONSOLE);
        await().atMost(Duration.ofSeconds(20)).until(() -> "login-user".equals(activeId()));
        shot("login");
        Actions keys = new Actions(driver);
        keys.sendKeys(ADMIN).sendKeys(Keys.TAB).perform();
        assertThat(activeId()).isEqualTo("login-password");
        assertThat(js("return getComputedStyle(document.activeElement).outlineStyle")).as("visible focus").isNotEqualTo("none");
        keys.sendKeys(ADMIN_PW).sendKeys(Keys.ENTER).perform();
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#fleet-table").contains(DEVICE));
        assertThat(text("#who")).isEqualTo(ADMIN + " · admin");
        assertThat(driver.findElement(By.id("readonly")).isDisplayed()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> !driver.findElements(By.cssSelector("#fleet-chart svg")).isEmpty());
        shot("fleet");
    }

    @Test
    void a2_keyboard_only_navigation_opens_the_device_page() {
        String href = "#/device/" + enc(DEVICE);
        Actions keys = new Actions(driver);
        for (int i = 0; i < 80 && !href.equals(js("return document.activeElement.getAttribute('href')")); i++) {
            keys.sendKeys(Keys.TAB).perform();
        }
        assertThat(js("return document.activeElement.getAttribute('href')")).isEqualTo(href);
        keys.sendKeys(Keys.ENTER).perform();
        await().atMost(Duration.ofSeconds(20)).until(() -> "device-title".equals(activeId()));
        assertThat(text("#device-title")).isEqualTo(DEVICE);
    }

    @Test
    void b1_the_help_desk_report_arrives_in_its_sections() throws Exception {
        driver.findElement(By.id("device-helpdesk")).click();
        await("the help-desk report is complete").atMost(DEVICE_WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> text("#helpdesk-report").contains("complete"));
        String report = text("#helpdesk-report");
        assertThat(report).contains("Device").contains("Card").contains("Connectivity");
        assertThat(driver.findElements(By.cssSelector(".report-section[data-kind=device] tbody tr"))).isNotEmpty();
        shot("device");
    }

    @Test
    void b2_a_replace_on_a_card_mo_queued_in_the_console_succeeds() throws Exception {
        driver.get(CONSOLE + "#/jobs/" + enc(DEVICE));
        await().atMost(Duration.ofSeconds(20)).until(() -> !driver.findElements(By.id("op-kind")).isEmpty());
        new Select(driver.findElement(By.id("op-kind"))).selectByValue("replace");
        driver.findElement(By.id("op-target")).sendKeys(CARD_MO);
        driver.findElement(By.id("op-data")).sendKeys("25");
        driver.findElement(By.id("job-description")).sendKeys("PollMinutes from the console");
        driver.findElement(By.id("job-submit")).click();
        await("the job succeeds").atMost(DEVICE_WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> "succeeded".equals(js("var b = document.getElementById('job-result'); return b && b.dataset.state")));
        String results = text("#job-result");
        assertThat(results).contains(CARD_MO).contains("200");
        assertThat(cardinal.client("dm:get " + CARD_MO)).contains("25");
        shot("jobs");
    }

    @Test
    void b3_xss_payloads_in_a_device_id_and_a_devinfo_value_stay_text() throws Exception {
        driver.get(CONSOLE + "#/fleet");
        await().atMost(Duration.ofSeconds(20)).until(() -> !driver.findElements(By.id("fleet-q")).isEmpty());
        driver.findElement(By.id("fleet-q")).sendKeys("onerror", Keys.ENTER);
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#fleet-table").contains(XSS_ID)
                && text("#fleet-table").contains(XSS_MODEL));
        shot("xss");
        assertThat(js("return typeof window.__xss")).isEqualTo("undefined");
        assertThat(driver.findElements(By.cssSelector("#main img"))).isEmpty();
        driver.get(CONSOLE + "#/device/" + enc(XSS_ID));
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#device-title").equals(XSS_ID));
        driver.get(CONSOLE + "#/device/" + enc(DEVICE));
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#devinfo-table").contains(XSS_MODEL));
        assertThat(js("return typeof window.__xss")).isEqualTo("undefined");
        assertThat(driver.findElements(By.cssSelector("#main img"))).isEmpty();
    }

    @Test
    void b4_every_request_stays_on_this_server() {
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) js("return performance.getEntriesByType('resource').map(e => e.name)");
        assertThat(urls).isNotEmpty().allMatch(u -> u.startsWith(HTTP + "/"));
    }

    @Test
    void c1_a_viewer_sees_everything_and_cannot_queue_anything() throws Exception {
        driver.findElement(By.id("logout")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> "login-user".equals(activeId()));
        new Actions(driver).sendKeys(VIEWER).sendKeys(Keys.TAB).sendKeys(VIEWER_PW).sendKeys(Keys.ENTER).perform();
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#fleet-table").contains(DEVICE));
        assertThat(driver.findElement(By.id("readonly")).isDisplayed()).isTrue();
        driver.get(CONSOLE + "#/device/" + enc(DEVICE));
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#helpdesk-report").contains("complete"));
        for (String id : new String[] {"device-notify", "device-unlock", "device-helpdesk", "tree-browse"}) {
            assertThat(driver.findElement(By.id(id)).isEnabled()).as(id).isFalse();
        }
        shot("viewer");
        driver.get(CONSOLE + "#/jobs/" + enc(DEVICE));
        await().atMost(Duration.ofSeconds(20)).until(() -> !driver.findElements(By.id("job-submit")).isEmpty());
        assertThat(driver.findElement(By.id("job-submit")).isEnabled()).isFalse();
        assertThat(driver.findElement(By.id("op-target")).isEnabled()).isFalse();
        String jobsBefore = cardinal.client("dms:jobs " + DEVICE);
        // the server refuses the viewer's write even when the page is bypassed, with the session's own token
        Object answer = driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "fetch('/cardinal/api/v1/console/session', {headers: {'X-Cardinal-Console': '1'}}).then(r => r.json())"
                + ".then(s => fetch('/cardinal/api/v1/devices/' + encodeURIComponent(arguments[0]) + '/jobs', {method: 'POST',"
                + " headers: {'Content-Type': 'application/json', 'X-Cardinal-CSRF': s.csrf, 'X-Cardinal-Console': '1'},"
                + " body: JSON.stringify({operations: [{kind: 'replace', target: arguments[1], data: '99'}]})}))"
                + ".then(r => r.text().then(t => done(r.status + ' ' + t))).catch(e => done('error ' + e));", DEVICE, CARD_MO);
        assertThat(String.valueOf(answer)).startsWith("403 ").contains("may only read");
        assertThat(cardinal.client("dms:jobs " + DEVICE)).isEqualTo(jobsBefore);
    }

    @Test
    void d1_at_375_px_no_page_scrolls_sideways() throws Exception {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 375, "height", 812, "deviceScaleFactor", 1, "mobile", true));
        try {
            for (String page : new String[] {"#/fleet", "#/device/" + enc(DEVICE),
                "#/jobs/" + enc(DEVICE), "#/firmware", "#/audit"}) {
                driver.get(CONSOLE + page);
                await().atMost(Duration.ofSeconds(20)).until(() -> !driver.findElements(By.cssSelector("main h1")).isEmpty()
                        && !driver.findElements(By.cssSelector("main table, #firmware-absent, #campaigns")).isEmpty());
                assertThat(js("return window.innerWidth")).isEqualTo(375L);
                Object wide = js("return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)");
                assertThat(((Number) wide).intValue()).as(page + " scroll width").isLessThanOrEqualTo(375);
                if (page.equals("#/fleet")) {
                    shot("mobile-fleet");
                } else if (page.startsWith("#/device")) {
                    shot("mobile-device");
                }
            }
            // FUMO on the server: packages and campaigns; without it: "not installed"
            String firmware = text("#firmware");
            assertThat(firmware.contains("not installed") || firmware.contains("Packages") && firmware.contains("Campaigns"))
                    .as(firmware).isTrue();
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    // ------------------------------------------------------------------ the audit log

    @Test
    void e1_an_action_done_in_the_console_is_in_the_audit_log_with_who_what_and_when_and_the_filters_find_it()
            throws Exception {
        login(ADMIN, ADMIN_PW);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS); // the server's clock is this host's
        driver.get(CONSOLE + "#/device/" + enc(DEVICE));
        await().atMost(Duration.ofSeconds(20)).until(() -> !driver.findElements(By.id("device-unlock")).isEmpty()
                && driver.findElement(By.id("device-unlock")).isEnabled());
        driver.findElement(By.id("device-unlock")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#toast").contains("Device unlocked."));
        Instant after = Instant.now().plusSeconds(2);
        assertThat(cardinal.client("dms:device-tag " + DEVICE + " audit-e1")).contains("audit-e1");

        // the device page links to its own entries
        driver.findElement(By.id("device-audit")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#audit-table").contains("dms:device-tag audit-e1"));
        assertThat(driver.getCurrentUrl()).endsWith("#/audit?target=" + enc(DEVICE));
        Map<String, String> unlock = row("#audit-table", "/unlock");
        assertThat(unlock.get("User")).isEqualTo(ADMIN);
        assertThat(unlock.get("Via")).isEqualTo("console");
        assertThat(unlock.get("Action")).isEqualTo("POST /devices/" + enc(DEVICE) + "/unlock");
        assertThat(unlock.get("Target")).isEqualTo(DEVICE);
        assertThat(unlock.get("Outcome")).startsWith("20");
        assertThat(Instant.parse(unlock.get("datetime"))).isBetween(before, after);
        Map<String, String> tag = row("#audit-table", "dms:device-tag audit-e1");
        assertThat(tag.get("User")).isEqualTo("admin"); // bin/client's key
        assertThat(tag.get("Via")).isEqualTo("shell");
        assertThat(tag.get("Outcome")).isEqualTo("ok");

        // the filter form: user and action added to the target the address already holds
        driver.findElement(By.id("audit-actor")).sendKeys(ADMIN);
        driver.findElement(By.id("audit-action")).sendKeys("UNLOCK", Keys.ENTER);
        await().atMost(Duration.ofSeconds(20)).until(() -> driver.getCurrentUrl().contains("actor=" + ADMIN)
                && text("#audit-filtered").contains("action “UNLOCK”") && text("#audit-table").contains("/unlock"));
        List<Map<String, String>> rows = rows("#audit-table");
        assertThat(rows).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("User")).isEqualTo(ADMIN);
            assertThat(r.get("Target")).isEqualTo(DEVICE);
            assertThat(r.get("Action")).endsWith("/unlock");
        });
        shot("audit");

        // a time range from the address: only what the administrator did in those seconds
        driver.get(CONSOLE + "#/audit?actor=" + enc(ADMIN) + "&since=" + enc(before.toString()) + "&until="
                + enc(after.toString()));
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#audit-filtered").contains("from "));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows("#audit-table").size() == 1);
        assertThat(rows("#audit-table").get(0).get("Action")).endsWith("/unlock");
        driver.get(CONSOLE + "#/audit?actor=" + enc(ADMIN) + "&since=" + enc(after.plusSeconds(3600).toString()));
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#audit-table").contains("No entry matches these filters."));

        // what the server refuses is shown under the form
        driver.get(CONSOLE + "#/audit?since=yesterday");
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#audit-error").startsWith("since must be an ISO-8601 time"));
        assertThat(driver.findElements(By.cssSelector("#audit-table"))).isEmpty();
    }

    @Test
    void e2_a_viewer_sees_the_audit_log_with_its_own_refused_write_and_has_no_controls() {
        login(VIEWER, VIEWER_PW);
        driver.get(CONSOLE + "#/audit?target=" + enc(DEVICE));
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#audit-table").contains("/unlock"));
        assertThat(driver.findElement(By.id("readonly")).isDisplayed()).isTrue();
        // c1's write, refused by the server, is on the record too
        Map<String, String> refused = row("#audit-table", VIEWER);
        assertThat(refused.get("Action")).isEqualTo("POST /devices/" + enc(DEVICE) + "/jobs");
        assertThat(refused.get("Outcome")).isEqualTo("403 Forbidden (refused or failed)");
        // nothing on the page changes anything: the buttons filter, page and refresh
        List<String> buttons = driver.findElements(By.cssSelector("main button")).stream()
                .map(b -> b.getAttribute("id")).toList();
        assertThat(buttons).containsExactlyInAnyOrder("audit-refresh", "audit-apply", "audit-clear", "audit-prev",
                "audit-next");
        assertThat(driver.findElements(By.cssSelector("main form"))).extracting(f -> f.getAttribute("id"))
                .containsExactly("audit-filters");
    }

    // ------------------------------------------------------------------ firmware: a live campaign

    @Test
    void f1_a_live_campaign_shows_its_progress_without_reload_and_an_administrator_pauses_and_resumes_it()
            throws Exception {
        // three devices that never connect keep the campaign running once the demo device has updated
        List<String> devices = new java.util.ArrayList<>(List.of(DEVICE));
        for (int i = 1; i <= 3; i++) {
            String id = "IMEI:campaign-" + i;
            HttpResponse<String> r = rest("POST", "/devices", "{\"deviceId\":\"" + id + "\",\"clientPassword\":\"c-pw-" + i
                    + "\",\"serverPassword\":\"s-pw-" + i + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            devices.add(id);
        }
        assertThat(rest("GET", "/firmware/packages", null).body()).contains(FIRMWARE);
        HttpResponse<String> created = rest("POST", "/campaigns", "{\"name\":\"console-live\",\"package\":\"" + FIRMWARE
                + "\",\"filter\":{\"deviceIds\":[\"" + String.join("\",\"", devices) + "\"]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        campaign = ((Number) json(created.body()).get("id")).longValue();

        login(ADMIN, ADMIN_PW);
        driver.get(CONSOLE + "#/firmware");
        await().atMost(Duration.ofSeconds(20)).until(() -> "created".equals(campaignState()));
        js("window.__sameDocument = 'f1'");
        assertThat(progress()).isEqualTo("0 succeeded, 0 failed, 0 running, 4 queued");
        clickCampaign("start");
        await("the campaign runs").atMost(Duration.ofSeconds(30)).until(() -> "running".equals(campaignState()));
        await("the demo device's update shows on the page").atMost(DEVICE_WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> progress().startsWith("1 succeeded"));
        assertThat(progress()).isEqualTo("1 succeeded, 0 failed, 3 running, 0 queued");
        assertThat(js("return window.__sameDocument")).as("no reload").isEqualTo("f1");
        shot("firmware");

        clickCampaign("pause");
        await().atMost(Duration.ofSeconds(20)).until(() -> "paused".equals(campaignState()));
        assertThat(json(rest("GET", "/campaigns/" + campaign, null).body())).containsEntry("state", "paused");
        clickCampaign("resume");
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(campaignState()));
        assertThat(json(rest("GET", "/campaigns/" + campaign, null).body())).containsEntry("state", "running");
        assertThat(js("return window.__sameDocument")).isEqualTo("f1");
    }

    @Test
    void f2_a_viewer_sees_the_campaign_but_its_controls_are_disabled_and_the_server_refuses_them() throws Exception {
        assertThat(campaign).as("f1 created the campaign").isPositive();
        login(VIEWER, VIEWER_PW);
        driver.get(CONSOLE + "#/firmware");
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(campaignState()));
        assertThat(progress()).startsWith("1 succeeded");
        for (String verb : new String[] {"start", "pause", "resume", "cancel"}) {
            assertThat(campaignButton(verb)).as(verb).isEqualTo("disabled");
        }
        Object answer = driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "fetch('/cardinal/api/v1/console/session', {headers: {'X-Cardinal-Console': '1'}}).then(r => r.json())"
                + ".then(s => fetch('/cardinal/api/v1/campaigns/' + arguments[0] + '/pause', {method: 'POST',"
                + " headers: {'Content-Type': 'application/json', 'X-Cardinal-CSRF': s.csrf, 'X-Cardinal-Console': '1'},"
                + " body: '{}'}))"
                + ".then(r => r.text().then(t => done(r.status + ' ' + t))).catch(e => done('error ' + e));", campaign);
        assertThat(String.valueOf(answer)).startsWith("403 ").contains("may only read");
        assertThat(json(rest("GET", "/campaigns/" + campaign, null).body())).containsEntry("state", "running");
    }

    @Test
    void f3_an_administrator_cancels_the_campaign_and_the_audit_log_has_every_campaign_action() throws Exception {
        assertThat(campaign).as("f1 created the campaign").isPositive();
        login(ADMIN, ADMIN_PW);
        driver.get(CONSOLE + "#/firmware");
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(campaignState()));
        clickCampaign("cancel");
        await().atMost(Duration.ofSeconds(20)).until(() -> "cancelled".equals(campaignState()));
        for (String verb : new String[] {"start", "pause", "resume", "cancel"}) {
            assertThat(campaignButton(verb)).as(verb).isEqualTo("disabled");
        }
        assertThat(json(rest("GET", "/campaigns/" + campaign, null).body())).containsEntry("state", "cancelled");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) json(rest("GET", "/audit?action="
                + enc("/campaigns/" + campaign + "/"), null).body()).get("items");
        assertThat(items).extracting(e -> e.get("user") + " " + e.get("action") + " " + e.get("outcome")).containsExactly(
                ADMIN + " POST /campaigns/" + campaign + "/cancel 200 OK",
                VIEWER + " POST /campaigns/" + campaign + "/pause 403 Forbidden (refused or failed)",
                ADMIN + " POST /campaigns/" + campaign + "/resume 200 OK",
                ADMIN + " POST /campaigns/" + campaign + "/pause 200 OK",
                ADMIN + " POST /campaigns/" + campaign + "/start 200 OK");
        assertThat(items).allSatisfy(e -> assertThat(e.get("channel")).isEqualTo("console"));
    }

    /** Logs out whoever is logged in, then logs in through the form. */
    private void login(String user, String password) {
        driver.get(CONSOLE);
        await().atMost(Duration.ofSeconds(20)).until(() -> driver.findElement(By.id("logout")).isDisplayed()
                || "login-user".equals(activeId()));
        if (driver.findElement(By.id("logout")).isDisplayed()) {
            driver.findElement(By.id("logout")).click();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "login-user".equals(activeId()));
        driver.findElement(By.id("login-user")).sendKeys(user);
        driver.findElement(By.id("login-password")).sendKeys(password, Keys.ENTER);
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#who").startsWith(user + " · "));
    }

    /** @return the cells of every body row of a table, by column label, plus the {@code datetime} of its time */
    private List<Map<String, String>> rows(String table) {
        List<Map<String, String>> out = new java.util.ArrayList<>();
        for (WebElement tr : driver.findElements(By.cssSelector(table + " tbody tr"))) {
            Map<String, String> cells = new java.util.LinkedHashMap<>();
            for (WebElement td : tr.findElements(By.tagName("td"))) {
                cells.put(td.getAttribute("data-label"), td.getText().trim());
                for (WebElement t : td.findElements(By.tagName("time"))) {
                    cells.put("datetime", t.getAttribute("datetime"));
                }
            }
            if (!cells.containsKey("")) { // not the "nothing matches" row
                out.add(cells);
            }
        }
        return out;
    }

    /** @return the first row with a cell containing the text */
    private Map<String, String> row(String table, String text) {
        return rows(table).stream().filter(r -> r.values().stream().anyMatch(v -> v.contains(text))).findFirst()
                .orElseThrow(() -> new AssertionError("no row with " + text + " in " + text(table)));
    }

    /** @return the campaign's state as its row shows it (read in one script: the page redraws the table every 5 s) */
    private String campaignState() {
        return String.valueOf(js("var b = document.querySelector(\"[data-campaign='" + campaign + "']\");"
                + " return b ? b.dataset.state : ''"));
    }

    /** @return the campaign's progress as its bar tells screen readers, e.g. "1 succeeded, 0 failed, 3 running, 0 queued" */
    private String progress() {
        return String.valueOf(js("var b = document.querySelector(\"svg.progress[aria-label^='Campaign " + campaign
                + ":']\"); return b ? b.getAttribute('aria-label').replace(/^Campaign \\d+: /, '') : ''"));
    }

    /** Clicks a campaign's button as a user does, again when the 5-s redraw replaced it under the pointer. */
    private void clickCampaign(String verb) {
        await().atMost(Duration.ofSeconds(20)).ignoreException(StaleElementReferenceException.class).until(() -> {
            driver.findElement(By.id("campaign-" + campaign + "-" + verb)).click();
            return true;
        });
    }

    /** @return "enabled", "disabled" or "absent": a campaign's button, read in one script */
    private String campaignButton(String verb) {
        return String.valueOf(js("var b = document.getElementById('campaign-" + campaign + "-" + verb
                + "'); return b ? (b.disabled ? 'disabled' : 'enabled') : 'absent'"));
    }

    private HttpResponse<String> rest(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(HTTP + "/cardinal/api/v1" + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", basic(ADMIN, ADMIN_PW))
                .header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        return (Map<String, Object>) new org.openqa.selenium.json.Json().toType(text, Map.class);
    }

    private String activeId() {
        return String.valueOf(js("return document.activeElement && document.activeElement.id"));
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private String text(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private void shot(String name) throws IOException {
        File png = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private int status(String url, String authorization) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String symbolicName(Path jar) throws IOException {
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            String bsn = j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new IOException(jar + " is not a bundle");
            }
            return bsn.split(";")[0].trim();
        }
    }

    /** @return the id as the console's links write it (encodeURIComponent: a space is %20, not +) */
    private static String enc(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
