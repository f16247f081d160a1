package org.cardinaldm.benchmarks.robustness;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;

/**
 * Group 5: package 0 to the device's UDP listener. Forged notifications carry the demo ServerID and a
 * random digest. The genuine one is the server's own (see {@link #genuine()}); "accepted" is observed as
 * the device opening a session with its server: the demo device's last contact changes (REST
 * {@code lastContact}, or {@code dms:devices} through bin/client).
 */
final class PushProbes {
    /** The re-synchronisation nonce of digest 3.4. */
    static final byte[] RESYNC_NONCE = new byte[4];
    /** Connectionless WSP Push header: TID, Push, headers length 3, content type 0x44 (notification), app id 0x07. */
    static final byte[] WSP_PUSH = {0x01, 0x06, 0x03, (byte) 0xC4, (byte) 0xAF, (byte) 0x87};

    private final Suite s;

    PushProbes(Suite s) {
        this.s = s;
    }

    void register(List<Robustness.Probe> probes) {
        probes.add(new Robustness.Probe("push.forged-then-genuine",
                "after one forged package 0 (ServerID " + Expect.DEMO_SERVER_ID + ", random digest), the server's genuine one (REST notify or dms:notify) makes the device open a session within "
                        + Expect.PUSH_SESSION_MAX_MILLIS + " ms (last contact changes)",
                () -> forgedThenGenuine(1)));
        probes.add(new Robustness.Probe("push.flood-then-genuine",
                "after " + Expect.PUSH_FLOOD_DATAGRAMS + " forged package 0s from one source, the server's genuine one (2 s later) makes the device open a session within "
                        + Expect.PUSH_SESSION_MAX_MILLIS + " ms",
                () -> forgedThenGenuine(Expect.PUSH_FLOOD_DATAGRAMS)));
    }

    /** @return a package 0 for the demo server, WSP-wrapped; genuine: signed on the resync nonce, else a random digest */
    static byte[] notification(boolean genuine) {
        Notification n = Notification.of(Expect.DEMO_SERVER_ID, 1 + Dm.RANDOM.nextInt(0xFFFF), UiMode.BACKGROUND);
        byte[] p0 = n.encode(Expect.DEMO_SERVER_PASSWORD, RESYNC_NONCE);
        if (!genuine) {
            byte[] forged = new byte[16];
            Dm.RANDOM.nextBytes(forged);
            System.arraycopy(forged, 0, p0, 0, 16);
        }
        byte[] out = new byte[WSP_PUSH.length + p0.length];
        System.arraycopy(WSP_PUSH, 0, out, 0, WSP_PUSH.length);
        System.arraycopy(p0, 0, out, WSP_PUSH.length, p0.length);
        return out;
    }

    private void send(InetAddress source, byte[] datagram, int times) throws IOException {
        try (DatagramSocket sock = source == null ? new DatagramSocket() : new DatagramSocket(new InetSocketAddress(source, 0))) {
            InetSocketAddress to = new InetSocketAddress(s.t.pushHost, s.t.pushPort);
            for (int i = 0; i < times; i++) {
                byte[] d = times == 1 ? datagram : notification(false);
                sock.send(new DatagramPacket(d, d.length, to));
            }
        }
    }

    private InetAddress pushStranger() {
        try {
            InetAddress target = InetAddress.getByName(s.t.pushHost);
            return target.isLoopbackAddress() ? Robustness.source(s.t.pushHost, 2, s.notes) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Sends the genuine notification: the server's own (REST {@code POST /devices/{id}/notify}, else
     * {@code dms:notify} through bin/client), signed with the nonce the device last gave the server; when
     * the server cannot send it, one built here on the re-synchronisation nonce, sent four times (a device
     * checks one nonce candidate per arrival of the same bytes).
     *
     * @return how it was sent
     */
    private String genuine() throws IOException, InterruptedException {
        String why;
        if (s.hasRest()) {
            RawHttp.Response r = s.restAsOperator("POST", "/devices/" + Suite.enc(Expect.DEMO_DEVID) + "/notify",
                    "application/json", "{\"ui\":\"background\"}");
            if (r.status() / 100 == 2) {
                return "the server's, REST notify HTTP " + r.status();
            }
            why = "REST notify HTTP " + r.status();
        } else if (s.t.home != null) {
            String out = s.shell("dms:notify " + Expect.DEMO_DEVID, 20);
            if (!out.matches("(?s).*(Error|[45]\\d\\d ).*")) {
                return "the server's, dms:notify";
            }
            why = "dms:notify '" + RawHttp.printable(out.trim(), 60) + "'";
        } else {
            why = "no REST, no --home";
        }
        byte[] d = notification(true);
        for (int i = 0; i < 4; i++) {
            send(null, d, 1);
            Thread.sleep(300);
        }
        return "built here on the resync nonce, 4 arrivals; " + why;
    }

    private Path log() {
        return s.t.home == null ? null : s.t.home.resolve("data/log/karaf.log");
    }

    private long logLength() {
        try {
            Path l = log();
            return l == null || !Files.exists(l) ? -1 : Files.size(l);
        } catch (IOException e) {
            return -1;
        }
    }

    /** @return with --home: how many notifications the device dropped since, and the last such line of karaf.log */
    private String deviceLog(long from) {
        Path l = log();
        if (l == null || from < 0) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(l.toFile(), "r")) {
            long len = f.length();
            if (len <= from) {
                return "; karaf.log: nothing new";
            }
            byte[] b = new byte[(int) Math.min(len - from, 4 << 20)];
            f.seek(from);
            f.readFully(b);
            String last = null;
            int dropped = 0;
            for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
                if (line.contains("NotificationVerifier") || line.contains("DM session ended")) {
                    last = line;
                    dropped += line.contains("Dropped") ? 1 : 0;
                }
            }
            if (last == null) {
                return "; karaf.log: no notification or session line";
            }
            int bar = last.lastIndexOf(" | ");
            return "; karaf.log: " + dropped + " dropped, last '" + RawHttp.printable(bar >= 0 ? last.substring(bar + 3).trim() : last, 150) + "'";
        } catch (IOException e) {
            return "";
        }
    }

    private Robustness.Result forgedThenGenuine(int forged) throws Exception {
        if (s.t.pushHost == null) {
            throw new Robustness.Skip("no --push target");
        }
        // the last contact, once stable (a session caused by an earlier probe may still be running)
        String before = s.lastContact();
        long settle = System.nanoTime() + 4_000_000_000L;
        while (System.nanoTime() < settle) {
            Thread.sleep(1000);
            String again = s.lastContact();
            if (again.equals(before)) {
                break;
            }
            before = again;
        }
        long logStart = logLength();
        if (forged == 1) {
            send(pushStranger(), notification(false), 1);
            Thread.sleep(300);
        } else {
            send(pushStranger(), null, forged);
            Thread.sleep(2000);
        }
        String how = genuine();
        long t0 = System.nanoTime();
        String after = before;
        while ((System.nanoTime() - t0) / 1_000_000 < Expect.PUSH_SESSION_MAX_MILLIS) {
            Thread.sleep(500);
            after = s.lastContact();
            if (!after.equals(before)) {
                break;
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        boolean ok = !after.equals(before);
        return new Robustness.Result(ok, forged + " forged, then genuine (" + how + "): " + (ok ? "session after about " + ms + " ms ("
                + before + " -> " + after + ")" : "NO session within " + ms + " ms (" + before + ")") + deviceLog(logStart));
    }
}
