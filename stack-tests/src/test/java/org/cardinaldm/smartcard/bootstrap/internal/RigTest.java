package org.cardinaldm.smartcard.bootstrap.internal;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test with a device ({@link Rig}) and a scripted DM server, both closed after each test when made. */
abstract class RigTest {
    @TempDir
    Path dir;

    Rig rig;
    ScriptedServer server;

    @AfterEach
    void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
