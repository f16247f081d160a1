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
 * request outside the server. The screenshots the docs use are saved to {@code cardinal.screenshots}.
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

    private RunningCardinal cardinal;
    private ChromeDriver driver;
    private Path screenshots;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void boot() throws Exception {
        screenshots = Path.of(System.getProperty("cardinal.screenshots", "target/screenshots"));
        Files.createDirectories(screenshots);
        cardinal = RunningCardinal.unpack(Path.of(System.getProperty("cardinal.distribution")), Path.of("target", "console-it"),
                List.of(ADMIN + " = " + ADMIN_PW + ",_g_:admingroup", VIEWER + " = " + VIEWER_PW + ",_g_:viewergroup"));
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
                "#/jobs/" + enc(DEVICE), "#/firmware"}) {
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
