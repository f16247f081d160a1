package org.cardinaldm.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeAccess;

/**
 * {@code dm:import <file> [--replace] [--target uri] [--as server]}: DM Add (or with
 * {@code --replace}, Replace) of the subtree a TNDS file (XML or WBXML, detected) describes. Each
 * top-level node lands at the target (default the root), then its Path, then its name, so a file
 * written by {@code dm:export} goes back where it came from. All or nothing, one status. Prints
 * {@code Added <file> at <target>} or {@code Replaced …}.
 */
@Service
@Command(scope = "dm", name = "import", description = "Add or replace a DM subtree from a TNDS file")
public class ImportCommand extends TreeCommand {
    @Reference(optional = true)
    TndsDocuments documents;

    @Argument(index = 0, name = "file", description = "A TNDS document (XML or WBXML)", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "-r", aliases = "--replace", description = "Replace the subtrees (nodes missing from the file are deleted) instead of adding them")
    boolean replace;

    @Option(name = "--target", description = "The command's target URI the file's paths are relative to (default .)")
    String target = ".";

    @Override
    String run(TreeAccess access) throws Exception {
        TndsDocuments docs = Documents.require(documents);
        byte[] document = read(Paths.get(file));
        String type = Documents.mediaTypeOf(document);
        NodeUri at = attempt(() -> {
            NodeUri node = NodeUri.parse(target);
            if (replace) {
                docs.replace(access, node, document, type);
            } else {
                docs.add(access, node, document, type);
            }
            return node;
        });
        return (replace ? "Replaced " : "Added ") + file + " at " + at;
    }

    private byte[] read(Path path) throws Exception {
        try {
            if (!Files.isRegularFile(path)) {
                throw Refusals.of(StatusCode.NOT_FOUND, "No file " + file);
            }
            if (Files.size(path) > Documents.MAX_FILE_BYTES) {
                throw Refusals.of(StatusCode.REQUEST_ENTITY_TOO_LARGE,
                        "The file " + file + " is larger than " + (Documents.MAX_FILE_BYTES >> 20) + " MB");
            }
            return Files.readAllBytes(path);
        } catch (IOException | SecurityException e) {
            throw Refusals.of(StatusCode.COMMAND_FAILED, "Cannot read " + file + ": " + e.getMessage());
        }
    }
}
