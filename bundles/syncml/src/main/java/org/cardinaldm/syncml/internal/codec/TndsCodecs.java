package org.cardinaldm.syncml.internal.codec;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.Namespaces;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.model.XmlElement;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.TndsCodec;
import org.cardinaldm.syncml.internal.bind.TreeIO;
import org.cardinaldm.syncml.internal.io.Limiter;
import org.cardinaldm.syncml.internal.io.TokenReader;
import org.cardinaldm.syncml.internal.io.TokenWriter;
import org.cardinaldm.syncml.internal.wbxml.Wbxml;
import org.cardinaldm.syncml.internal.wbxml.WbxmlTokenReader;
import org.cardinaldm.syncml.internal.wbxml.WbxmlTokenWriter;
import org.cardinaldm.syncml.internal.xml.XmlTokenReader;
import org.cardinaldm.syncml.internal.xml.XmlTokenWriter;

/** The standalone TNDS codecs, XML and WBXML. */
public final class TndsCodecs {
    private TndsCodecs() {
    }

    /**
     * Reads the root element of a token stream as a generic tree.
     *
     * @param r the reader
     * @return the root element
     * @throws CodecException on malformed input
     */
    public static XmlElement readRoot(TokenReader r) throws CodecException {
        int ev = r.next();
        while (ev == TokenReader.TEXT) {
            ev = r.next();
        }
        if (ev != TokenReader.START) {
            throw new CodecException(CodecError.MALFORMED, "document has no root element");
        }
        XmlElement root = TreeIO.readElement(r, false);
        ev = r.next();
        while (ev == TokenReader.TEXT) {
            ev = r.next();
        }
        if (ev != TokenReader.EOF) {
            throw new CodecException(CodecError.MALFORMED, "content after the root element");
        }
        return root;
    }

    private static byte[] write(TokenWriter w, MgmtTree tree) throws CodecException {
        TreeIO.writeElement(w, tree.toXml(), null);
        return w.finish();
    }

    /** XML TNDS codec. */
    public static final class Xml implements TndsCodec {
        private final XmlOptions options;

        /**
         * @param options the settings
         */
        public Xml(XmlOptions options) {
            this.options = options;
        }

        @Override
        public String mediaType() {
            return MediaTypes.TNDS_XML;
        }

        @Override
        public MgmtTree decode(byte[] bytes) throws CodecException {
            return MgmtTree.fromXml(readRoot(XmlTokenReader.open(bytes, options, new Limiter(options.limits()))));
        }

        @Override
        public byte[] encode(MgmtTree tree) throws CodecException {
            return write(new XmlTokenWriter(options), tree);
        }
    }

    /** WBXML TNDS codec: literal public id {@value Namespaces#FPI_DMDDF_1_2}, code page 2. */
    public static final class Binary implements TndsCodec {
        private final WbxmlOptions options;

        /**
         * @param options the settings
         */
        public Binary(WbxmlOptions options) {
            this.options = options;
        }

        @Override
        public String mediaType() {
            return MediaTypes.TNDS_WBXML;
        }

        @Override
        public MgmtTree decode(byte[] bytes) throws CodecException {
            WbxmlTokenReader r = WbxmlTokenReader.open(bytes, Wbxml.Kind.DMDDF, new Limiter(options.limits()), false);
            return MgmtTree.fromXml(readRoot(r));
        }

        @Override
        public byte[] encode(MgmtTree tree) throws CodecException {
            return write(new WbxmlTokenWriter(options, Wbxml.Kind.DMDDF, Namespaces.SYNCML_1_2), tree);
        }
    }
}
