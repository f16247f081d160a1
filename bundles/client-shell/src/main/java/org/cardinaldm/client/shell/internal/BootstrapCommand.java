package org.cardinaldm.client.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.cardinaldm.client.api.BootstrapPackage;
import org.cardinaldm.client.api.BootstrapResult;
import org.cardinaldm.client.api.DmBootstrap;
import org.cardinaldm.client.shell.internal.ui.PromptBoard;
import org.cardinaldm.syncml.api.MediaTypes;

/**
 * {@code dm:bootstrap <file>}: applies a DM-profile bootstrap message (WBXML or XML, told apart by
 * its first bytes) from a file, with origin {@code file:<file name>}, optionally protected by SEC and
 * MAC (digest 8.2), confirmed by the user first, and followed by a session with each new server.
 * {@code dm:bootstrap --withdraw <origin>} removes the accounts an origin brought.
 * <pre>
 * Bootstrap file:operator.wbxml: APPLIED
 *   Accounts   dms.example.com
 * </pre>
 */
@Service
@Command(scope = "dm", name = "bootstrap",
        description = "Apply a DM-profile bootstrap file (WBXML or XML), or withdraw the accounts of an origin")
public class BootstrapCommand implements Action {
    /** The largest file read. */
    static final int MAX_FILE_BYTES = 1 << 20;
    /** How long to wait for the bootstrap (it may wait for the user's confirmation or PIN). */
    static final Duration WAIT = Duration.ofMinutes(10);

    private static final Set<String> SECS = Set.of("NETWORKID", "USERPIN", "USERPIN_NETWORKID");
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{40}");

    @Reference(optional = true)
    DmBootstrap bootstrap;

    @Reference(optional = true)
    PromptBoard board;

    @Reference(optional = true)
    Session session;

    @Argument(index = 0, name = "file", description = "The bootstrap message: a SyncML DM 1.2 message in WBXML or XML",
            required = false)
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--sec", description = "SEC of the MAC: NETWORKID, USERPIN or USERPIN_NETWORKID (needs --mac)")
    String sec;

    @Option(name = "--mac", description = "The MAC: HMAC-SHA1 of the file, 40 hex digits (needs --sec)")
    String mac;

    @Option(name = "--confirm", description = "Ask the user first (through the UI; nothing is applied on refusal)")
    boolean confirm;

    @Option(name = "--connect", description = "Start a session with each new server afterwards")
    boolean connect;

