package org.cardinaldm.itests;

import static org.cardinaldm.itests.ShellOutput.assertContains;
import static org.cardinaldm.itests.ShellOutput.assertNotContains;
import static org.cardinaldm.itests.ShellOutput.assertRefused;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.cardinaldm.itests.UnpackedDistribution.Result;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The DM tree survives a restart of the distribution, as an operator would do it: untar the
 * tar.gz, {@code bin/start}, write nodes with {@code bin/client -b}, {@code bin/stop},
 * {@code bin/start} again, read them back. Not a Pax Exam test: the point is the real scripts and
 * the store file under {@code data/cardinal/} across two JVMs.
 *
 * <p>The copy is unpacked in {@code target/restart/}, kept when the test fails (read its
 * {@code data/log/karaf.log} and the {@code *.out} files of each script), deleted when it passes.
 */
public class DistributionRestartIT {
    private UnpackedDistribution cardinal;
    private boolean passed;

    @Before
    public void unpack() throws Exception {
        String tarball = Objects.requireNonNull(System.getProperty("cardinal.distribution"),
                "System property cardinal.distribution is not set (run the tests through Maven Failsafe)");
        cardinal = UnpackedDistribution.unpack(Paths.get(tarball), Paths.get("target", "restart"));
    }

    @After
    public void stopAndClean() throws IOException {
        if (cardinal == null) {
            return;
        }
        cardinal.close();
        if (passed) {
            cardinal.delete();
        } else {
            System.err.println("DistributionRestartIT: kept " + cardinal.home() + " (ssh port " + cardinal.sshPort() + ")");
        }
    }

    @Test
    public void nodes_acls_and_an_account_written_through_bin_client_survive_bin_stop_and_bin_start() throws Exception {
        Path account = cardinal.home().resolve("itaccount.xml");
        Files.writeString(account, TndsAccount.document(), StandardCharsets.UTF_8);
        String acl = "Add=srvA&Delete=srvA&Get=*&Replace=srvA";
        String accountUri = "./DMAcc/" + TndsAccount.NODE;
        long t0 = System.nanoTime();

        cardinal.start();
        awaitConsole();
        long firstBoot = System.nanoTime();
        Result written = cardinal.client(
                "dm:add ./ITRestart/Note 'survives a restart'",
                "dm:add --format int ./ITRestart/Count 41",
                "dm:set ./ITRestart/Count 42",
                "dm:add --format bin ./ITRestart/Key 00FF10",
                "dm:acl ./ITRestart '" + acl + "'",
                "dm:acl ./DevInfo/Man 'Get=*&Replace=srvA'",
                "dm:import '" + account + "'",
                "dm:get './ITRestart?list=TNDS'",
                "dm:get '" + accountUri + "?list=TNDS'");
        assertEquals(written.output(), 0, written.exit());
        List<String> done = List.of("Added ./ITRestart/Note (chr)", "Added ./ITRestart/Count (int)", "Replaced ./ITRestart/Count",
                "Added ./ITRestart/Key (bin)", "ACL of ./ITRestart: " + acl, "ACL of ./DevInfo/Man: Get=*&Replace=srvA",
                "Added " + account + " at .");
        List<String> out = lines(written);
        assertEquals(written.output(), done, out.subList(0, done.size()));
        // both subtrees as TNDS, with every property: TStamp and VerNo included
        String subtreesBefore = out.subList(done.size(), out.size()).stream().map(l -> l + "\n").collect(Collectors.joining());
        assertContains("<Value>survives a restart</Value>", subtreesBefore);
        assertContains("<NodeName>" + TndsAccount.NODE + "</NodeName>", subtreesBefore);

        long stopping = System.nanoTime();
        cardinal.stop();
        long stopped = System.nanoTime();
        assertTrue("the store file exists after bin/stop", Files.isRegularFile(cardinal.home().resolve("data/cardinal/tree.mv")));
        cardinal.start();
        awaitConsole();
        long secondBoot = System.nanoTime();

        Result read = cardinal.client(
                "dm:get ./ITRestart/Note",
                "dm:get ./ITRestart/Count",
                "dm:get './ITRestart/Count?prop=VerNo'",
                "dm:get ./ITRestart/Key",
                "dm:get './ITRestart?prop=ACL'",
                "dm:get './DevInfo/Man?prop=ACL'",
                "dm:get " + accountUri + "/ServerID",
                "dm:get './ITRestart?list=TNDS'",
                "dm:get '" + accountUri + "?list=TNDS'");
        assertEquals(read.output(), 0, read.exit());
        // the same values, properties and subtrees, to the TStamp and VerNo: nothing lost, nothing rewritten
        assertEquals(String.join("\n", "survives a restart", "42", "1", "00FF10", acl, "Get=*&Replace=srvA", TndsAccount.SERVER_ID)
                + "\n" + subtreesBefore, read.output());

        // and still enforced: the ACL per server (the command after a refusal is not run in batch mode)
        Result refused = cardinal.client("dm:set --as srvA ./ITRestart/Count 43", "dm:set --as srvB ./ITRestart/Count 1",
                "dm:set ./ITRestart/Count 44");
        assertEquals(refused.output(), 1, refused.exit());
        List<String> answers = refused.output().lines().collect(Collectors.toList());
        assertEquals(refused.output(), 2, answers.size());
        assertEquals("Replaced ./ITRestart/Count", answers.get(0));
        assertRefused("425 Permission denied", answers.get(1));
        // and the write-only secret
        Result secret = cardinal.client("dm:get " + accountUri + "/AppAuth/1/AAuthSecret");
        assertEquals(secret.output(), 1, secret.exit());
        assertRefused("405 Command not allowed", secret.output());
        assertNotContains(TndsAccount.SECRET, secret.output());

        cardinal.stop();
        assertEquals("ERROR lines in karaf.log", List.of(), logLines("| ERROR "));
        assertEquals("log lines with the account's secret", List.of(), logLines(TndsAccount.SECRET));
        passed = true;
        System.out.printf("DistributionRestartIT: first boot answered after %.1f s, bin/stop took %.1f s, second boot answered"
                + " after %.1f s, whole test %.1f s (wall clock, shared machine)%n", seconds(firstBoot - t0),
                seconds(stopped - stopping), seconds(secondBoot - stopped), seconds(System.nanoTime() - t0));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Polls {@code dm:ls .} until the console answers with the whole tree (the boot features are up). */
    private void awaitConsole() {
        AtomicReference<String> last = new AtomicReference<>("(none)");
        try {
            Awaitility.await("the console answers dm:ls . with DevInfo and DMAcc")
                    .atMost(UnpackedDistribution.BOOT_BOUND).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> {
                        Result r = cardinal.client("dm:ls .");
                        last.set(r.output());
                        return r.exit() == 0 && r.output().contains("DevInfo/") && r.output().contains("DMAcc/");
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the last answer was:\n" + last.get(), e);
        }
    }

    /** @return the output of a command that must succeed */
    private String ok(String command) throws Exception {
        Result r = cardinal.client(command);
        assertEquals(command + ":\n" + r.output(), 0, r.exit());
        return r.output();
    }

    private static List<String> lines(Result r) {
        assertEquals(r.output(), 0, r.exit());
        return r.output().lines().collect(Collectors.toList());
    }

    private List<String> logLines(String containing) throws IOException {
        if (!Files.exists(cardinal.log())) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(cardinal.log(), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(containing)).collect(Collectors.toList());
        }
    }
}
