package org.cardinaldm.syncml.api;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of the XML codecs.
 *
 * @param limits resource limits enforced while reading
 * @param repairAmpersands read a raw {@code &} that starts no valid reference as {@code &amp;} and
 *        report it through {@code warnings} (true, the default), or reject the document as
 *        {@link CodecError#MALFORMED} (false); see {@code docs/codec.md}
 * @param pretty indent the output (never inside text content); false writes compact XML
 * @param xmlDeclaration start the output with {@code <?xml version="1.0" encoding="UTF-8"?>}
 * @param cdataData write {@code Data} text that contains markup characters as CDATA instead of escaping
 * @param warnings receives one line per lenient repair; never null
 */
public record XmlOptions(CodecLimits limits, boolean repairAmpersands, boolean pretty, boolean xmlDeclaration,
        boolean cdataData, Consumer<String> warnings) {

    /** Default limits, ampersand repair on, compact output with an XML declaration, no CDATA, warnings ignored. */
    public static final XmlOptions DEFAULT = new XmlOptions(CodecLimits.DEFAULT, true, false, true, false, w -> {
    });

    /** Checks for nulls. */
    public XmlOptions {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * @param newLimits the limits to use
     * @return a copy with those limits
     */
    public XmlOptions withLimits(CodecLimits newLimits) {
        return new XmlOptions(newLimits, repairAmpersands, pretty, xmlDeclaration, cdataData, warnings);
    }

    /**
     * @param repair whether to repair raw ampersands
     * @return a copy with that policy
     */
    public XmlOptions withRepairAmpersands(boolean repair) {
        return new XmlOptions(limits, repair, pretty, xmlDeclaration, cdataData, warnings);
    }

    /**
     * @param indent whether to indent the output
     * @return a copy with that setting
     */
    public XmlOptions withPretty(boolean indent) {
        return new XmlOptions(limits, repairAmpersands, indent, xmlDeclaration, cdataData, warnings);
    }

    /**
     * @param declaration whether to write the XML declaration
     * @return a copy with that setting
     */
    public XmlOptions withXmlDeclaration(boolean declaration) {
        return new XmlOptions(limits, repairAmpersands, pretty, declaration, cdataData, warnings);
    }

    /**
     * @param cdata whether Data text with markup characters goes in CDATA sections
     * @return a copy with that setting
     */
    public XmlOptions withCdataData(boolean cdata) {
        return new XmlOptions(limits, repairAmpersands, pretty, xmlDeclaration, cdata, warnings);
    }

    /**
     * @param sink receives one line per lenient repair
     * @return a copy that reports to {@code sink}
     */
    public XmlOptions withWarnings(Consumer<String> sink) {
        return new XmlOptions(limits, repairAmpersands, pretty, xmlDeclaration, cdataData, sink);
    }
}
