package org.cardinaldm.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Session;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.StatusCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeUriCompleterTest {
    private FakeTree fake;
    private final NodeUriCompleter completer = new NodeUriCompleter();

    @BeforeEach
    void tree() throws DmException {
        fake = new FakeTree()
                .interior("./DevInfo").leaf("./DevInfo/Man", "ACME").leaf("./DevInfo/Mod", "X1").leaf("./DevInfo/DmV", "1.2")
                .interior("./DevDetail").interior("./DMAcc");
        completer.tree = fake.tree;
    }

    private List<String> values(String typed) {
        return completer.candidatesFor(typed).stream().map(Candidate::value).toList();
    }

    @Test
    void nothing_typed_offers_the_root_children_with_the_dot_slash_prefix() {
        assertThat(values("")).containsExactly("./DMAcc/", "./DevDetail/", "./DevInfo/");
        assertThat(values(".")).containsExactly("./DMAcc/", "./DevDetail/", "./DevInfo/");
    }

    @Test
    void a_partial_segment_offers_the_matching_siblings() {
        assertThat(values("./Dev")).containsExactly("./DevDetail/", "./DevInfo/");
        assertThat(values("./DevInfo/M")).containsExactly("./DevInfo/Man", "./DevInfo/Mod");
    }

    @Test
    void the_dot_slash_prefix_is_optional() {
        assertThat(values("DevI")).containsExactly("DevInfo/");
        assertThat(values("DevInfo/D")).containsExactly("DevInfo/DmV");
    }

    @Test
    void interior_nodes_stay_open_and_leaves_complete_the_argument() {
        List<Candidate> c = completer.candidatesFor("./DevInfo/");

        assertThat(c).extracting(Candidate::value).containsExactly("./DevInfo/DmV", "./DevInfo/Man", "./DevInfo/Mod");
        assertThat(c).allMatch(Candidate::complete);
        assertThat(completer.candidatesFor("./DevI")).noneMatch(Candidate::complete);
    }

    @Test
    void unknown_refused_or_malformed_parents_offer_nothing() {
        fake.refusing("./DMAcc", StatusCode.PERMISSION_DENIED);

        assertThat(values("./Nope/")).isEmpty();
        assertThat(values("./DMAcc/")).isEmpty();
        assertThat(values("./a//b")).isEmpty();
        assertThat(values("./DevInfo/Man/")).as("a leaf has no children").isEmpty();
    }

    @Test
    void without_a_tree_service_there_are_no_candidates() {
        completer.tree = null;

        assertThat(values("./")).isEmpty();
    }

    @Test
    void string_completion_adds_a_space_after_leaves_only() {
        CommandLine line = mock(CommandLine.class);
        when(line.getCursorArgument()).thenReturn("./DevInfo/Ma");
        when(line.getArgumentPosition()).thenReturn(12);
        when(line.getBufferPosition()).thenReturn(19);
        List<String> strings = new ArrayList<>();

        int index = completer.complete(mock(Session.class), line, strings);

        assertThat(strings).containsExactly("./DevInfo/Man ");
        assertThat(index).isEqualTo(7);

        when(line.getCursorArgument()).thenReturn("./Dev");
        when(line.getArgumentPosition()).thenReturn(5);
        strings.clear();
        completer.complete(mock(Session.class), line, strings);
        assertThat(strings).containsExactly("./DevDetail/", "./DevInfo/");
    }
}
