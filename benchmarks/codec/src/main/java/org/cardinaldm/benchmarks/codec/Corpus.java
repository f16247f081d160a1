package org.cardinaldm.benchmarks.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.RtProperties;
import org.cardinaldm.syncml.api.tnds.TndsNode;

/** The message corpora of the benchmarks: the external vectors and a generated realistic DM session. */
public final class Corpus {
    private Corpus() {
    }

    /**
     * @return the SyncML DM messages of the external vectors (decoded), from {@code -Dvectors=DIR} or
     *         {@code bundles/syncml/src/test/resources/vectors} found from the working directory
     */
    public static List<SyncMessage> vectors() {
        Path dir = vectorDir();
        List<SyncMessage> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                String name = p.getFileName().toString();
                if (!(name.endsWith(".xml") || name.endsWith(".wbxml"))) {
                    continue;
                }
                try {
                    byte[] b = Files.readAllBytes(p);
                    SyncMessage m = SyncML.isWbxml(b) ? SyncML.wbxml().decode(b)
                            : SyncML.xml(XmlOptions.DEFAULT).decode(b);
                    SyncML.wbxml().encode(m); // DevInf messages cannot be WBXML: keep only messages both codecs write
                    out.add(m);
                } catch (CodecException e) {
                    // documents that are not DM messages (DevInf, fragments) are not part of the corpus
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no vectors under " + dir.toAbsolutePath());
        }
        return out;
    }

