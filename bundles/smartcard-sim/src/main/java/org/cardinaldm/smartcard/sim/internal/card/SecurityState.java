package org.cardinaldm.smartcard.sim.internal.card;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The card's volatile security status (ISO/IEC 7816-4 clause 5.4.3). Lost on reset and power-off.
 *
 * <p>Two scopes:
 * <ul>
 * <li><b>card-wide</b>, shared by all logical channels: verified PINs and the ADM authentication;</li>
 * <li><b>per logical channel</b>: the DM-server authentication (the {@code dm} state) and the keys verified
 * with a DM-profile VERIFY (the device key). They belong to the channel the command ran on, are not inherited
 * by a channel opened later, and end when that channel is closed or opened again (MANAGE CHANNEL), with END DM
 * SESSION on it, a reset or a power loss. Only one channel holds the {@code dm} state at a time.</li>
 * </ul>
 * The {@link Uicc} tells the state which channel the current command runs on ({@link #enter(int)}) before
 * dispatching it; the per-channel queries answer for that channel.
 */
public final class SecurityState {
    private final Set<Integer> verifiedPins = new HashSet<>();
    private final Set<Integer> authenticatedKeys = new HashSet<>();
    private final Map<Integer, Set<Integer>> channelKeys = new HashMap<>();
    private boolean adm;
    private int channel;
    private int dmChannel = -1;
    private int dmKey = -1;

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

    /** @param number the logical channel of the command about to run */
    void enter(int number) {
        channel = number;
    }

    /** @return the logical channel of the current command */
    public int channel() {
        return channel;
    }

    /** @return whether a DM server was authenticated on the current command's channel in this session */
    public boolean isDmServerAuthenticated() {
        return dmChannel >= 0 && dmChannel == channel;
    }

    /**
     * Opens the {@code dm} state on the current command's channel (taking it from any other channel), or closes
     * it there. Only card-side commands of the DM profile call this, after checking the server's credentials.
     *
     * @param authenticated the new state of the current channel
     */
    public void setDmServerAuthenticated(boolean authenticated) {
        if (authenticated) {
            dmChannel = channel;
        } else if (dmChannel == channel) {
            dmChannel = -1;
            dmKey = -1;
        }
    }

    /**
     * Opens the {@code dm} state on the current command's channel for the server whose key verified it.
     *
     * @param keyReference the server key that opened it (the FUMO commands check which server it belongs to)
     */
    public void setDmServerAuthenticated(int keyReference) {
        setDmServerAuthenticated(true);
        dmKey = keyReference;
    }

    /**
     * @return the reference of the server key whose verification opened the {@code dm} state on the current
     *         command's channel, or -1 if the state is not open here or was opened without naming a key
     */
    public int dmServerKey() {
        return isDmServerAuthenticated() ? dmKey : -1;
    }

    /**
     * @param key a key reference
     * @return whether a DM-profile VERIFY of that key succeeded on the current command's channel
     */
    public boolean isKeyVerifiedOnChannel(int key) {
        Set<Integer> keys = channelKeys.get(channel);
        return keys != null && keys.contains(key);
    }

    /**
     * Records or forgets a verified key on the current command's channel.
     *
     * @param key a key reference
     * @param verified the new state
     */
    public void setKeyVerifiedOnChannel(int key, boolean verified) {
        if (verified) {
            channelKeys.computeIfAbsent(channel, c -> new HashSet<>()).add(key);
        } else {
            Set<Integer> keys = channelKeys.get(channel);
            if (keys != null) {
                keys.remove(key);
            }
        }
    }

    /** Ends the current channel's session: its {@code dm} state and verified keys (END DM SESSION). */
    public void endChannelSession() {
        channelClosed(channel);
    }

    /** @param number a channel just closed or (re)opened: nothing of an earlier session on it survives */
    void channelClosed(int number) {
        if (dmChannel == number) {
            dmChannel = -1;
            dmKey = -1;
        }
        channelKeys.remove(number);
    }

    void clear() {
        verifiedPins.clear();
        authenticatedKeys.clear();
        channelKeys.clear();
        adm = false;
        dmChannel = -1;
        dmKey = -1;
        channel = 0;
    }
}
