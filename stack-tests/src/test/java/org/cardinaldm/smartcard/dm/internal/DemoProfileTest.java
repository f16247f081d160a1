package org.cardinaldm.smartcard.dm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.junit.jupiter.api.Test;

/** The built-in demo profile of smartcard-sim carries exactly the DM application {@link DemoCard} builds. */
class DemoProfileTest {
    @Test
    void demo_profile_holds_the_generated_dm_application() throws Exception {
        String block = DemoCard.profileBlock();
        if (Boolean.getBoolean("cardinal.demo.print")) {
            Files.writeString(Path.of("target", "demo-dm-block.txt"), block);
        }
        assertThat(SimCardHandle.demoProfileText()).contains(block);
    }
}