    private static Path vectorDir() {
        String configured = System.getProperty("vectors");
        if (configured != null) {
            return Path.of(configured);
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("bundles/syncml/src/test/resources/vectors");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("vectors not found: run from the checkout or pass -Dvectors=DIR");
    }

    /**
     * A realistic corpus: {@code sessions} DM sessions of four messages each (package 1, 2 with
     * management commands, 3 with statuses and results, and a bootstrap-like Add with TNDS), plus a
     * large-object chunk every fourth session.
     *
     * @param sessions the number of sessions
     * @param seed the random seed
     * @return the messages
     */
    public static List<SyncMessage> realistic(int sessions, long seed) {
        Random r = new Random(seed);
        List<SyncMessage> out = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            String dev = "IMEI:" + (490000000000000L + r.nextInt(1_000_000_000));
            String server = "https://dm" + r.nextInt(9) + ".operator.example.com/dm";
            int session = 1 + r.nextInt(0xFFFF);
            byte[] nonce = new byte[16];
            r.nextBytes(nonce);

            SyncMessage.Builder p1 = SyncMessage.builder(header(session, 1, server, Location.of(dev, "user" + s))
                    .cred(Credentials.md5("user" + s, "secret", nonce)).meta(Meta.builder().maxMsgSize(16384L)
                            .maxObjSize(1L << 20).build()).build());
            p1.add(Alert.of(p1.nextCmdId(), AlertCodes.SERVER_INITIATED_MGMT));
            List<Item> devinfo = new ArrayList<>();
            for (String[] kv : new String[][] {{"DevId", dev}, {"Man", "Cardinal"}, {"Mod", "GW-" + r.nextInt(99)},
                {"DmV", "1.2"}, {"Lang", "en-US"}}) {
                devinfo.add(Item.builder().source("./DevInfo/" + kv[0]).meta(Meta.of("chr", "text/plain")).data(kv[1])
                        .build());
            }
            p1.add(new Replace(p1.nextCmdId(), false, null, null, devinfo));
            out.add(p1.build());

            SyncMessage.Builder p2 = SyncMessage.builder(header(session, 1, dev, Location.of(server)).build());
            p2.add(Status.builder().cmdId(p2.nextCmdId()).msgRef("1").answeringHeader().addTargetRef(server)
                    .addSourceRef(dev).code(StatusCodes.AUTHENTICATION_ACCEPTED).build());
            p2.add(Status.builder().cmdId(p2.nextCmdId()).msgRef("1").cmdRef("1").cmd("Alert").code(200).build());
            p2.add(Status.builder().cmdId(p2.nextCmdId()).msgRef("1").cmdRef("2").cmd("Replace").code(200).build());
            p2.add(new Get(p2.nextCmdId(), false, null, null, List.of(Item.target("./DevDetail/FwV"),
                    Item.target("./DevDetail/SwV"), Item.target("./DevDetail/URI/MaxDepth"))));
            p2.add(Replace.of(p2.nextCmdId(), Item.builder().target("./DMAcc/srv/AppAddr/1/Addr")
                    .meta(Meta.of("chr", "text/plain")).data(server).build()));
            p2.add(Atomic.of(p2.nextCmdId(), Add.of(p2.nextCmdId(), Item.builder().target("./Vendor/App" + s)
                    .meta(Meta.of("node", null)).build()), Add.of(p2.nextCmdId(), Item.builder()
                    .target("./Vendor/App" + s + "/Enabled").meta(Meta.of("bool", "text/plain")).data("true").build())));
            p2.add(Exec.of(p2.nextCmdId(), Item.target("./FUMO/pkg1/DownloadAndUpdate")).withCorrelator("corr-" + s));
            out.add(p2.build());

            SyncMessage.Builder p3 = SyncMessage.builder(header(session, 2, server, Location.of(dev)).build());
            p3.add(Status.builder().cmdId(p3.nextCmdId()).msgRef("1").answeringHeader().code(200).build());
            for (int c = 4; c <= 9; c++) {
                p3.add(Status.builder().cmdId(p3.nextCmdId()).msgRef("1").cmdRef(Integer.toString(c))
                        .cmd(c == 4 ? "Get" : "Replace").code(c == 9 ? StatusCodes.ACCEPTED : 200).build());
            }
            p3.add(Results.of(p3.nextCmdId(), "1", "4",
                    Item.builder().source("./DevDetail/FwV").meta(Meta.of("chr", "text/plain")).data("4.2." + s).build(),
                    Item.builder().source("./DevDetail/SwV").meta(Meta.of("chr", "text/plain")).data("1.0." + s).build(),
                    Item.builder().source("./DevDetail/URI/MaxDepth").meta(Meta.of("int", "text/plain")).data("16")
                            .build()));
            out.add(p3.build());

            SyncMessage.Builder boot = SyncMessage.builder(header(session, 3, dev, Location.of(server)).build());
            MgmtTree tree = MgmtTree.of(TndsNode.interior("srv" + s, RtProperties.interior("org.openmobilealliance/1.0/w7"),
                    TndsNode.leaf("AppID", RtProperties.leaf("chr", "text/plain"), "w7"),
                    TndsNode.leaf("ServerID", RtProperties.leaf("chr", "text/plain"), "srv" + s),
                    TndsNode.leaf("Name", RtProperties.leaf("chr", "text/plain"), "Operator server " + s),
                    TndsNode.interior("AppAddr", RtProperties.interior(null), TndsNode.interior("1", RtProperties
                            .interior(null), TndsNode.leaf("Addr", RtProperties.leaf("chr", "text/plain"), server)))));
            boot.add(Add.of(boot.nextCmdId(), Item.builder().target("./DMAcc")
                    .meta(Meta.of("xml", "application/vnd.syncml.dmtnds+xml")).data(Data.xml(tree.toXml())).build()));
            out.add(boot.build());

            if (s % 4 == 0) {
                byte[] chunk = new byte[6000];
                r.nextBytes(chunk);
                SyncMessage.Builder lo = SyncMessage.builder(header(session, 4, dev, Location.of(server)).build())
                        .isFinal(false);
                lo.add(Replace.of(lo.nextCmdId(), Item.builder().target("./FUMO/pkg1/Update/PkgData")
                        .meta(Meta.builder().format("b64").type("application/octet-stream").size(80000L).build())
                        .data(Base64.getEncoder().encodeToString(chunk)).moreData(true).build()));
                out.add(lo.build());
            }
        }
        return out;
    }

    private static SyncHeader.Builder header(int session, int msg, String target, Location source) {
        return SyncHeader.builder().sessionId(session).msgId(Integer.toString(msg)).target(target).source(source);
    }
}
