package org.cardinaldm.benchmarks.card;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.spi.CardBackend;
import org.cardinaldm.smartcard.core.internal.CardServiceImpl;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.internal.DmCardServiceImpl;
import org.cardinaldm.smartcard.dm.internal.card.ApduStats;
import org.cardinaldm.smartcard.dm.internal.card.CardContents;
import org.cardinaldm.smartcard.dm.internal.card.CardIo;
import org.cardinaldm.smartcard.dm.internal.card.Discovery;
import org.cardinaldm.smartcard.dm.internal.card.TearSafe;
import org.cardinaldm.smartcard.dm.internal.mo.SmartCardPlugin;
import org.cardinaldm.smartcard.pcsc.internal.PcscCardBackend;
import org.cardinaldm.smartcard.pcsc.internal.PcscContext;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.backend.SimCardBackend;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardImageCodec;
import org.cardinaldm.smartcard.sim.internal.card.Uicc;
import org.cardinaldm.smartcard.sim.internal.image.MemoryImageStore;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdConnector;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.osgi.util.converter.Converters;

/**
 * Measures what Cardinal's DM card costs, on the built-in demo card: APDUs and bytes (command + response,
 * status words included) and the median wall time per operation, for cold detection, the re-check of an
 * unchanged card, {@code ./SmartCard/MO} Get (cached, and after another party changed the store) and
 * Replace, and the time of one APDU. Three set-ups: in-JVM with the card image in memory, in-JVM with the
 * image file (a write is an fsync), and through pcscd + vpcd (if pcscd runs).
 *
 * <p>Usage: {@code java -cp … CardBenchmark [--iterations N] [--no-pcsc] [--port 35963] [--reader "Virtual PCD 00 00"]}.
 */
public final class CardBenchmark {
    private static final String SERVER = "cardinal-dms";
    private static final String SERVER_SECRET = "cardinal-dms-demo-secret";
    private static final byte[] ADM_KEY = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    private final String setup;
    private final CardServiceImpl cardService = new CardServiceImpl();
    private final DmCardServiceImpl dm;
    private final TreeAccess server;
    private final String reader;
    private final int iterations;
    private final List<String[]> rows = new ArrayList<>();

