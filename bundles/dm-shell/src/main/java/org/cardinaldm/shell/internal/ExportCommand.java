package org.cardinaldm.shell.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeAccess;

/**
 * {@code dm:export <uri> <file> [--list TNDS…] [--wbxml] [--force] [--as server]}: writes the
 * subtree at {@code <uri>} to a TNDS document (XML unless {@code --wbxml}), as
 * {@code Get <uri>?list=TNDS} returns it: ACLs included, nodes the principal may not read left
 * out, secrets without values. Prints {@code Exported <uri> to <file> (<n> bytes, <media type>)}.
 */
@Service
@Command(scope = "dm", name = "export", description = "Write a DM subtree to a TNDS file")
public class ExportCommand extends TreeCommand {
    @Reference(optional = true)
    TndsDocuments documents;

    @Argument(index = 0, name = "uri", description = "The top of the subtree, e.g. ./DMAcc", required = true)
    @Completion(NodeUriCompleter.class)
    String uri;

    @Argument(index = 1, name = "file", description = "The file to write", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "-l", aliases = "--list", description = "The ?list= form: TNDS (default: every property and the values), TNDS+ACL+Value, TNDS-TStamp-VerNo, ...")
    String list = "TNDS";

    @Option(name = "--wbxml", description = "Write WBXML instead of XML")
    boolean wbxml;

    @Option(name = "--force", description = "Overwrite the file if it exists")
    boolean force;

    @Override
    String run(TreeAccess access) throws Exception {
        TndsDocuments docs = Documents.require(documents);
        Path path = Paths.get(file);
        if (Files.exists(path) && !force) {
            throw Refusals.of(StatusCode.ALREADY_EXISTS, "The file " + file + " exists (use --force to overwrite it)");
        }
        String type = wbxml ? TndsDocuments.WBXML : TndsDocuments.XML;
        NodeUri node = attempt(() -> NodeUri.parse(uri));
        byte[] document = attempt(() -> docs.export(access, node, ListForm.parse(list), type));
        write(path, document);
        return "Exported " + node + " to " + file + " (" + document.length + " bytes, " + type + ")";
    }

    /** Writes next to the target and moves it in place, so a failed export never leaves half a file. */
    private void write(Path path, byte[] document) throws Exception {
        Path absolute = path.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(absolute.getParent(), ".dm-export", ".tmp");
            Files.write(tmp, document);
            if (force) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(tmp, absolute);
            }
        } catch (FileAlreadyExistsException e) {
            throw Refusals.of(StatusCode.ALREADY_EXISTS, "The file " + file + " exists (use --force to overwrite it)");
        } catch (IOException | SecurityException e) {
            throw Refusals.of(StatusCode.COMMAND_FAILED, "Cannot write " + file + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