    @Option(name = "--withdraw", description = "Remove the accounts this origin brought, e.g. file:operator.wbxml")
    @Completion(OriginCompleter.class)
    String withdraw;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        DmBootstrap b = Services.require(bootstrap, "DM bootstrap");
        if (withdraw != null) {
            if (file != null || sec != null || mac != null || confirm || connect) {
                throw new CommandException("--withdraw takes an origin and nothing else");
            }
            return withdraw(b, o);
        }
        if (file == null) {
            throw new CommandException("Give a bootstrap file, or --withdraw <origin>");
        }
        BootstrapPackage.Security security = security();
        Path path = session != null && session.currentDir() != null ? session.currentDir().resolve(file) : Path.of(file);
        byte[] document = read(path);
        String mediaType = mediaType(document);
        String name = path.getFileName() == null ? file : path.getFileName().toString();
        BootstrapPackage p = BootstrapPackage.builder("file:" + name, document, mediaType).security(security)
                .confirm(confirm, confirm ? "Apply the device management settings from the file " + name + "?" : "")
                .connect(connect).build();
        BootstrapResult r = apply(b, p, o);
        if (r.outcome() != BootstrapResult.Outcome.APPLIED) {
            throw new CommandException("Bootstrap " + p.origin() + " not applied: " + r.outcome()
                    + (r.detail().isEmpty() ? "" : ": " + r.detail()));
        }
        o.println("Bootstrap " + p.origin() + ": " + r.outcome());
        o.println("  Accounts   " + (r.serverIds().isEmpty() ? "(none new)" : String.join(", ", r.serverIds())));
        if (!r.detail().isEmpty()) {
            o.println("  Detail     " + r.detail());
        }
        if (connect && !r.serverIds().isEmpty()) {
            o.println("  Connecting to each new server; the outcomes go to the log (log:display).");
        }
        o.flush();
        return null;
    }

    private Object withdraw(DmBootstrap b, PrintStream o) throws CommandException {
        if (withdraw.indexOf(':') <= 0) {
            throw new CommandException("An origin looks like file:<name> or card:<id>, not " + withdraw
                    + " (dm:accounts shows them)");
        }
        int n = b.withdraw(withdraw);
        o.println(n == 0 ? "No accounts came from " + withdraw + "."
                : "Removed " + n + " account" + (n == 1 ? "" : "s") + " of " + withdraw + ".");
        o.flush();
        return null;
    }

    private BootstrapPackage.Security security() throws CommandException {
        if (sec == null && mac == null) {
            return null;
        }
        if (sec == null || mac == null) {
            throw new CommandException("--sec and --mac go together");
        }
        String s = sec.trim().toUpperCase(Locale.ROOT);
        if (!SECS.contains(s)) {
            throw new CommandException("--sec must be NETWORKID, USERPIN or USERPIN_NETWORKID, not " + sec);
        }
        String m = mac.trim();
        if (!MAC.matcher(m).matches()) {
            throw new CommandException("--mac must be 40 hex digits (HMAC-SHA1), not " + m.length() + " characters"
                    + (m.chars().allMatch(c -> Character.digit(c, 16) >= 0) ? "" : " with non-hex ones"));
        }
        return new BootstrapPackage.Security(s, m.toLowerCase(Locale.ROOT));
    }

    private static byte[] read(Path path) throws CommandException {
        try {
            if (!Files.isRegularFile(path)) {
                throw new CommandException("No file " + path);
            }
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new CommandException(path + " is larger than " + MAX_FILE_BYTES + " bytes: not a bootstrap message");
            }
            byte[] bytes = Files.readAllBytes(path);
            if (bytes.length == 0) {
                throw new CommandException(path + " is empty");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new CommandException("No file " + path);
        } catch (IOException e) {
            throw new CommandException("Cannot read " + path + ": " + e.getMessage());
        }
    }

    /**
     * @param doc a message
     * @return its media type: XML when it starts with {@code <} (after a BOM and blanks), WBXML when
     *     it starts with a WBXML version byte (1.0 to 1.3)
     * @throws CommandException when it is neither
     */
    static String mediaType(byte[] doc) throws CommandException {
        if (doc[0] >= 0x01 && doc[0] <= 0x03) {
            return MediaTypes.DM_WBXML;
        }
        int i = doc.length >= 3 && (doc[0] & 0xFF) == 0xEF && (doc[1] & 0xFF) == 0xBB && (doc[2] & 0xFF) == 0xBF ? 3 : 0;
        while (i < doc.length && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\r' || doc[i] == '\n')) {
            i++;
        }
        if (i < doc.length && doc[i] == '<') {
            return MediaTypes.DM_XML;
        }
        throw new CommandException("Not a SyncML DM message: neither XML nor WBXML");
    }

    private BootstrapResult apply(DmBootstrap b, BootstrapPackage p, PrintStream o) throws CommandException {
        if (board == null || session == null) {
            try {
                return b.apply(p);
            } catch (RuntimeException e) {
                throw new CommandException("The bootstrap failed: " + e);
            }
        }
        // apply() waits for the user's confirmation or PIN: let this terminal answer those prompts
        try (InlinePrompts inline = new InlinePrompts(board, session, o)) {
            CompletableFuture<BootstrapResult> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    f.complete(b.apply(p));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            }, "cardinal-dm-shell-bootstrap");
            t.setDaemon(true);
            t.start();
            return inline.await(f, WAIT);
        } catch (TimeoutException e) {
            throw new CommandException("The bootstrap did not end within " + WAIT.toMinutes() + " minutes");
        } catch (ExecutionException e) {
            throw new CommandException("The bootstrap failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("Stopped waiting; the bootstrap goes on and its outcome goes to the log");
        }
    }
}
