package org.cardinaldm.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.Mockito.verify;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LsCommandTest {
    private FakeTree fake;
    private final Output output = new Output();

    @BeforeEach
    void tree() throws DmException {
        fake = new FakeTree()
                .interior("./DevInfo").leaf("./DevInfo/Man", "ACME").leaf("./DevInfo/Mod", "X1")
                .interior("./DevInfo/Ext").leaf("./DevInfo/Ext/Color", "red")
                .interior("./DevDetail").leaf("./DevDetail/FwV", "1.0");
    }

    private LsCommand command(String uri, int depth) {
        LsCommand c = new LsCommand();
        c.tree = fake.tree;
        c.uri = uri;
        c.depth = depth;
        c.out = output.stream;
        return c;
    }

    @Test
    void root_lists_its_children_and_marks_interior_nodes() throws Exception {
        command(".", 1).execute();

        assertThat(output.text()).isEqualTo(".\n|-- DevDetail/\n`-- DevInfo/\n");
        verify(fake.tree).as(Principal.localAdmin());
    }

    @Test
    void default_is_the_root_one_level_deep() throws Exception {
        LsCommand c = new LsCommand();
        c.tree = fake.tree;
        c.out = output.stream;

        c.execute();

        assertThat(output.text()).isEqualTo(".\n|-- DevDetail/\n`-- DevInfo/\n");
    }

    @Test
    void depth_draws_nested_levels_with_tree_connectors() throws Exception {
        command(".", 3).execute();

        assertThat(output.text()).isEqualTo(String.join("\n",
                ".",
                "|-- DevDetail/",
                "|   `-- FwV",
                "`-- DevInfo/",
                "    |-- Ext/",
                "    |   `-- Color",
                "    |-- Man",
                "    `-- Mod",
                ""));
    }

    @Test
    void depth_limits_how_far_the_view_goes() throws Exception {
        command("./DevInfo", 1).execute();

        assertThat(output.text()).isEqualTo("./DevInfo/\n|-- Ext/\n|-- Man\n`-- Mod\n");
    }

    @Test
    void depth_zero_shows_the_node_alone() throws Exception {
        command("DevInfo", 0).execute();

        assertThat(output.text()).isEqualTo("./DevInfo/\n");
    }

    @Test
    void a_leaf_shows_itself_only() throws Exception {
        command("./DevInfo/Man", 2).execute();

        assertThat(output.text()).isEqualTo("./DevInfo/Man\n");
    }

    @Test
    void a_subtree_that_refuses_shows_its_status_instead_of_its_children() throws Exception {
        fake.refusing("./DevInfo/Ext", StatusCode.PERMISSION_DENIED);

        command("./DevInfo", 2).execute();

        assertThat(output.text()).isEqualTo("./DevInfo/\n|-- Ext  (425 Permission denied)\n|-- Man\n`-- Mod\n");
    }

    @Test
    void missing_node_is_refused_with_one_404_line() {
        CommandException e = catchThrowableOfType(CommandException.class, command("./Nope", 1)::execute);

        assertThat(e.getNiceHelp()).startsWith("404 Not found: ").doesNotContain("\n");
        assertThat(output.text()).isEmpty();
    }

    @Test
    void refused_top_node_is_one_425_line() {
        fake.refusing("./DevDetail", StatusCode.PERMISSION_DENIED);

        CommandException e = catchThrowableOfType(CommandException.class, command("./DevDetail", 1)::execute);

        assertThat(e.getNiceHelp()).startsWith("425 Permission denied");
        assertThat(output.text()).isEmpty();
    }

    @Test
    void negative_or_huge_depth_is_a_400() {
        assertThat(catchThrowableOfType(CommandException.class, command(".", -1)::execute).getNiceHelp())
                .startsWith("400 Bad request: ");
        assertThat(catchThrowableOfType(CommandException.class, command(".", LsCommand.MAX_DEPTH + 1)::execute)
                .getNiceHelp()).startsWith("400 Bad request: ");
    }

    @Test
    void malformed_uri_is_a_400() {
        assertThat(catchThrowableOfType(CommandException.class, command("./a/../b", 1)::execute).getNiceHelp())
                .startsWith("400 Bad request: ");
    }

    @Test
    void without_a_tree_service_the_command_says_503() {
        LsCommand c = command(".", 1);
        c.tree = null;

        assertThat(catchThrowableOfType(CommandException.class, c::execute).getNiceHelp())
                .startsWith("503 Service unavailable: ");
    }

    @Test
    void unchecked_exception_from_the_tree_becomes_a_500_line() throws DmException {
        fake.failWith(new IllegalStateException("plugin bug"));

        assertThat(catchThrowableOfType(CommandException.class, command(".", 1)::execute).getNiceHelp())
                .startsWith("500 Command failed: ");
    }
}
