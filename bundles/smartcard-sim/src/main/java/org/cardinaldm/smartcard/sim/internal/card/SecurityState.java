package org.cardinaldm.smartcard.sim.internal.card;

import java.util.HashSet;
import java.util.Set;

/**
 * The card's volatile security status (ISO/IEC 7816-4 clause 5.4.3): verified PINs, the ADM authentication
 * and the DM-server authentication. Lost on reset and power-off. Card-wide: all logical channels share it.
 */
public final class SecurityState {
    private final Set<Integer> verifiedPins = new HashSet<>();
    private final Set<Integer> authenticatedKeys = new HashSet<>();
    private boolean adm;
    private boolean dmServer;

    /** @param pin a PIN reference @return whether it is verified */
    public boolean isPinVerified(int pin) {
        return verifiedPins.contains(pin);
    }

    void pinVerified(int pin) {
        verifiedPins.add(pin);
    }

    void pinUnverified(int pin) {
        verifiedPins.remove(pin);
    }

    /** @return whether the ADM key was authenticated */
    public boolean isAdmAuthenticated() {
        return adm;
    }

    /** @param key a key reference @return whether EXTERNAL AUTHENTICATE with it succeeded */
    public boolean isKeyAuthenticated(int key) {
        return authenticatedKeys.contains(key);
    }

    void keyAuthenticated(int key, boolean isAdm) {
        authenticatedKeys.add(key);
        adm |= isAdm;
    }

    /** @return whether a DM server was authenticated for this card session */
    public boolean isDmServerAuthenticated() {
        return dmServer;
    }

    /**
     * Opens or closes the DM-server security state. Only card-side commands of the DM profile call this,
     * after checking the server's credentials.
     *
     * @param authenticated the new state
     */
    public void setDmServerAuthenticated(boolean authenticated) {
        dmServer = authenticated;
    }

    void clear() {
        verifiedPins.clear();
        authenticatedKeys.clear();
        adm = false;
        dmServer = false;
    }
}