    private CardBenchmark(String setup, CardBackend backend, String reader, int iterations) throws Exception {
        this.setup = setup;
        this.reader = reader;
        this.iterations = iterations;
        // the demo card's published device key (docs/smartcard-profile.md, A12)
        dm = new DmCardServiceImpl(cardService, Converters.standardConverter()
                .convert(Map.of(".device.key", "63617264696E616C2D64656D6F2D646B")).to(DmCardServiceImpl.Config.class));
        cardService.addListener(dm, Map.of());
        cardService.addBackend(backend, Map.of("card.reader", reader, "card.backend", setup));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (dm.card(reader).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The card in " + reader + " was not discovered");
            }
            Thread.sleep(20);
        }
        SmartCardPlugin plugin = new SmartCardPlugin(dm, Converters.standardConverter().convert(Map.of("reader", reader))
                .to(SmartCardPlugin.Config.class));
        Map<String, Object> treeConfig = new HashMap<>();
        treeConfig.put("root.acl", "Add=*&Get=*&Replace=*&Delete=*");
        DmTreeImpl tree = new DmTreeImpl(new MemoryTreeStore(), Converters.standardConverter().convert(treeConfig)
                .to(DmTreeImpl.Config.class));
        Method mount = DmTreeImpl.class.getDeclaredMethod("mountPlugin", ManagementObjectPlugin.class, Map.class, String.class);
        mount.setAccessible(true);
        mount.invoke(tree, plugin, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, SmartCardPlugin.ROOT), "benchmark");
        server = tree.as(Principal.server(SERVER));
    }

    /** One measured operation. */
    @FunctionalInterface
    private interface Op {
        void run(ApduStats stats) throws Exception;
    }

    private void measure(String name, String minimum, Op before, Op op) throws Exception {
        ApduStats stats = dm.stats();
        long[] nanos = new long[iterations];
        long apdus = 0;
        long out = 0;
        long in = 0;
        ApduStats ignored = new ApduStats();
        for (int i = -Math.min(20, iterations); i < iterations; i++) {
            if (before != null) {
                before.run(ignored);
            }
            stats.reset();
            long t0 = System.nanoTime();
            op.run(stats);
            long t = System.nanoTime() - t0;
            if (i >= 0) {
                nanos[i] = t;
                apdus = stats.apdus();
                out = stats.bytesSent();
                in = stats.bytesReceived();
            }
        }
        Arrays.sort(nanos);
        rows.add(new String[] {setup, name, Long.toString(apdus), minimum, out + " / " + in, micros(nanos[iterations / 2]),
                micros(nanos[iterations * 9 / 10])});
    }

    private static String micros(long nanos) {
        return nanos >= 10_000_000 ? String.format("%.1f ms", nanos / 1e6) : String.format("%.0f µs", nanos / 1e3);
    }

    private void run() throws Exception {
        CardContents[] last = new CardContents[1];
        // cold detection: a whole discovery in one session (session open included)
        measure("cold detection", "14", null, stats -> {
            try (CardSession s = cardService.openSession(reader)) {
                s.basicChannel().transmit(CommandApdu.of(0x00, 0xA4, 0x00, 0x0C, new byte[] {0x3F, 0x00})); // back to the MF
                stats.reset();
                last[0] = Discovery.cold(new CardIo(s.basicChannel(), stats), reader, s.atr());
            }
        });
        measure("re-check, unchanged card", "1", null, stats -> {
            try (CardSession s = cardService.openSession(reader)) {
                Discovery.refresh(new CardIo(s.basicChannel(), stats), last[0]);
            }
        });
        server.get(NodeUri.of("./SmartCard/MO/Operator/Name"));
        measure("./SmartCard/MO Get, cached", "1", null,
                stats -> server.get(NodeUri.of("./SmartCard/MO/Operator/Name")));
        String[] names = {"Cardinal Demo Telecom", "Another Telecom"};
        int[] flip = {0};
        measure("./SmartCard/MO Get, store changed by another party", "3", stats -> writeBehind(names[flip[0]++ % 2]),
                stats -> server.get(NodeUri.of("./SmartCard/MO/Operator/Name")));
        DmCard card = dm.card(reader).orElseThrow();
        byte[] nonce = card.serverChallenge(SERVER).orElseGet("benchmark-nonce!"::getBytes);
        byte[] digest = Base64.getDecoder().decode(Credentials.md5Digest(SERVER, SERVER_SECRET, nonce));
        if (!card.verifyServer(SERVER, DigestType.MD5, nonce, null, digest)) {
            throw new IllegalStateException("The demo server credential was refused");
        }
        measure("./SmartCard/MO Replace (250-byte store)", "3", null,
                stats -> server.replace(NodeUri.of("./SmartCard/MO/Operator/Name"), NodeValue.ofString(names[flip[0]++ % 2])));
        measure("COMPUTE DM DIGEST (md5)", "1", null, stats -> dm.card(reader).orElseThrow()
                .computeDigest(SERVER, DigestType.MD5, nonce, null));
        card.endDmSession();
        try (CardSession s = cardService.openSession(reader)) {
            CardIo io = new CardIo(s.basicChannel(), new ApduStats());
            measure("one APDU: GET CHANGE COUNTER (145 bytes)", "1", null,
                    stats -> new CardIo(s.basicChannel(), stats).getChangeCounter());
            io.selectApplication(new byte[] {(byte) 0xA0, 0, 0, 0, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35});
            measure("one APDU: READ BINARY 256 bytes", "1", null,
                    stats -> new CardIo(s.basicChannel(), stats).send(CommandApdu.of(0, 0xB0, 0x82, 0, 256)));
        }
    }

    /** Another party (with the ADM key) renames the operator on the card, outside the measured operation. */
    private void writeBehind(String name) throws Exception {
        CardContents c = dm.validated(reader).orElseThrow();
        byte[] content = MoStoreBytes.withName(name);
        try (CardSession s = cardService.openSession(reader)) {
            CardIo io = new CardIo(s.basicChannel(), new ApduStats());
            byte[] challenge = io.send(CommandApdu.of(0, 0x84, 0, 0, 16)).data();
            io.send(CommandApdu.of(0, 0x82, 0, 1, Uicc.admCryptogram(ADM_KEY, challenge))).requireSuccess("ADM");
            io.useState(c.state());
            io.selectApplication(c.application().aid());
            TearSafe.write(io, c.moPath(), TearSafe.control(io, c.moPath()), content);
            s.reset();
        }
    }

    private void close() {
        dm.deactivate();
        cardService.deactivate();
    }

    public static void main(String[] args) throws Exception {
        int iterations = 200;
        boolean pcsc = true;
        int port = 35963;
        String pcscReader = "Virtual PCD 00 00";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--no-pcsc" -> pcsc = false;
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--reader" -> pcscReader = args[++i];
                default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
            }
        }
        List<String[]> all = new ArrayList<>();

        CardImage image = SimCardHandle.personalisation(null);
        SimCardHandle memory = SimCardHandle.inMemory(image, new MemoryImageStore(CardImageCodec.encode(image)));
        SimCardBackend memBackend = new SimCardBackend("Sim mem", memory, true);
        CardBenchmark b = new CardBenchmark("in-JVM, image in memory", memBackend, "Sim mem", iterations);
        b.run();
        all.addAll(b.rows);
        b.close();
        memBackend.close();

        Path dir = Files.createTempDirectory("card-bench");
        SimCardHandle file = SimCardHandle.open(dir.resolve("card.img"), null, SimCardHandle.Personalize.ALWAYS);
        SimCardBackend fileBackend = new SimCardBackend("Sim file", file, true);
        b = new CardBenchmark("in-JVM, image file", fileBackend, "Sim file", Math.min(iterations, 100));
        b.run();
        all.addAll(b.rows);
        b.close();
        fileBackend.close();

        if (pcsc && Files.exists(Path.of("/run/pcscd/pcscd.comm"))) {
            SimCardHandle vcard = SimCardHandle.open(dir.resolve("vpcd.img"), null, SimCardHandle.Personalize.ALWAYS);
            VpcdConnector vpcd = new VpcdConnector("127.0.0.1", port, vcard, true);
            if (!vpcd.awaitConnected(10_000)) {
                throw new IllegalStateException("vpcd on port " + port + " did not take the card");
            }
            PcscContext context = new PcscContext();
            context.activate(Converters.standardConverter().convert(Map.of("event.wait.millis", 200, "retry.millis", 500))
                    .to(PcscContext.Config.class));
            PcscCardBackend backend = new PcscCardBackend(context, Converters.standardConverter()
                    .convert(Map.of("card.reader", pcscReader, "exclusive", true)).to(PcscCardBackend.Config.class));
            b = new CardBenchmark("pcscd + vpcd", backend, pcscReader, Math.min(iterations, 50));
            b.run();
            all.addAll(b.rows);
            b.close();
            backend.close();
            context.deactivate();
            vpcd.close();
            vcard.close();
        }

        System.out.println("| set-up | operation | APDUs | minimum | bytes out / in | median | p90 |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String[] r : all) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
        System.exit(0);
    }
}
