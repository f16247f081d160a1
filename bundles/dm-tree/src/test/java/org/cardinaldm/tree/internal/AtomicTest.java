package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.s;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.util.Map;

import org.cardinaldm.api.AtomicAccess;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.junit.jupiter.api.Test;

/** Atomic: all or nothing across the store and plugins; 507, 516 (digest 1.5). */
class AtomicTest {
    private final Fixture f = new Fixture(Map.of("root.acl", "Add=*&Get=*&Replace=*&Delete=*&Exec=*"));
    private final TreeAccess srv = f.server("srv");

    private FakePlugin app() {
        return f.mount(new FakePlugin("./App").interior("Items").leaf("Items/Old", "old").leaf("Conf", "c0"));
    }

    @Test
    void committed_atomic_applies_every_command_at_once() throws DmException {
        srv.add(u("./Gone"), s("bye"));
        int commits = f.store.commits();
        try (AtomicAccess atomic = srv.atomic()) {
            atomic.add(u("./A/B"), s("1"));
            atomic.replace(u("./Gone"), s("changed"));
            atomic.setProperty(u("./A"), Property.TITLE, "t");
            atomic.copy(u("./A/B"), u("./A/C"));
            atomic.delete(u("./Gone"));
            assertThat(srv.exists(u("./A"))).as("invisible before commit").isFalse();
            assertThat(atomic.get(u("./A/C")).asString()).as("visible inside").isEqualTo("1");
            atomic.commit();
        }
        assertThat(f.store.commits()).isEqualTo(commits + 1);
        assertThat(srv.get(u("./A/C")).asString()).isEqualTo("1");
        assertThat(srv.getProperty(u("./A"), Property.TITLE)).isEqualTo("t");
        assertThat(srv.exists(u("./Gone"))).isFalse();
    }

    @Test
    void closing_without_commit_rolls_everything_back() throws DmException {
        srv.add(u("./Keep"), s("k"));
        try (AtomicAccess atomic = srv.atomic()) {
            atomic.add(u("./A"), s("1"));
            atomic.replace(u("./Keep"), s("lost"));
        }
        assertThat(srv.exists(u("./A"))).isFalse();
        assertThat(srv.get(u("./Keep")).asString()).isEqualTo("k");
        assertThat(f.store.idle()).isTrue();
    }

    @Test
    void a_failed_command_makes_commit_roll_back_with_507() throws DmException {
        AtomicAccess atomic = srv.atomic();
        atomic.add(u("./A"), s("1"));
        assertStatus(StatusCode.NOT_FOUND, () -> atomic.replace(u("./Missing"), s("x")));
        assertStatus(StatusCode.ATOMIC_FAILED, atomic::commit);
        assertThat(srv.exists(u("./A"))).isFalse();
        assertThat(f.store.idle()).isTrue();
        atomic.close();
    }

    @Test
    void a_failed_read_inside_an_atomic_does_not_fail_it() throws DmException {
        try (AtomicAccess atomic = srv.atomic()) {
            atomic.add(u("./A"), s("1"));
            assertStatus(StatusCode.NOT_FOUND, () -> atomic.get(u("./Missing")));
            atomic.commit();
        }
        assertThat(srv.exists(u("./A"))).isTrue();
    }

    @Test
    void plugin_changes_are_compensated_on_rollback() throws DmException {
        FakePlugin p = app();
        try (AtomicAccess atomic = srv.atomic()) {
            atomic.add(u("./App/Items/New"), s("n"));
            atomic.add(u("./App/Items/Deep/Er"), s("d"));
            atomic.replace(u("./App/Conf"), s("c1"));
            atomic.delete(u("./App/Items/Old"));
            atomic.add(u("./Stored"), s("s"));
            assertThat(p.values.get(u("./App/Conf")).asString()).isEqualTo("c1");
            atomic.rollback();
        }
        assertThat(p.infos).doesNotContainKeys(u("./App/Items/New"), u("./App/Items/Deep"));
        assertThat(p.values.get(u("./App/Conf")).asString()).isEqualTo("c0");
        assertThat(p.values.get(u("./App/Items/Old")).asString()).isEqualTo("old");
        assertThat(srv.exists(u("./Stored"))).isFalse();
    }

    @Test
    void a_deleted_plugin_subtree_comes_back_on_rollback() throws DmException {
        FakePlugin p = app();
        p.leaf("Items/Sub/A", "a").leaf("Items/Sub/B", "b");
        try (AtomicAccess atomic = srv.atomic()) {
            atomic.delete(u("./App/Items"));
            assertThat(p.infos).doesNotContainKey(u("./App/Items/Sub/A"));
        }
        assertThat(p.values.get(u("./App/Items/Sub/A")).asString()).isEqualTo("a");
        assertThat(p.values.get(u("./App/Items/Old")).asString()).isEqualTo("old");
    }

    @Test
    void a_store_commit_failure_undoes_plugin_changes_and_answers_507() throws DmException {
        FakePlugin p = app();
        AtomicAccess atomic = srv.atomic();
        atomic.replace(u("./App/Conf"), s("c1"));
        atomic.add(u("./Stored"), s("s"));
        f.store.failCommits(true);
        assertStatus(StatusCode.ATOMIC_FAILED, atomic::commit);
        assertThat(p.values.get(u("./App/Conf")).asString()).isEqualTo("c0");
        f.store.failCommits(false);
        assertThat(srv.exists(u("./Stored"))).isFalse();
    }

