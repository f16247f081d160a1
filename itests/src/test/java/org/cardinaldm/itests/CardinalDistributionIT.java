package org.cardinaldm.itests;

import static org.cardinaldm.itests.ShellOutput.assertContains;
import static org.cardinaldm.itests.ShellOutput.assertNotContains;
import static org.cardinaldm.itests.ShellOutput.assertRefused;
import static org.cardinaldm.itests.ShellOutput.firstLine;
import static org.cardinaldm.itests.ShellOutput.listTable;
import static org.cardinaldm.itests.ShellOutput.propertyTable;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
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
 * Cardinal's promises, checked in one boot of the real distribution (so the suite stays short on
 * two cores): every feature installs, plugin features install without refreshing other bundles,
 * the shell shows the configured DevInfo, the {@code dm:} commands work end to end (add, set, get
 * with properties and queries, ACLs per server with {@code --as}, rm, TNDS export and import, a DMAcc
 * account whose secret is never shown), stopping an MO bundle removes its subtree and starting it
 * restores it while the rest of the tree keeps answering, and the log stays free of errors and
 * secrets. Methods run in name order; the log check is last. Each test uses nodes of its own
 * ({@code ./IT…}), so the order matters only for that last check.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class CardinalDistributionIT extends CardinalKarafTestSupport {
    /** A value no host default produces: it can only come from etc/org.cardinaldm.mo.devinfo.cfg. */
    private static final String MANUFACTURER = "Cardinal IT Manufacturer 7f3a";

    /** Features an operator swaps at run time: one plugin (MO, card backend) each, on top of their core. */
    private static final List<String> PLUGIN_FEATURES = List.of("cardinal-mo-devinfo", "cardinal-mo-devdetail", "cardinal-mo-dmacc",
            "cardinal-mo-scomo", "cardinal-mo-diag",
            "cardinal-smartcard-sim", "cardinal-smartcard-pcsc", "cardinal-crypto");

    @Inject
    protected FeaturesService featuresService;

    @Override
    protected Option[] containerOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/org.cardinaldm.mo.devinfo.cfg", "man", MANUFACTURER),
            // the resolver's report of feature:install -v (INFO; the container's root level is WARN)
            editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg", "log4j2.logger.cardinalfeatures.name",
                    "org.apache.karaf.features"),
            editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg", "log4j2.logger.cardinalfeatures.level", "INFO"),
        };
    }

    @Test
    public void dm_get_prints_the_configured_manufacturer_alone_on_the_first_line() {
        await().untilAsserted(() -> assertEquals(MANUFACTURER, firstLine(executeCommand("dm:get ./DevInfo/Man"))));
    }

    @Test
    public void dm_get_of_a_missing_node_prints_one_404_line() {
        await().untilAsserted(() -> assertContains("DevInfo", executeCommand("dm:ls .")));

        assertRefused("404 Not found", executeCommand("dm:get ./DevInfo/NoSuchLeaf"));
    }

    @Test
    public void dm_add_set_and_get_show_a_node_its_properties_and_its_subtree() {
        awaitTree();
        assertEquals("Added ./ITShell/", firstLine(run("dm:add ./ITShell")));
        assertEquals("Added ./ITShell/Port (int)", firstLine(run("dm:add --format int ./ITShell/Port 8080")));
        assertEquals(List.of("0"), lines(run("dm:get './ITShell/Port?prop=VerNo'")));

        assertEquals("Replaced ./ITShell/Port", firstLine(run("dm:set ./ITShell/Port 9090")));

        String leaf = run("dm:get -p ./ITShell/Port");
        assertEquals(leaf, "9090", firstLine(leaf));
        Map<String, String> props = propertyTable(leaf);
        assertEquals(leaf, List.of("ACL", "Format", "Name", "Size", "Title", "TStamp", "Type", "VerNo"), List.copyOf(props.keySet()));
        assertEquals(leaf, "", props.get("ACL")); // inherits
        assertEquals(leaf, "int", props.get("Format"));
        assertEquals(leaf, "Port", props.get("Name"));
        assertEquals(leaf, "4", props.get("Size"));
        assertEquals(leaf, "text/plain", props.get("Type"));
        assertEquals(leaf, "1", props.get("VerNo"));
        assertTrue(leaf, props.get("TStamp").matches("\\d{8}T\\d{6}Z"));
        String interior = run("dm:get -p ./ITShell");
        assertEquals(interior, "Port", firstLine(interior)); // DM Get of an interior node: its children
        assertEquals(interior, "node", propertyTable(interior).get("Format"));
        assertFalse(interior, propertyTable(interior).containsKey("Size"));

        assertEquals("ACL of ./ITShell: Add=*&Get=*&Replace=*", firstLine(run("dm:acl ./ITShell 'Add=*&Get=*&Replace=*'")));
        assertEquals(List.of("Add=*&Get=*&Replace=*"), lines(run("dm:get './ITShell?prop=ACL'")));
        assertEquals(List.of(""), lines(run("dm:get './ITShell/Port?prop=ACL'")));
        assertEquals("Add=*&Get=*&Replace=* (inherited from ./ITShell)", firstLine(run("dm:acl ./ITShell/Port")));
        assertEquals(List.of("int"), lines(run("dm:get './ITShell/Port?prop=Format'")));

        String struct = run("dm:get './ITShell?list=Struct'");
        Map<String, List<String>> rows = listTable(struct);
        assertEquals(struct, List.of("./ITShell", "./ITShell/Port"), List.copyOf(rows.keySet()));
        assertEquals(struct, List.of("node", ""), rows.get("./ITShell"));
        assertEquals(struct, List.of("int", "text/plain"), rows.get("./ITShell/Port"));
        String data = run("dm:get './ITShell?list=StructData'");
        assertEquals(data, List.of("int", "text/plain", "9090"), listTable(data).get("./ITShell/Port"));
    }

    @Test
    public void dm_commands_refuse_with_one_status_line_and_change_nothing() {
        awaitTree();
        assertEquals("Added ./ITRefused/Count (int)", firstLine(run("dm:add --format int ./ITRefused/Count 7")));

        assertRefused("418 Already exists", run("dm:add ./ITRefused/Count 1"));
        assertRefused("400 Bad request", run("dm:set ./ITRefused/Count seven"));
        assertRefused("405 Command not allowed", run("dm:set ./ITRefused x")); // Replace of an interior node
        assertRefused("404 Not found", run("dm:set ./ITRefused/Nope 1")); // Replace never creates
        assertRefused("406 Optional feature not supported", run("dm:get './ITRefused/Count?prop=Colour'"));
        assertRefused("400 Bad request", run("dm:acl ./ITRefused 'Fly=srvA'"));
        String maxDepth = firstLine(run("dm:get ./DevDetail/URI/MaxDepth"));
        assertTrue(maxDepth, maxDepth.matches("[1-9]\\d*")); // 0 would mean unlimited
        assertRefused("414 URI too long", run("dm:add " + deeperThan(Integer.parseInt(maxDepth), "./ITRefused") + " x"));
        assertRefused("400 Bad request", run("dm:get ./ITRefused//Count"));

        assertEquals(List.of("7"), lines(run("dm:get ./ITRefused/Count")));
        assertEquals(List.of("0"), lines(run("dm:get './ITRefused/Count?prop=VerNo'")));
        assertEquals(List.of(""), lines(run("dm:get './ITRefused?prop=ACL'")));
        assertEquals("Count", firstLine(run("dm:get ./ITRefused")));
    }

    @Test
    public void dm_acl_lets_the_named_server_write_and_refuses_another_with_one_425_line() {
        awaitTree();
        assertEquals("Added ./ITAcl/Leaf (chr)", firstLine(run("dm:add ./ITAcl/Leaf v1")));
        String acl = "Add=srvA&Delete=srvA&Get=*&Replace=srvA";
        assertEquals("ACL of ./ITAcl: " + acl, firstLine(run("dm:acl ./ITAcl '" + acl + "'")));
        assertEquals(List.of(acl), lines(run("dm:acl --as srvB ./ITAcl"))); // Get=*: srvB may read it

        assertEquals("Replaced ./ITAcl/Leaf", firstLine(run("dm:set --as srvA ./ITAcl/Leaf v2")));
        assertRefused("425 Permission denied", run("dm:set --as srvB ./ITAcl/Leaf v3"));
        assertRefused("425 Permission denied", run("dm:add --as srvB ./ITAcl/Other x"));
        assertRefused("425 Permission denied", run("dm:acl --as srvB ./ITAcl 'Get=*&Replace=srvB'"));
        assertRefused("425 Permission denied", run("dm:rm --as srvB ./ITAcl"));

        assertEquals(List.of("v2"), lines(run("dm:get ./ITAcl/Leaf")));
        assertEquals(List.of(acl), lines(run("dm:get './ITAcl?prop=ACL'")));
        assertEquals("Added ./ITAcl/Other (chr)", firstLine(run("dm:add --as srvA ./ITAcl/Other x")));
        assertEquals("Deleted ./ITAcl", firstLine(run("dm:rm --as srvA ./ITAcl")));
        assertRefused("404 Not found", run("dm:get ./ITAcl/Leaf"));
    }

    @Test
    public void dm_rm_deletes_a_whole_subtree_and_refuses_mount_points_and_the_root() {
        awaitTree();
        assertEquals("Added ./ITRm/A/B/C (chr)", firstLine(run("dm:add ./ITRm/A/B/C deep"))); // A and B implicitly
        assertEquals("Added ./ITRm/Keep (chr)", firstLine(run("dm:add ./ITRm/Keep k")));

        assertEquals("Deleted ./ITRm/A", firstLine(run("dm:rm ./ITRm/A")));

        assertEquals(List.of("./ITRm/", "`-- Keep"), lines(run("dm:ls ./ITRm")));
        assertRefused("404 Not found", run("dm:get ./ITRm/A/B/C"));
        assertRefused("404 Not found", run("dm:rm ./ITRm/A"));
        assertRefused("405 Command not allowed", run("dm:rm ./DevInfo"));
        assertRefused("405 Command not allowed", run("dm:rm ."));
        assertEquals(MANUFACTURER, firstLine(run("dm:get ./DevInfo/Man")));
    }

    @Test
    public void dm_export_writes_a_tnds_file_that_imports_under_another_name_and_replaces_back() throws IOException {
        awaitTree();
        Path file = freshFile("itexport.xml");
        run("dm:add ./ITExport/Name 'Hello, world'");
        run("dm:add --format bin ./ITExport/Key 01FE");
        run("dm:add --format int ./ITExport/Sub/Count 3");
        run("dm:acl ./ITExport 'Get=*&Replace=srvA'");

        String exported = run("dm:export ./ITExport '" + file + "'");

        assertTrue(exported, firstLine(exported).startsWith("Exported ./ITExport to " + file + " ("));
        String xml = Files.readString(file, StandardCharsets.UTF_8);
        for (String part : List.of("<MgmtTree xmlns=\"syncml:dmddf1.2\"", "<NodeName>ITExport</NodeName>", "<Path>.</Path>",
                "<ACL>Get=*&amp;Replace=srvA</ACL>", "<Value>Hello, world</Value>", "<Value>Af4=</Value>", "<Value>3</Value>")) {
            assertContains(part, xml);
        }
        assertRefused("418 Already exists", run("dm:export ./ITExport '" + file + "'")); // no --force
        assertRefused("404 Not found", run("dm:export ./ITNoSuchNode '" + freshFile("none.xml") + "'"));
        assertFalse(Files.exists(file.resolveSibling("none.xml")));

        // under another name: the same document with the top node renamed
        Path renamed = freshFile("itrenamed.xml");
        Files.writeString(renamed, xml.replaceFirst("<NodeName>ITExport</NodeName>", "<NodeName>ITRenamed</NodeName>"));
        assertEquals("Added " + renamed + " at .", firstLine(run("dm:import '" + renamed + "'")));
        assertSameSubtree("./ITExport", "./ITRenamed");
        // below another node: the file's Path is resolved against --target
        assertEquals("Added " + file + " at ./ITImported", firstLine(run("dm:import --target ./ITImported '" + file + "'")));
        assertSameSubtree("./ITExport", "./ITImported/ITExport");

        // back in place with --replace: changed, added and deleted nodes return to the file's state
        run("dm:set ./ITExport/Sub/Count 4");
        run("dm:add ./ITExport/Extra x");
        run("dm:rm ./ITExport/Key");
        assertEquals("Replaced " + file + " at .", firstLine(run("dm:import --replace '" + file + "'")));
        assertEquals(List.of("3"), lines(run("dm:get ./ITExport/Sub/Count")));
        assertEquals(List.of("01FE"), lines(run("dm:get ./ITExport/Key")));
        assertRefused("404 Not found", run("dm:get ./ITExport/Extra"));
        assertSameSubtree("./ITRenamed", "./ITExport");

        assertRefused("418 Already exists", run("dm:import '" + file + "'")); // Add, and ./ITExport exists
        assertRefused("404 Not found", run("dm:import '" + file.resolveSibling("missing.xml") + "'"));
    }

    @Test
    public void dm_import_of_a_tnds_account_adds_it_and_its_secret_is_refused_and_never_printed() throws IOException {
        await().untilAsserted(() -> assertContains("DMAcc/", run("dm:ls .")));
        Path file = freshFile("itaccount.xml");
        Files.writeString(file, TndsAccount.document(), StandardCharsets.UTF_8);
        String account = "./DMAcc/" + TndsAccount.NODE;
        String secret = account + "/AppAuth/1/AAuthSecret";

        assertEquals("Added " + file + " at .", firstLine(run("dm:import '" + file + "'")));

        assertEquals(List.of(TndsAccount.SERVER_ID), lines(run("dm:get " + account + "/ServerID")));
        assertEquals(List.of(TndsAccount.ADDRESS), lines(run("dm:get " + account + "/AppAddr/1/Addr")));
        assertEquals(List.of("device-it-17"), lines(run("dm:get " + account + "/AppAuth/1/AAuthName")));
        assertEquals(List.of("urn:oma:mo:oma-dm-dmacc:1.0"), lines(run("dm:get '" + account + "?prop=Type'")));
        assertContains("AAuthSecret", run("dm:ls -r 3 " + account + "/AppAuth"));
        for (String refused : List.of("dm:get " + secret, "dm:get -p " + secret, "dm:get '" + secret + "?prop=Size'")) {
            String out = run(refused);
            assertRefused("405 Command not allowed", out);
            assertNotContains(TndsAccount.SECRET, out);
        }
        String tnds = run("dm:get '" + account + "?list=TNDS'");
        assertContains("<NodeName>AAuthSecret</NodeName>", tnds);
        assertContains("<Value>device-it-17</Value>", tnds);
        assertNotContains(TndsAccount.SECRET, tnds);
        assertNotContains(TndsAccount.SECRET, run("dm:get '" + account + "?list=StructData'"));
        Path export = freshFile("itaccount-export.xml");
        run("dm:export " + account + " '" + export + "'");
        assertContains("<NodeName>AAuthSecret</NodeName>", Files.readString(export, StandardCharsets.UTF_8));
        assertNotContains(TndsAccount.SECRET, Files.readString(export, StandardCharsets.UTF_8));

        // an invalid account (AppID must be w7) is refused as a whole
        Path bad = freshFile("itbad.xml");
        Files.writeString(bad, TndsAccount.document("ITBad", "w8"), StandardCharsets.UTF_8);
        assertRefused("400 Bad request", run("dm:import '" + bad + "'"));
        assertRefused("404 Not found", run("dm:get ./DMAcc/ITBad"));
    }

    @Test
    public void hot_swap_of_mo_devdetail_keeps_the_rest_of_the_tree_answering() throws Exception {
        Bundle devdetail = bundle("org.cardinaldm.mo.devdetail").orElseThrow(() -> new AssertionError("mo-devdetail is not installed"));
        await().untilAsserted(() -> assertContains("DevDetail/", run("dm:ls .")));
        await().untilAsserted(() -> assertEquals(MANUFACTURER, firstLine(run("dm:get ./DevInfo/Man"))));
        String maxDepth = firstLine(run("dm:get ./DevDetail/URI/MaxDepth"));
        assertTrue(maxDepth, maxDepth.matches("\\d+"));
        run("dm:add ./ITSwap/Before b");
        String pluginAcl = firstLine(run("dm:get './DevDetail/URI?prop=ACL'"));
        // an ACL override: the engine keeps it for the plugin's node while the plugin is away
        assertEquals("ACL of ./DevDetail/URI: Get=*&Replace=srvA", firstLine(run("dm:acl ./DevDetail/URI 'Get=*&Replace=srvA'")));

        // a reader asks DevInfo all the time, before, while and after DevDetail is gone
        AtomicBoolean swapping = new AtomicBoolean(true);
        AtomicBoolean devDetailGone = new AtomicBoolean();
        AtomicInteger readsWhileGone = new AtomicInteger();
        List<String> wrongAnswers = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            while (swapping.get()) {
                boolean gone = devDetailGone.get();
                String out = run("dm:get ./DevInfo/Man");
                if (!MANUFACTURER.equals(firstLine(out))) {
                    if (wrongAnswers.size() < 10) { // enough to see what went wrong
                        wrongAnswers.add(out);
                    }
                } else if (gone) {
                    readsWhileGone.incrementAndGet();
                }
            }
        }, "DevInfo reader");
        reader.start();
        try {
            devdetail.stop();
            await().untilAsserted(() -> assertNotContains("DevDetail/", run("dm:ls .")));
            devDetailGone.set(true);

            assertRefused("404 Not found", run("dm:get ./DevDetail/URI/MaxDepth"));
            assertEquals(MANUFACTURER, firstLine(run("dm:get ./DevInfo/Man")));
            assertEquals(List.of("b"), lines(run("dm:get ./ITSwap/Before")));
            assertEquals("Added ./ITSwap/During (chr)", firstLine(run("dm:add ./ITSwap/During d")));
            // the URI limits fall back to the engine's configuration (uri.max.depth, 16), they do not vanish
            assertRefused("414 URI too long", run("dm:add " + deeperThan(16, "./ITSwap") + " x"));
            await().until(() -> readsWhileGone.get() >= 3);

            devDetailGone.set(false);
            devdetail.start();
            await().untilAsserted(() -> assertContains("DevDetail/", run("dm:ls .")));
            await().untilAsserted(() -> assertEquals(maxDepth, firstLine(run("dm:get ./DevDetail/URI/MaxDepth"))));
            assertEquals(List.of("Get=*&Replace=srvA"), lines(run("dm:get './DevDetail/URI?prop=ACL'")));
            assertEquals(List.of("b", "d"), List.of(firstLine(run("dm:get ./ITSwap/Before")), firstLine(run("dm:get ./ITSwap/During"))));
        } finally {
            swapping.set(false);
            reader.join(PATIENCE.toMillis());
            if (devdetail.getState() != Bundle.ACTIVE) {
                devdetail.start();
            }
            run(pluginAcl.isEmpty() ? "dm:acl --inherit ./DevDetail/URI" : "dm:acl ./DevDetail/URI '" + pluginAcl + "'");
        }
        assertFalse("the reader still runs", reader.isAlive());
        assertEquals("DevInfo answers that were not the manufacturer", List.of(), wrongAnswers);
    }

    @Test
    public void every_cardinal_feature_installs_and_its_bundles_are_active() throws Exception {
        List<String> names = cardinalFeatures();
        assertTrue("the cardinal repository is known", names.contains("cardinal-core"));
        for (String name : names) {
            if (!featuresService.isInstalled(featuresService.getFeature(name))) {
                featuresService.installFeature(name);
            }
            assertTrue(name + " is installed", featuresService.isInstalled(featuresService.getFeature(name)));
        }
        assertEquals("bundles not active", List.of(), notActive());
    }

    @Test
    public void every_cardinal_feature_is_in_the_distribution_so_it_installs_offline() throws Exception {
        Path system = Paths.get(System.getProperty("karaf.home"), "system");
        List<String> missing = new ArrayList<>();
        for (String name : cardinalFeatures()) {
            for (BundleInfo b : featuresService.getFeature(name).getBundles()) {
                Path jar = system.resolve(mavenPath(b.getLocation()));
                if (!Files.isRegularFile(jar)) {
                    missing.add(name + ": " + b.getLocation());
                }
            }
        }
        assertEquals("bundles of cardinal features missing from system/ (add the feature to installedFeatures)",
                List.of(), missing);
    }

    @Test
    public void plugin_features_install_without_refreshing_any_other_bundle() throws Exception {
        for (String feature : PLUGIN_FEATURES) {
            if (featuresService.isInstalled(featuresService.getFeature(feature))) {
                assertNotContains("Bundles to refresh", executeCommand("feature:uninstall -v " + feature));
            }
            // the resolver's verbose report goes to karaf.log (the install runs on Karaf's features thread,
            // not the command's, so the shell session sees only "Adding features")
            int mark = logLines("").size();
            assertNotContains("Bundles to refresh", executeCommand("feature:install -t -v " + feature));
            await().untilAsserted(() -> assertTrue(logSince(mark).stream().anyMatch(m -> m.startsWith("Changes to perform")
                    || m.startsWith("No deployment change"))));
            List<String> report = logSince(mark);
            assertEquals("the dry run of " + feature + " would refresh bundles", List.of(),
                    report.stream().filter(m -> m.contains("Bundles to refresh")).collect(Collectors.toList()));
            assertEquals("installed bundles listed again under 'Bundles to install' by " + feature
                    + " (a bundle in two features?)", List.of(), installedAgain(report));

            Set<String> stopped = Collections.synchronizedSet(new TreeSet<>());
            SynchronousBundleListener listener = e -> {
                if (e.getType() == BundleEvent.STOPPED || e.getType() == BundleEvent.UNRESOLVED) {
                    stopped.add(e.getBundle().getSymbolicName());
                }
            };
            bundleContext.addBundleListener(listener);
            String installed;
            try {
                installed = executeCommand("feature:install -v " + feature);
            } finally {
                bundleContext.removeBundleListener(listener);
            }
            assertNotContains("Bundles to refresh", installed);
            assertNotContains("Error", installed);
            assertEquals("bundles stopped or unresolved while installing " + feature, Set.of(), Set.copyOf(stopped));
            assertTrue(feature + " is installed", featuresService.isInstalled(featuresService.getFeature(feature)));
        }
        await().untilAsserted(() -> assertContains("DevInfo", executeCommand("dm:ls .")));
    }

    /** @return the messages of the karaf.log lines after the first {@code from} lines */
    private static List<String> logSince(int from) throws java.io.IOException {
        List<String> all = logLines("");
        return all.subList(Math.min(from, all.size()), all.size()).stream()
                .map(l -> l.substring(l.lastIndexOf(" | ") + 3).trim()).collect(Collectors.toList());
    }

    /**
     * @param report the resolver's report of a {@code feature:install -v}, one message per line
     * @return the locations listed under "Bundles to install" that an installed bundle already has
     */
    private List<String> installedAgain(List<String> report) {
        Set<String> locations = new TreeSet<>();
        for (Bundle b : bundleContext.getBundles()) {
            locations.add(b.getLocation());
        }
        List<String> again = new java.util.ArrayList<>();
        boolean inList = false;
        for (String t : report) {
            if (t.endsWith(":")) {
                inList = t.equals("Bundles to install:");
            } else if (inList && locations.contains(t)) {
                again.add(t);
            }
        }
        return again;
    }

    @Test
    public void stopping_mo_devinfo_removes_devinfo_and_starting_it_restores_it() throws Exception {
        Bundle devinfo = bundle("org.cardinaldm.mo.devinfo").orElseThrow(() -> new AssertionError("mo-devinfo is not installed"));
        await().untilAsserted(() -> assertContains("DevInfo", executeCommand("dm:ls .")));

        devinfo.stop();
        await().untilAsserted(() -> assertNotContains("DevInfo", executeCommand("dm:ls .")));
        String gone = executeCommand("dm:get ./DevInfo/Man");
        assertTrue(gone, gone.startsWith("404"));

        devinfo.start();
        await().untilAsserted(() -> assertContains("DevInfo", executeCommand("dm:ls .")));
        assertEquals(MANUFACTURER, firstLine(executeCommand("dm:get ./DevInfo/Man")));
    }

    @Test
    public void the_log_has_no_error_and_no_bundle_is_in_failure() throws IOException {
        assertEquals("bundles not active", List.of(), notActive());
        String list = executeCommand("bundle:list -t 0");
        assertNotContains("Failure", list);
        assertNotContains("GracePeriod", list);
        assertEquals("ERROR lines in karaf.log", List.of(), errorLines());
        assertEquals("log lines with the account's secret", List.of(), logLines(TndsAccount.SECRET));
    }

    /** Waits until the tree, its MOs and the dm: commands are up (a plugin test may have reinstalled them). */
    private void awaitTree() {
        await().untilAsserted(() -> assertContains("DevInfo/", run("dm:ls .")));
    }

    /** @return what the command printed (shorter name for {@link #executeCommand}) */
    private String run(String command) {
        return executeCommand(command);
    }

    /** @return a URI below {@code top} that is one segment deeper than {@code maxDepth} allows */
    private static String deeperThan(int maxDepth, String top) {
        StringBuilder uri = new StringBuilder(top);
        for (int depth = top.split("/").length - 1; depth <= maxDepth; depth++) {
            uri.append('/').append(depth);
        }
        return uri.toString();
    }

    private static List<String> lines(String out) {
        return out.lines().collect(Collectors.toList());
    }

    /** @return a path in the container's data folder, for dm:export and dm:import, that does not exist yet */
    private static Path freshFile(String name) throws IOException {
        Path dir = Files.createDirectories(Paths.get(System.getProperty("karaf.data"), "itests"));
        Path file = dir.resolve(name).toAbsolutePath();
        Files.deleteIfExists(file);
        return file;
    }

    /** Asserts that two subtrees hold the same nodes, formats, types and values (relative to their tops). */
    private void assertSameSubtree(String expectedTop, String actualTop) {
        Map<String, List<String>> expected = relative(expectedTop, listTable(run("dm:get '" + expectedTop + "?list=StructData'")));
        Map<String, List<String>> actual = relative(actualTop, listTable(run("dm:get '" + actualTop + "?list=StructData'")));
        assertEquals(actualTop + " differs from " + expectedTop, expected, actual);
        assertEquals("ACL of " + actualTop, lines(run("dm:get '" + expectedTop + "?prop=ACL'")),
                lines(run("dm:get '" + actualTop + "?prop=ACL'")));
    }

    private static Map<String, List<String>> relative(String top, Map<String, List<String>> rows) {
        Map<String, List<String>> out = new TreeMap<>();
        rows.forEach((uri, cells) -> out.put(uri.substring(top.length()), cells));
        return out;
    }

    /** @return the repository path of a mvn:group/artifact/version[/type[/classifier]] location */
    private static String mavenPath(String location) {
        String[] p = location.replaceFirst("^mvn:", "").split("/");
        String type = p.length > 3 && !p[3].isEmpty() ? p[3] : "jar";
        String classifier = p.length > 4 ? "-" + p[4] : "";
        return p[0].replace('.', '/') + "/" + p[1] + "/" + p[2] + "/" + p[1] + "-" + p[2] + classifier + "." + type;
    }

    private List<String> cardinalFeatures() throws Exception {
        return Stream.of(featuresService.listFeatures()).map(Feature::getName)
                .filter(n -> n.startsWith("cardinal-")).distinct().sorted().collect(Collectors.toList());
    }

    /** @return bundles that are neither active nor (being fragments) resolved */
    private List<String> notActive() {
        List<String> bad = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                bad.add(b.getSymbolicName() + " state " + b.getState());
            }
        }
        return bad;
    }

    private static List<String> errorLines() throws IOException {
        return logLines("| ERROR ");
    }
}
