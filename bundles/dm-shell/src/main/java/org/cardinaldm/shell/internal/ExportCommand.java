package org.cardinaldm.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
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
public class ExportCommand implements Action {
    @Reference(optional = true)
    DmTree tree;

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

    @Option(name = "--as", description = "Act as this DM server (its ServerID), subject to the ACLs, instead of the local administrator")
    String as;

    /** Where output goes; null means the session's standard output. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        PrintStream o = out != null ? out : System.out;
        TreeAccess access = Principals.access(tree, as);
        TndsDocuments docs = Documents.require(documents);
        Path path = Paths.get(file);
        if (Files.exists(path) && !force) {
            throw Refusals.of(StatusCode.ALREADY_EXISTS, "The file " + file + " exists (use --force to overwrite it)");
        }
        String type = wbxml ? TndsDocuments.WBXML : TndsDocuments.XML;
        byte[] document;
        NodeUri node;
        try {
            node = NodeUri.parse(uri);
            ListForm form = ListForm.parse(list);
            document = docs.export(access, node, form, type);
        } catch (DmException e) {
            throw Refusals.of(e);
        } catch (RuntimeException e) {
            throw Refusals.bug("dm:export", e);
        }
        write(path, document);
        o.println("Exported " + node + " to " + file + " (" + document.length + " bytes, " + type + ")");
        o.flush();
        return null;
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