    @Test
    void an_unreadable_old_value_makes_the_rollback_fail_with_516() throws DmException {
        FakePlugin p = app();
        p.unreadable.add(u("./App/Conf"));
        AtomicAccess atomic = srv.atomic();
        atomic.replace(u("./App/Conf"), s("c1"));
        assertStatus(StatusCode.ATOMIC_ROLL_BACK_FAILED, atomic::rollback);
        atomic.close();
    }

    @Test
    void a_compensation_that_throws_makes_the_rollback_fail_with_516() throws DmException {
        FakePlugin p = app();
        p.failUndo = true;
        AtomicAccess atomic = srv.atomic();
        atomic.replace(u("./App/Conf"), s("c1"));
        assertStatus(StatusCode.NOT_FOUND, () -> atomic.delete(u("./Missing")));
        assertStatus(StatusCode.ATOMIC_ROLL_BACK_FAILED, atomic::commit);
        assertThat(f.store.idle()).isTrue();
    }

    @Test
    void an_unreadable_plugin_subtree_makes_an_atomic_delete_irreversible() throws DmException {
        FakePlugin p = app();
        p.unreadable.add(u("./App/Items/Old"));
        AtomicAccess atomic = srv.atomic();
        atomic.delete(u("./App/Items"));
        assertStatus(StatusCode.ATOMIC_ROLL_BACK_FAILED, atomic::rollback);
    }

    @Test
    void atomics_do_not_nest() throws DmException {
        try (AtomicAccess atomic = srv.atomic()) {
            assertStatus(StatusCode.COMMAND_FAILED, atomic::atomic);
        }
    }

    @Test
    void exec_inside_an_atomic_returns_500() throws DmException {
        f.mount(new FakePlugin("./Fw").leaf("Update", ""));
        AtomicAccess atomic = srv.atomic();
        atomic.add(u("./A"), s("1"));
        assertStatus(StatusCode.COMMAND_FAILED, () -> atomic.exec(u("./Fw/Update"), NodeValue.ofNull(), ""));
        assertStatus(StatusCode.ATOMIC_FAILED, atomic::commit);
        assertThat(srv.exists(u("./A"))).isFalse();
    }

    @Test
    void an_atomic_cannot_be_used_after_commit_or_rollback() throws DmException {
        AtomicAccess atomic = srv.atomic();
        atomic.add(u("./A"), s("1"));
        atomic.commit();
        assertThatThrownBy(() -> atomic.add(u("./B"), s("2"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(atomic::commit).isInstanceOf(IllegalStateException.class);
        atomic.rollback();
        atomic.close();
        assertThat(srv.exists(u("./A"))).isTrue();
        AtomicAccess second = srv.atomic();
        second.rollback();
        assertThatThrownBy(() -> second.get(u("./A"))).isInstanceOf(IllegalStateException.class);
        assertThat(second.toString()).contains("ROLLED_BACK");
    }

    @Test
    void acl_failures_inside_an_atomic_fail_it() throws DmException {
        f.system().add(u("./Locked"), s("x"));
        f.system().setProperty(u("./Locked"), Property.ACL, "Get=*");
        AtomicAccess atomic = srv.atomic();
        atomic.add(u("./A"), s("1"));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> atomic.replace(u("./Locked"), s("y")));
        assertStatus(StatusCode.ATOMIC_FAILED, atomic::commit);
        assertThat(srv.exists(u("./A"))).isFalse();
    }

    @Test
    void a_non_atomic_command_with_plugin_side_effects_is_compensated_when_it_fails() throws DmException {
        FakePlugin p = f.mount(new FakePlugin("./App") {
            @Override
            public void add(org.cardinaldm.api.NodeUri uri, NodeValue value, org.cardinaldm.api.spi.mo.MoContext c)
                    throws DmException {
                if (uri.name().equals("Leaf")) {
                    throw new DmException(StatusCode.DEVICE_FULL, "full");
                }
                super.add(uri, value, c);
            }
        });
        assertStatus(StatusCode.DEVICE_FULL, () -> srv.add(u("./App/A/B/Leaf"), s("x")));
        assertThat(p.infos).doesNotContainKeys(u("./App/A"), u("./App/A/B"));
    }

    @Test
    void the_atomic_view_acts_for_its_principal() throws DmException {
        try (AtomicAccess atomic = srv.atomic()) {
            assertThat(atomic.principal()).isEqualTo(srv.principal());
            assertThat(atomic.exists(u("./Inbox"))).isTrue();
        }
    }

    @Test
    void a_write_command_holds_the_store_from_its_first_read_so_checks_cannot_go_stale() throws Exception {
        srv.add(u("./A"), s("1"));
        int begun = f.store.begunTransactions();
        assertStatus(StatusCode.ALREADY_EXISTS, () -> srv.add(u("./A"), s("2")));
        assertThat(f.store.begunTransactions()).as("even a refused write took the writer lock").isEqualTo(begun + 1);
        assertThat(f.store.idle()).isTrue();
        srv.get(u("./A"));
        assertThat(f.store.begunTransactions()).as("reads never do").isEqualTo(begun + 1);
    }
}
