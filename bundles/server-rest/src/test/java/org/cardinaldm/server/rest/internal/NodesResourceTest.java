package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.api.SessionInfo;
import org.cardinaldm.server.api.SessionMonitor;
import org.junit.jupiter.api.Test;

class NodesResourceTest {
    @Test
    void the_nodes_of_the_registry_are_listed_with_their_state() {
        SessionMonitor monitor = new SessionMonitor() {
            @Override
            public List<SessionInfo> sessions() {
                return List.of();
            }

            @Override
            public List<ServerNode> nodes() {
                return List.of(new ServerNode("node1", "AbC", TestSupport.NOW, TestSupport.NOW.plusSeconds(5), 1,
                        ServerNode.State.ALIVE, null), new ServerNode("node2", "XyZ", TestSupport.NOW,
                                TestSupport.NOW.plusSeconds(5), 1, ServerNode.State.DEAD, TestSupport.NOW.plusSeconds(40)));
            }
        };
        String json = TestSupport.write(new NodesResource(monitor).list()).replaceAll("\\s", "");
        assertThat(json).contains("\"nodeId\":\"node1\"", "\"state\":\"alive\"", "\"state\":\"dead\"",
                "\"ended\":\"2026-11-27T12:00:40Z\"", "\"ended\":null", "\"beats\":1");
    }

    @Test
    void a_registry_without_nodes_lists_none() {
        SessionMonitor monitor = List::<SessionInfo>of;
        assertThat(TestSupport.write(new NodesResource(monitor).list()).replaceAll("\\s", "")).isEqualTo("[]");
    }
}
