package org.cardinaldm.itests;

import static org.cardinaldm.itests.ShellOutput.assertContains;
import static org.cardinaldm.itests.ShellOutput.assertNotContains;
import static org.cardinaldm.itests.ShellOutput.firstLine;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The all-in-one distribution as it boots, with no edits: a Cardinal DM server and a Cardinal device
 * agent in one Karaf, talking over real HTTP on loopback, the device provisioned from the software
 * smart card. Checked end to end, the way an operator sees it through the shell:
 * <ol>
 * <li>the card's bootstrap account is in the device's tree, marked as coming from the card, and its
 * secret is not (the credentials stay on the card);</li>
 * <li>the card's policy asks for an autonomous connection: the server's registry shows the device with
 * the card's id and a last contact, and the first-contact provisioning profile the test configures ran;</li>
 * <li>a job read of DevInfo and of the card's Info, delivered through a package-0 notification;</li>
 * <li>Replace, Add and Delete on the card-resident MO {@code ./SmartCard/MO/...} from the server, which
 * the card accepts because the server proved itself to the card in that session;</li>
 * <li>the help-desk job;</li>
 * <li>a device with wrong credentials is refused and locked out;</li>
 * <li>the help desk's install after consent (bin/demo step 6): the user refuses, and nothing is installed; the
 * user agrees, and the signed example application in {@code packages/} is downloaded over HTTPS, verified,
 * installed and started.</li>
 * </ol>
 * Methods run in name order: each step builds on the session the previous ones caused.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class AllInOneIT extends CardinalKarafTestSupport {
    /** The DevId of the all-in-one device (etc/org.cardinaldm.mo.devinfo.cfg). */
    private static final String DEVICE = "urn:x-cardinaldm:demo-gateway";
    /** The demo card's id (./SmartCard/Info/CardId). */
    private static final String CARD = "989400000000000010F2";
    /** The demo card's bootstrap account (docs/smartcard-profile.md, A3). */
    private static final String ACCOUNT = "CardinalDemo";
    /** The published demo secrets: they must never show in the tree, the shell or the log. */
    private static final List<String> SECRETS = List.of("cardinal-device-demo-secret", "cardinal-dms-demo-secret");
    /** Marks a node the first-contact provisioning profile writes (on the device's own tree). */
    private static final String PROVISIONED = "./SmartCard/MO/Operator/Support";
    private static final String PROVISIONED_VALUE = "provisioned-at-first-contact";

    private static final Pattern JOB = Pattern.compile("Job (\\d+) queued");
    /** The example application the distribution ships signed with the demo signer (distribution/src/demo). */
    private static final String APP_URL = "https://127.0.0.1:8443/packages/example-mo-1.0.0-SNAPSHOT.jar";
    private static final String APP_BSN = "com.example.cardinal.example-mo";
    private static final String APP_DEPLOYED = "./SCOMO/Inventory/Deployed/" + APP_BSN;
    private static final String PACKAGES = "https://127.0.0.1:8443/packages/";
    private static final String FUMO_COUNTER = "./SmartCard/Policy/FUMO/AntiRollbackCounter";
    private static final Pattern CAMPAIGN = Pattern.compile("Campaign (\\d+) created");
    /** A pending confirm prompt in {@code dm:prompts}: its id. */
    private static final Pattern CONFIRM_PROMPT = Pattern.compile("(?m)^\\s*(\\d+)\\s*\\|.*\\bconfirm\\b");

    @Override
    protected Option[] containerOptions() {
        return new Option[] {
            // the operator's first-contact profile for every device class (docs/server.md §5)
            editConfigurationFilePut("etc/org.cardinaldm.server.provisioning-it.cfg", "dm.provisioning.name", "it"),
            editConfigurationFilePut("etc/org.cardinaldm.server.provisioning-it.cfg", "match.manufacturer", ".*"),
            editConfigurationFilePut("etc/org.cardinaldm.server.provisioning-it.cfg", "operations",
                    "[\"replace " + PROVISIONED + " " + PROVISIONED_VALUE + "\"]"),
        };
    }

    @Test
    public void a1_the_card_bootstrap_account_is_in_the_tree_marked_card_without_its_secrets() {
        await().untilAsserted(() -> assertContains(ACCOUNT, executeCommand("dm:ls ./DMAcc")));
        assertEquals("cardinal-dms", firstLine(executeCommand("dm:get ./DMAcc/" + ACCOUNT + "/ServerID")));
        String accounts = executeCommand("dm:accounts");
        assertTrue(accounts, accounts.lines().anyMatch(l -> l.contains("cardinal-dms") && l.contains("card")));
        String export = executeCommand("dm:get './DMAcc/" + ACCOUNT + "?list=TNDS+Value'");
        assertContains("AppAuth", export);
        for (String secret : SECRETS) {
            assertNotContains(secret, export);
        }
    }

    @Test
    public void a2_the_card_policy_connects_on_its_own_and_the_server_knows_device_and_card() {
        await().untilAsserted(() -> {
            String devices = executeCommand("dms:devices");
            String row = devices.lines().filter(l -> l.startsWith(DEVICE)).findFirst().orElse("");
            assertContains(CARD, row);
            assertContains("ACTIVE", row);
        });
        String device = executeCommand("dms:device " + DEVICE);
        assertContains(CARD, device);
        for (String secret : SECRETS) {
            assertNotContains(secret, device);
        }
    }

    @Test
    public void a3_first_contact_provisioning_ran_and_wrote_the_card_resident_mo() {
        await().untilAsserted(() -> assertContains("first-contact provisioning", executeCommand("dms:jobs " + DEVICE)));
        await().untilAsserted(() -> assertEquals(PROVISIONED_VALUE, firstLine(executeCommand("dm:get " + PROVISIONED))));
    }

    @Test
    public void b1_a_notification_brings_the_device_back_for_a_get_of_devinfo_and_card_info() {
        String job = queue("dms:job-add " + DEVICE + " get ./DevInfo/DevId");
        String cardJob = queue("dms:job-add " + DEVICE + " get ./SmartCard/Info/CardId");
        assertContains("Notification", executeCommand("dms:notify " + DEVICE));
        String results = awaitJob(job);
        assertContains(DEVICE, results);
        assertContains(" 200 ", results);
        assertContains(CARD, awaitJob(cardJob));
    }

    @Test
    public void b2_the_server_replaces_adds_and_deletes_card_resident_nodes_and_the_card_keeps_them() {
        String counter = firstLine(executeCommand("dm:get ./SmartCard/Info/ChangeCounter"));
        String replace = queue("dms:job-add " + DEVICE + " replace ./SmartCard/MO/Operator/PollMinutes 45");
        String add = queue("dms:job-add " + DEVICE + " add ./SmartCard/MO/Operator/Apn internet.example");
        executeCommand("dms:notify " + DEVICE);
        assertContains(" 200 ", awaitJob(replace));
        assertContains(" 200 ", awaitJob(add));
        assertEquals("45", firstLine(executeCommand("dm:get ./SmartCard/MO/Operator/PollMinutes")));
        assertEquals("internet.example", firstLine(executeCommand("dm:get ./SmartCard/MO/Operator/Apn")));
        // on the card itself, not only in a cache: the change counter moved
        String after = firstLine(executeCommand("dm:get ./SmartCard/Info/ChangeCounter"));
        assertTrue("change counter " + counter + " -> " + after, !after.equals(counter));

        String delete = queue("dms:job-add " + DEVICE + " delete ./SmartCard/MO/Operator/Apn");
        executeCommand("dms:notify " + DEVICE);
        assertContains(" 200 ", awaitJob(delete));
        assertTrue(firstLine(executeCommand("dm:get ./SmartCard/MO/Operator/Apn")).startsWith("404"));
    }

    @Test
    public void b3_the_help_desk_job_returns_device_and_card_information() {
        String out = executeCommand("dms:helpdesk --notify " + DEVICE);
        Matcher m = JOB.matcher(out);
        assertTrue(out, m.find());
        String results = awaitJob(m.group(1));
        assertContains("./DevInfo/Man", results);
        assertContains("./SmartCard/Info/CardId", results);
        for (String secret : SECRETS) {
            assertNotContains(secret, results);
        }
        // the readable report of the same request (both its jobs, the optional reads included)
        String[] report = new String[1];
        await().untilAsserted(() -> {
            report[0] = executeCommand("dms:helpdesk-report " + m.group(1));
            assertContains("complete", firstLine(report[0]));
        });
        assertContains("Card id", report[0]);
        assertContains(CARD, report[0]);
        assertContains("cardinal-dms", report[0]);
        // the all-in-one device reports its installed applications (./SCOMO, its bundles) and its logs (./DiagMon)
        String apps = report[0].substring(report[0].indexOf("Installed applications"), report[0].indexOf("Logs"));
        assertContains("org.cardinaldm.client", apps);
        assertNotContains("not reported by the device", report[0]);
        for (String secret : SECRETS) {
            assertNotContains(secret, report[0]);
        }
    }

    @Test
    public void c1_wrong_credentials_are_refused_and_throttle_only_their_source() throws Exception {
        String intruder = "urn:x-cardinaldm:it-intruder";
        assertContains(intruder, executeCommand("dms:device-add -p right-password -s server-password -u intruder " + intruder));
        HttpClient http = HttpClient.newHttpClient();
        String last = "";
        for (int i = 1; i <= 8; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8181/dm"))
                    .header("Content-Type", "application/vnd.syncml.dm+xml")
                    .POST(HttpRequest.BodyPublishers.ofString(packageOne(intruder, Integer.toHexString(i).toUpperCase(), "intruder",
                            "wrong-password")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertNotContains("<Data>212</Data>", r.body());
            last = r.body();
        }
        // past auth.max.failures this (DevId, source) pair is throttled: 417, its credentials not even checked
        assertContains("<Data>417</Data>", last);
        // the operator sees the refused attempts with their source
        String failures = executeCommand("dms:auth-failures " + intruder);
        assertContains("127.0.0.1", failures);
        assertNotContains("wrong-password", failures);
        // a stranger's failures never lock the record: the device stays usable from its other sources
        String row = executeCommand("dms:devices").lines().filter(l -> l.startsWith(intruder)).findFirst().orElse("");
        assertContains(intruder, row);
        assertNotContains("LOCKED", row);
        // the demo device is not affected
        row = executeCommand("dms:devices").lines().filter(l -> l.startsWith(DEVICE)).findFirst().orElse("");
        assertContains("ACTIVE", row);
    }

    @Test
    public void d1_the_user_refuses_the_help_desk_install_and_nothing_is_installed() {
        String bundlesBefore = executeCommand("bundle:list -t 0 -s");
        String job = askToInstall();
        assertContains("answered no", executeCommand("dm:answer " + awaitPrompt() + " no"));
        String results = awaitJobEnd(job);
        assertContains("FAILED", firstLine(results));
        assertContains("the user refused", results);
        // the Sequence stopped after the refusal: no descriptor, no download, no bundle, no ./Example
        assertNotContains("example-mo", executeCommand("dm:ls ./SCOMO/Download"));
        assertTrue(firstLine(executeCommand("dm:get ./Example/Greeting")).startsWith("404"));
        assertTrue("no bundle " + APP_BSN, bundle(APP_BSN).isEmpty());
        assertEquals(bundlesBefore, executeCommand("bundle:list -t 0 -s"));
    }

    @Test
    public void d2_the_user_agrees_and_the_application_is_installed_started_and_answers() {
        String job = askToInstall();
        assertContains("answered yes", executeCommand("dm:answer " + awaitPrompt() + " yes"));
        // the Exec answers 202; the job ends with the device's report (Generic Alert 1226) after the install
        String results = awaitJobEnd(job);
        assertTrue(results, firstLine(results).contains("SUCCEEDED"));
        assertContains("answer: yes", results);
        assertEquals("20", firstLine(executeCommand("dm:get " + APP_DEPLOYED + "/State")));
        assertEquals(APP_BSN, firstLine(executeCommand("dm:get " + APP_DEPLOYED + "/ID")));
        assertEquals("Hello from a Cardinal plugin", firstLine(executeCommand("dm:get ./Example/Greeting")));
        assertEquals(Bundle.ACTIVE, bundle(APP_BSN).orElseThrow().getState());
    }

    @Test
    public void e1_a_campaign_updates_the_firmware_the_card_authorises_and_raises_its_counter() {
        assertEquals("1", firstLine(executeCommand("dm:get " + FUMO_COUNTER)));
        String created = executeCommand("dms:fumo-campaign-create --device " + DEVICE + " it-2.0.0 cardinal-gateway-2.0.0.img");
        Matcher m = CAMPAIGN.matcher(created);
        assertTrue(created, m.find());
        String id = m.group(1);
        assertContains("running", executeCommand("dms:fumo-campaign-start " + id));
        String[] show = new String[1];
        await().atMost(java.time.Duration.ofMinutes(3)).untilAsserted(() -> {
            show[0] = executeCommand("dms:fumo-campaign-show " + id);
            assertTrue(show[0], firstLine(show[0]).contains("finished"));
        });
        assertContains("1 succeeded", firstLine(show[0]));
        assertEquals("2.0.0", firstLine(executeCommand("dm:get ./DevDetail/FwV")));
        assertEquals("100", firstLine(executeCommand("dm:get ./FUMO/Gateway/State")));
        assertEquals("2", firstLine(executeCommand("dm:get " + FUMO_COUNTER)));
        // the card's counter is the card's: a server's or the local administrator's write is refused
        assertFalse(executeCommand("dm:set " + FUMO_COUNTER + " 0").contains("Replaced"));
        assertEquals("2", firstLine(executeCommand("dm:get " + FUMO_COUNTER)));
    }

    @Test
    public void e2_a_downgrade_is_refused_by_the_campaign_and_by_the_card() {
        String created = executeCommand("dms:fumo-campaign-create --device " + DEVICE + " it-1.1.0 cardinal-gateway-1.1.0.img");
        assertContains("1 rollback refused", created);
        String results = fumoJob("cardinal-gateway-1.1.0.img");
        assertContains("FAILED", firstLine(results));
        assertContains("result: 405", results);
        assertEquals("2.0.0", firstLine(executeCommand("dm:get ./DevDetail/FwV")));
        assertEquals("2", firstLine(executeCommand("dm:get " + FUMO_COUNTER)));
    }

    @Test
    public void e3_a_package_signed_by_an_unknown_key_is_refused_with_404() {
        String results = fumoJob("cardinal-gateway-3.0.0.img");
        assertContains("FAILED", firstLine(results));
        assertContains("result: 404", results);
        assertEquals("2.0.0", firstLine(executeCommand("dm:get ./DevDetail/FwV")));
        assertContains("404", executeCommand("fumo:history"));
    }

    /** What a server does without a campaign: PkgURL, then the Exec; returns the Exec job's results. */
    private String fumoJob(String file) {
        queue("dms:job-add " + DEVICE + " replace ./FUMO/Gateway/DownloadAndUpdate/PkgURL " + PACKAGES + file);
        String job = queue("dms:job-add " + DEVICE + " exec ./FUMO/Gateway/DownloadAndUpdate");
        assertContains("Notification", executeCommand("dms:notify " + DEVICE));
        return awaitJobEnd(job);
    }

    @Test
    public void z_the_log_has_no_error_and_no_secret() throws IOException {
        assertEquals("ERROR lines", List.of(), logLines("| ERROR "));
        for (String secret : SECRETS) {
            assertEquals("lines with a secret", List.of(), logLines(secret));
        }
    }

    /** Runs a job-adding command and returns the job's id. */
    private String queue(String command) {
        String out = executeCommand(command);
        Matcher m = JOB.matcher(out);
        assertTrue(out, m.find());
        return m.group(1);
    }

    /**
     * Turns on the device's console UI (as a user watching the all-in-one's shell would), queues the help desk's
     * install of the example application and notifies the device.
     *
     * @return the job's id
     */
    private String askToInstall() {
        executeCommand("config:property-set -p org.cardinaldm.client.ui.console timeout.s 600");
        String job = queue("dms:helpdesk-install " + DEVICE + " example-mo " + APP_URL);
        assertContains("Notification", executeCommand("dms:notify " + DEVICE));
        return job;
    }

    /** Waits until the device's console UI shows the server's confirm prompt and returns its id. */
    private String awaitPrompt() {
        String[] id = new String[1];
        await().untilAsserted(() -> {
            String prompts = executeCommand("dm:prompts");
            Matcher m = CONFIRM_PROMPT.matcher(prompts);
            assertTrue(prompts, m.find());
            assertContains("example-mo", prompts);
            id[0] = m.group(1);
        });
        return id[0];
    }

    /** Waits until a job has ended, whatever its outcome, and returns its {@code dms:results}. */
    private String awaitJobEnd(String job) {
        String[] results = new String[1];
        await().untilAsserted(() -> {
            results[0] = executeCommand("dms:results -w 0 " + job);
            assertTrue(results[0], firstLine(results[0]).matches(".*: (SUCCEEDED|FAILED|INTERRUPTED|CANCELLED).*"));
        });
        return results[0];
    }

    /** Waits until a job has ended and returns its {@code dms:results}. */
    private String awaitJob(String job) {
        String[] results = new String[1];
        await().untilAsserted(() -> {
            results[0] = executeCommand("dms:results -w 0 " + job);
            assertContains("SUCCEEDED", firstLine(results[0]));
        });
        return results[0];
    }

    /** A client-initiated package 1 with md5 credentials computed from the given (wrong) password. */
    private static String packageOne(String devId, String sessionId, String user, String password) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        // digest 3.2: B64(MD5(B64(MD5(name:password)):nonce)), with an empty nonce for a first message
        String inner = Base64.getEncoder().encodeToString(md5.digest((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        String cred = Base64.getEncoder().encodeToString(md5.digest((inner + ":").getBytes(StandardCharsets.UTF_8)));
        return "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>"
                + "<SessionID>" + sessionId + "</SessionID><MsgID>1</MsgID>"
                + "<Target><LocURI>http://127.0.0.1:8181/dm</LocURI></Target>"
                + "<Source><LocURI>" + devId + "</LocURI><LocName>" + user + "</LocName></Source>"
                + "<Cred><Meta><Format xmlns=\"syncml:metinf\">b64</Format><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type></Meta>"
                + "<Data>" + cred + "</Data></Cred></SyncHdr>"
                + "<SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"
                + "<Replace><CmdID>2</CmdID><Item><Source><LocURI>./DevInfo/DevId</LocURI></Source><Data>" + devId + "</Data></Item></Replace>"
                + "<Final/></SyncBody></SyncML>";
    }
}
