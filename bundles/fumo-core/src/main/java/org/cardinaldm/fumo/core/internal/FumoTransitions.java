package org.cardinaldm.fumo.core.internal;

import static org.cardinaldm.fumo.api.FumoState.DOWNLOAD_COMPLETE;
import static org.cardinaldm.fumo.api.FumoState.DOWNLOAD_FAILED;
import static org.cardinaldm.fumo.api.FumoState.DOWNLOAD_PROGRESSING;
import static org.cardinaldm.fumo.api.FumoState.IDLE;
import static org.cardinaldm.fumo.api.FumoState.READY_TO_UPDATE;
import static org.cardinaldm.fumo.api.FumoState.UPDATE_FAILED_HAVE_DATA;
import static org.cardinaldm.fumo.api.FumoState.UPDATE_FAILED_NO_DATA;
import static org.cardinaldm.fumo.api.FumoState.UPDATE_PROGRESSING;
import static org.cardinaldm.fumo.api.FumoState.UPDATE_SUCCESSFUL_HAVE_DATA;
import static org.cardinaldm.fumo.api.FumoState.UPDATE_SUCCESSFUL_NO_DATA;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.cardinaldm.fumo.api.FumoState;

/**
 * The FUMO state diagram (OMA FUMO 1.0 figure 10.2, {@code docs/fumo.md}) as a table: which {@code State} may
 * follow which. Every change of an instance's state goes through {@link #check}; a change the table does not
 * hold is a bug and throws.
 * <pre>
 * 10 Idle            → 30 (Exec Download / DownloadAndUpdate), 50 (Replace Update/PkgData)
 * 20 DL failed       → 10 (clean-up when the next operation starts)
 * 30 DL progressing  → 20 (failure), 40 (payload complete)
 * 40 DL complete     → 20 (verification or authorisation refused), 50 (verified and authorised)
 * 50 Ready to update → 60 (Exec Update, or DownloadAndUpdate goes on), 10 (package replaced or dropped),
 *                      80 (Cardinal: the update is refused before it starts; the package is deleted)
 * 60 UP progressing  → 70 (failed, rolled back), 90 (succeeded)
 * 70 UP failed/data  → 80 (the package is deleted)
 * 80 UP failed       → 10
 * 90 UP ok/data      → 100 (the package is deleted)
 * 100 UP ok          → 10
 * </pre>
 */
final class FumoTransitions {
    private static final Map<FumoState, Set<FumoState>> NEXT = new EnumMap<>(FumoState.class);

    static {
        NEXT.put(IDLE, EnumSet.of(DOWNLOAD_PROGRESSING, READY_TO_UPDATE));
        NEXT.put(DOWNLOAD_FAILED, EnumSet.of(IDLE));
        NEXT.put(DOWNLOAD_PROGRESSING, EnumSet.of(DOWNLOAD_FAILED, DOWNLOAD_COMPLETE));
        NEXT.put(DOWNLOAD_COMPLETE, EnumSet.of(DOWNLOAD_FAILED, READY_TO_UPDATE));
        NEXT.put(READY_TO_UPDATE, EnumSet.of(UPDATE_PROGRESSING, IDLE, UPDATE_FAILED_NO_DATA));
        NEXT.put(UPDATE_PROGRESSING, EnumSet.of(UPDATE_FAILED_HAVE_DATA, UPDATE_SUCCESSFUL_HAVE_DATA));
        NEXT.put(UPDATE_FAILED_HAVE_DATA, EnumSet.of(UPDATE_FAILED_NO_DATA));
        NEXT.put(UPDATE_FAILED_NO_DATA, EnumSet.of(IDLE));
        NEXT.put(UPDATE_SUCCESSFUL_HAVE_DATA, EnumSet.of(UPDATE_SUCCESSFUL_NO_DATA));
        NEXT.put(UPDATE_SUCCESSFUL_NO_DATA, EnumSet.of(IDLE));
    }

    /** States in which no operation runs and a new one may start (after a clean-up to 10). */
    static final Set<FumoState> RESTARTABLE = EnumSet.of(IDLE, DOWNLOAD_FAILED, READY_TO_UPDATE,
            UPDATE_FAILED_NO_DATA, UPDATE_SUCCESSFUL_NO_DATA);

    private FumoTransitions() {
    }

    /**
     * @param from the current state
     * @param to the next state
     * @return whether the diagram allows the change
     */
    static boolean allowed(FumoState from, FumoState to) {
        return NEXT.get(from).contains(to);
    }

    /**
     * @param from the current state
     * @param to the next state
     * @return {@code to}
     * @throws IllegalStateException when the diagram does not allow the change (a bug)
     */
    static FumoState check(FumoState from, FumoState to) {
        if (!allowed(from, to)) {
            throw new IllegalStateException("FUMO state " + from.code() + " cannot change to " + to.code());
        }
        return to;
    }

    /** @return the states that may follow {@code from} */
    static Set<FumoState> next(FumoState from) {
        return EnumSet.copyOf(NEXT.get(from));
    }
}
