package org.cardinaldm.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.karaf.shell.api.console.Registry;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.impl.action.command.DefaultActionPreparator;
import org.apache.karaf.shell.impl.action.command.ManagerImpl;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the write and TNDS commands share through {@link TreeCommand}, seen the way Karaf sees it. */
class TreeCommandTest {
    @TempDir
    Path dir;

    private final DmTree tree = mock(DmTree.class);
    private final TndsDocuments docs = mock(TndsDocuments.class);
    private final Output output = new Output();

    @Test
    void karaf_injects_the_tree_and_the_as_option_declared_in_the_base_class() throws Exception {
        Registry services = mock(Registry.class);
        when(services.getService(DmTree.class)).thenReturn(tree);
        when(services.getService(TndsDocuments.class)).thenReturn(docs);
        for (Class<? extends TreeCommand> type : List.of(AddCommand.class, SetCommand.class, RmCommand.class,
                DmAclCommand.class, ExportCommand.class, ImportCommand.class)) {
            TreeCommand c = new ManagerImpl(services, services).instantiate(type, services);
            assertThat(c.tree).as(type.getSimpleName()).isSameAs(tree);

            List<Object> words = type == SetCommand.class || type == ExportCommand.class
                    ? List.of("--as", "srv1", "./A", "x") : List.of("--as", "srv1", "./A");
            assertThat(new DefaultActionPreparator().prepare(c, mock(Session.class), words)).as(type.getSimpleName()).isTrue();
            assertThat(c.as).as(type.getSimpleName()).isEqualTo("srv1");
        }
    }

    @Test
    void an_unchecked_exception_below_any_of_them_prints_one_500_line_and_nothing_else() throws Exception {
        TreeAccess broken = mock(TreeAccess.class, invocation -> {
            throw new IllegalStateException("bug in a plugin");
        });
        when(tree.as(Principal.localAdmin())).thenReturn(broken);
        when(docs.export(any(), any(), any(), any())).thenThrow(new IllegalStateException("bug in the codec"));
        Path file = dir.resolve("in.xml");
        Files.write(file, "<MgmtTree/>".getBytes(StandardCharsets.UTF_8));
        doThrow(new IllegalStateException("bug in the codec")).when(docs).add(any(), any(), any(), any());

        for (TreeCommand c : List.of(add(), set(), rm(), acl(), export(), importing(file))) {
            CommandException e = catchThrowableOfType(CommandException.class, c::execute);
            assertThat(e).as(c.getClass().getSimpleName()).isNotNull();
            assertThat(e.getNiceHelp()).as(c.getClass().getSimpleName())
                    .isEqualTo("500 Command failed: Unexpected IllegalStateException (see the log)");
        }
        assertThat(output.text()).isEmpty();
    }

    private <C extends TreeCommand> C wired(C c) {
        c.tree = tree;
        c.out = output.stream;
        return c;
    }

    private AddCommand add() {
        AddCommand c = wired(new AddCommand());
        c.uri = "./A";
        return c;
    }

    private SetCommand set() {
        SetCommand c = wired(new SetCommand());
        c.uri = "./A";
        c.value = "x";
        return c;
    }

    private RmCommand rm() {
        RmCommand c = wired(new RmCommand());
        c.uri = "./A";
        return c;
    }

    private DmAclCommand acl() {
        DmAclCommand c = wired(new DmAclCommand());
        c.uri = "./A";
        return c;
    }

    private ExportCommand export() {
        ExportCommand c = wired(new ExportCommand());
        c.documents = docs;
        c.uri = "./A";
        c.file = dir.resolve("out.xml").toString();
        return c;
    }

    private ImportCommand importing(Path file) {
        ImportCommand c = wired(new ImportCommand());
        c.documents = docs;
        c.file = file.toString();
        return c;
    }
}
