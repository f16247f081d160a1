package org.cardinaldm.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.cardinaldm.server.api.Operation;
import org.junit.jupiter.api.Test;

class RepeatSafetyTest {
    @Test
    void reads_and_replaces_are_safe_to_repeat() {
        assertThat(RepeatSafety.safe(List.of(Operation.get("./DevInfo/Mod"), Operation.replace("./X", "1", "chr"))))
                .isTrue();
        assertThat(RepeatSafety.safe(Operation.atomic(List.of(Operation.replace("./A", "1", "chr"),
                Operation.replace("./B", "2", "chr"))))).isTrue();
        assertThat(RepeatSafety.safe(Operation.sequence(Operation.get("./A"), Operation.replace("./B", "2", "chr"))))
                .isTrue();
    }

    @Test
    void anything_that_creates_removes_runs_or_asks_is_not() {
        assertThat(RepeatSafety.safe(Operation.add("./Y", "1", "chr"))).isFalse();
        assertThat(RepeatSafety.safe(Operation.addInterior("./Y"))).isFalse();
        assertThat(RepeatSafety.safe(Operation.delete("./Y"))).isFalse();
        assertThat(RepeatSafety.safe(Operation.exec("./Reboot", null, null))).isFalse();
        assertThat(RepeatSafety.safe(Operation.copy("./A", "./B"))).isFalse();
        assertThat(RepeatSafety.safe(Operation.confirm("Sure?", 30))).isFalse();
    }

    @Test
    void one_unsafe_operation_makes_the_whole_job_unsafe() {
        assertThat(RepeatSafety.safe(List.of(Operation.get("./A"), Operation.exec("./Reboot", null, null)))).isFalse();
        assertThat(RepeatSafety.safe(Operation.sequence(Operation.replace("./A", "1", "chr"),
                Operation.exec("./Reboot", null, null)))).isFalse();
        assertThat(RepeatSafety.safe(Operation.afterConsent("Install?", 30, Operation.replace("./A", "1", "chr"))))
                .as("asks the user again").isFalse();
    }
}
