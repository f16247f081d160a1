package org.cardinaldm.tree.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.spi.store.StoredNode;

/**
 * The TStamp and VerNo properties the engine maintains on stored nodes (digest 5.6): the time in
 * whole seconds, the next VerNo (wrapping at 0xFFFF), and the touch of an interior node whose
 * children changed.
 */
final class Stamps {
    private final Mounts mounts;
    private final Clock clock;

    Stamps(Mounts mounts, Clock clock) {
        this.mounts = Objects.requireNonNull(mounts, "mounts");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the TStamp of a change made now */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    static int nextVersion(int version) {
        return version < 0 ? 0 : (version + 1) & 0xFFFF;
    }

    /** Records a change of a stored node's children: TStamp now, VerNo + 1. */
    void touch(Op op, NodeUri uri) throws DmException {
        if (mounts.owner(uri) != null) {
            return;
        }
        Optional<StoredNode> n = op.read(uri);
        if (n.isPresent()) {
            NodeInfo info = n.get().info().toBuilder().timestamp(now()).version(nextVersion(n.get().info().version()))
                    .build();
            op.put(StoredNode.of(info, n.get().value()));
        }
    }
}
