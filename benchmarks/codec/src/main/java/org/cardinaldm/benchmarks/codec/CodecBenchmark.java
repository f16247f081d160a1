package org.cardinaldm.benchmarks.codec;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;

import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.kxml2.wap.WbxmlParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.xmlpull.v1.XmlPullParser;

/**
 * Decode and encode throughput over a whole corpus per operation: messages/s = ops/s x
 * {@code messages}, MB/s = ops/s x {@code xmlBytes} or {@code wbxmlBytes} (both printed at setup).
 * Baselines in the same run: the JDK StAX parser pulling every XML event, and kXML2's WBXML parser
 * pulling every WBXML event, neither building a model.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
    @Param({"vectors", "realistic"})
    public String corpus;

    private final MessageCodec xml = SyncML.xml();
    private final MessageCodec wbxml = SyncML.wbxml();
    private List<SyncMessage> models;
    private List<byte[]> xmlDocs;
    private List<byte[]> wbxmlDocs;
    private XMLInputFactory stax;
    private String[] syncmlTable;
    private String[] metinfTable;
    private String[] ddfTable;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        models = "vectors".equals(corpus) ? Corpus.vectors() : Corpus.realistic(50, 2026);
        xmlDocs = new ArrayList<>();
        wbxmlDocs = new ArrayList<>();
        long xmlBytes = 0;
        long wbxmlBytes = 0;
        for (SyncMessage m : models) {
            byte[] x = xml.encode(m);
            byte[] w = wbxml.encode(m);
            xmlDocs.add(x);
            wbxmlDocs.add(w);
            xmlBytes += x.length;
            wbxmlBytes += w.length;
        }
        System.out.printf("%n[corpus %s] messages=%d xmlBytes=%d wbxmlBytes=%d%n", corpus, models.size(), xmlBytes,
                wbxmlBytes);
        stax = XMLInputFactory.newDefaultFactory();
        stax.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        stax.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        syncmlTable = tail(org.cardinaldm.syncml.internal.wbxml.CodePages.syncmlTable());
        metinfTable = tail(org.cardinaldm.syncml.internal.wbxml.CodePages.metinfTable());
        ddfTable = tail(org.cardinaldm.syncml.internal.wbxml.CodePages.dmddfTable());
    }

    private static String[] tail(String[] t) {
        String[] out = new String[t.length - 5];
        System.arraycopy(t, 5, out, 0, out.length);
        return out;
    }

    @Benchmark
    public void decodeXml(Blackhole bh) throws Exception {
        for (byte[] d : xmlDocs) {
            bh.consume(xml.decode(d));
        }
    }

    @Benchmark
    public void decodeWbxml(Blackhole bh) throws Exception {
        for (byte[] d : wbxmlDocs) {
            bh.consume(wbxml.decode(d));
        }
    }

    @Benchmark
    public void encodeXml(Blackhole bh) throws Exception {
        for (SyncMessage m : models) {
            bh.consume(xml.encode(m));
        }
    }

    @Benchmark
    public void encodeWbxml(Blackhole bh) throws Exception {
        for (SyncMessage m : models) {
            bh.consume(wbxml.encode(m));
        }
    }

    /** WBXML in, XML out: what libwbxml's wbxml2xml does (compare with libwbxml_bench). */
    @Benchmark
    public void transcodeWbxmlToXml(Blackhole bh) throws Exception {
        for (byte[] d : wbxmlDocs) {
            bh.consume(xml.encode(wbxml.decode(d)));
        }
    }

    /** XML in, WBXML out: what libwbxml's xml2wbxml does (compare with libwbxml_bench). */
    @Benchmark
    public void transcodeXmlToWbxml(Blackhole bh) throws Exception {
        for (byte[] d : xmlDocs) {
            bh.consume(wbxml.encode(xml.decode(d)));
        }
    }

    /** Baseline: the JDK StAX parser pulls every event of the XML corpus, no model. */
    @Benchmark
    public void baselineStaxPull(Blackhole bh) throws Exception {
        for (byte[] d : xmlDocs) {
            XMLStreamReader r = stax.createXMLStreamReader(new ByteArrayInputStream(d));
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamReader.CHARACTERS) {
                    bh.consume(r.getText());
                } else if (ev == XMLStreamReader.START_ELEMENT) {
                    bh.consume(r.getLocalName());
                }
            }
            r.close();
        }
    }

    /** Baseline: kXML2's WBXML parser pulls every event of the WBXML corpus, no model. */
    @Benchmark
    public void baselineKxmlPull(Blackhole bh) throws Exception {
        for (byte[] d : wbxmlDocs) {
            WbxmlParser p = new WbxmlParser();
            p.setTagTable(0, syncmlTable);
            p.setTagTable(1, metinfTable);
            p.setTagTable(2, ddfTable);
            p.setInput(new ByteArrayInputStream(d), null);
            int ev = p.nextToken();
            while (ev != XmlPullParser.END_DOCUMENT) {
                if (ev == XmlPullParser.TEXT) {
                    bh.consume(p.getText());
                } else if (ev == XmlPullParser.START_TAG) {
                    bh.consume(p.getName());
                } else if (ev == WbxmlParser.WAP_EXTENSION) {
                    bh.consume(p.getWapExtensionData());
                }
                ev = p.nextToken();
            }
        }
    }
}
