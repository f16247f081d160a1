package org.cardinaldm.store.mvstore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.cardinaldm.api.NodeUri;
import org.junit.jupiter.api.Test;

class NodeKeysTest {
    @Test
    void keys_round_trip_to_uris() {
        for (String u : List.of(".", "./A", "./A/B", "./DMAcc/srv%201/AppAddr", "./Ü/é")) {
            NodeUri uri = NodeUri.of(u);
            assertThat(NodeKeys.uri(NodeKeys.key(uri))).isEqualTo(uri);
        }
        assertThat(NodeKeys.key(NodeUri.of("./A/B"))).isEqualTo("./A\0B");
        assertThat(NodeKeys.key(NodeUri.of("./A"))).isEqualTo(".\0A");
    }

    @Test
    void children_of_a_node_form_one_sorted_range_without_grandchildren_or_look_alike_siblings() {
        List<String> uris = List.of("./A", "./A/B", "./A/B/C", "./A/a", "./A/B-", "./AB", "./AB/X", "./A-/Y", "./A/Z", "./A.b/Q");
        TreeSet<String> keys = uris.stream().map(u -> NodeKeys.key(NodeUri.of(u))).collect(Collectors.toCollection(TreeSet::new));
        String prefix = NodeKeys.childPrefix(NodeUri.of("./A"));
        List<String> range = keys.tailSet(prefix).stream().takeWhile(k -> k.startsWith(prefix)).map(NodeKeys::name)
                .collect(Collectors.toList());
        assertThat(range).containsExactly("B", "B-", "Z", "a");
        String deep = NodeKeys.deepPrefix(NodeUri.of("./A"));
        List<String> deeper = keys.tailSet(deep).stream().takeWhile(k -> k.startsWith(deep)).map(k -> NodeKeys.uri(k).toString())
                .collect(Collectors.toList());
        assertThat(deeper).containsExactly("./A/B/C");
    }
}
