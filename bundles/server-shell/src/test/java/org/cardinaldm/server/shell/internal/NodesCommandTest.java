package org.cardinaldm.server.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.api.SessionInfo;
import org.cardinaldm.server.api.SessionMonitor;
import org.junit.jupiter.api.Test;

class NodesCommandTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void every_node_incarnation_is_listed_with_its_state() throws Exception {
        FumoFakes.Out out = new FumoFakes.Out();
        NodesCommand c = new NodesCommand();
        c.out = out.stream;
        c.sessions = new SessionMonitor() {
            @Override
            public List<SessionInfo> sessions() {
                return List.of();
            }

            @Override
            public List<ServerNode> nodes() {
                return List.of(new ServerNode("node1", "AbCdEfGh", T, T.plusSeconds(5), 1, ServerNode.State.ALIVE, null),
                        new ServerNode("node2", "IjKlMnOp", T, T, 0, ServerNode.State.DEAD, T.plusSeconds(35)));
            }
        };
        c.execute();
        assertThat(out.text()).contains("node1", "AbCdEfGh", "alive", "node2", "IjKlMnOp", "dead");
    }

    @Test
    void without_the_server_it_says_so() {
        NodesCommand c = new NodesCommand();
        assertThatThrownBy(c::execute).isInstanceOf(org.apache.karaf.shell.support.CommandException.class);
    }
}
