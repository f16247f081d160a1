package org.cardinaldm.server.shell.internal;

import org.cardinaldm.server.api.audit.AuditLog;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.server.packages.api.PackageRejectedException;
import org.cardinaldm.server.packages.api.PublishedPackage;

/** {@code dms:fumo-publish <file> <manifest>}: checks a signed package against the trusted signers and publishes it. */
@Service
@Command(scope = "dms", name = "fumo-publish", description = "Publish a signed package: its manifest is checked "
        + "against the operator's trusted signers")
public class FumoPublishCommand implements Action {
    /** The largest signed manifest read. */
    static final long MAX_MANIFEST = 1024 * 1024;

    @Reference(optional = true)
    PackageCatalog catalog;

    @Argument(index = 0, name = "file", description = "The payload file", required = true)
    String file;

    @Argument(index = 1, name = "manifest", description = "The signed manifest (CMS SignedData, DER), e.g. "
            + "<file>.manifest.p7", required = true)
    String manifest;

    @Option(name = "-n", aliases = "--name", description = "The name devices download it under (default: the file's name)")
    String name;

    @Option(name = "-r", aliases = "--replace", description = "Replace a published package of that name")
    boolean replace;

    PrintStream out;

    /** The audit log, when the server has one. */
    @Reference(optional = true)
    AuditLog audit;

    @Override
    public Object execute() throws Exception {
        return ShellAudit.run(audit, this, (replace ? "--replace " : "") + (name == null ? "" : "-n " + name + " ") + file, null, this::perform);
    }

    /**
     * The command's work.
     *
     * @return null
     * @throws Exception a {@link org.apache.karaf.shell.support.CommandException} for a user error
     */
    Object perform() throws Exception {
        if (catalog == null) {
            throw new CommandException("The package catalogue is not running (install the server-packages bundle).");
        }
        Path payload = Path.of(file);
        Path signed = Path.of(manifest);
        if (!Files.isRegularFile(payload) || !Files.isRegularFile(signed)) {
            throw new CommandException("No such file: " + (Files.isRegularFile(payload) ? manifest : file));
        }
        if (Files.size(signed) > MAX_MANIFEST) {
            throw new CommandException("The manifest is larger than " + MAX_MANIFEST + " bytes: not a signed manifest.");
        }
        String target = name != null ? name : payload.getFileName().toString();
        PublishedPackage p;
        try (InputStream in = Files.newInputStream(payload)) {
            p = catalog.publish(target, in, Files.readAllBytes(signed), replace);
        } catch (PackageRejectedException e) {
            throw new CommandException("Refused: " + e.getMessage());
        }
        (out != null ? out : System.out).println("Published " + p.fileName() + ": " + p.kind() + " " + p.name() + " "
                + p.version() + ", " + p.length() + " bytes, at " + catalog.path() + "/" + p.fileName());
        return null;
    }
}
