package org.cardinaldm.fumo.agent.karaf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.UpdateException;

/**
 * Reads a Karaf features repository found in a KAR, before Karaf sees it, and refuses everything that could make
 * Karaf fetch or write outside the package. Allowed: {@code <features>} with {@code <feature>} elements holding
 * {@code <details>}, {@code <config>}, {@code <feature>} (a dependency), {@code <bundle>}, {@code <capability>} and
 * {@code <conditional>} (with {@code <condition>}, {@code <bundle>}, {@code <config>}, {@code <feature>}).
 * Refused: {@code <repository>} and {@code <resource-repository>} (other repositories, fetched by URL),
 * {@code <configfile>} (a file written wherever its {@code finalname} says, from a URL), {@code <library>},
 * {@code <requirement>} (resolved against whatever the runtime offers), {@code <scoping>}, anything unknown, a
 * DTD. Bounded: {@value #MAX_BYTES} bytes, {@value #MAX_FEATURES} features, {@value #MAX_ITEMS} bundles or
 * dependencies per feature, {@value #MAX_TEXT} characters of text per element, depth {@value #MAX_DEPTH}.
 */
final class FeaturesXml {
    static final long MAX_BYTES = 1024 * 1024;
    static final int MAX_FEATURES = 256;
    static final int MAX_ITEMS = 1024;
    static final int MAX_TEXT = 2048;
    static final int MAX_DEPTH = 8;

    private static final Set<String> IN_FEATURE = Set.of("details", "config", "feature", "bundle", "capability",
            "conditional");
    private static final Set<String> IN_CONDITIONAL = Set.of("condition", "config", "feature", "bundle");

    /**
     * A dependency on another feature.
     *
     * @param name its name
     * @param version its version or range, empty for any
     */
    record Dependency(String name, String version) {
    }

    /**
     * One feature.
     *
     * @param name its name
     * @param version its version text ({@code 0.0.0} when absent, as Karaf reads it)
     * @param bundles the bundle locations, conditional ones included
     * @param dependencies the features it needs
     */
    record Feature(String name, String version, List<String> bundles, List<Dependency> dependencies) {
    }

    private FeaturesXml() {
    }

    /**
     * @param file an XML file from the KAR
     * @return its features when its root element is {@code <features>}, empty for any other XML document
     * @throws UpdateException 403 for a refused element or a bound passed, 402 for malformed XML
     */
    static Optional<List<Feature>> read(Path file) throws UpdateException {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw refuse(file.getFileName() + " is larger than " + MAX_BYTES + " bytes");
            }
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot read " + file.getFileName(), e);
        }
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader r = f.createXMLStreamReader(in);
            try {
                return parse(r, file.getFileName().toString());
            } finally {
                r.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            throw new UpdateException(FumoResult.CORRUPTED_PACKAGE,
                    "Malformed XML in " + file.getFileName() + ": " + KarArchive.printable(String.valueOf(e.getMessage())));
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot read " + file.getFileName(), e);
        }
    }

    private static Optional<List<Feature>> parse(XMLStreamReader r, String file)
            throws XMLStreamException, UpdateException {
        List<Feature> features = new ArrayList<>();
        Deque<String> path = new ArrayDeque<>();
        String name = null;
        String version = null;
        List<String> bundles = null;
        List<Dependency> deps = null;
        StringBuilder text = new StringBuilder();
        String depVersion = null;
        while (r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.DTD || ev == XMLStreamConstants.ENTITY_REFERENCE) {
                throw refuse(file + " has a DTD or an entity reference");
            }
            if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
                if (text.length() + r.getTextLength() > MAX_TEXT) {
                    throw refuse(file + " has an element with more than " + MAX_TEXT + " characters");
                }
                text.append(r.getText());
                continue;
            }
            if (ev == XMLStreamConstants.START_ELEMENT) {
                String el = r.getLocalName();
                if (path.isEmpty() && !"features".equals(el)) {
                    return Optional.empty();
                }
                if (path.size() >= MAX_DEPTH) {
                    throw refuse(file + " nests deeper than " + MAX_DEPTH);
                }
                String parent = path.peek();
                checkAllowed(file, parent, path.size(), el);
                if ("features".equals(parent) && "feature".equals(el)) {
                    if (features.size() >= MAX_FEATURES) {
                        throw refuse(file + " has more than " + MAX_FEATURES + " features");
                    }
                    name = r.getAttributeValue(null, "name");
                    String v = r.getAttributeValue(null, "version");
                    version = v == null || v.isBlank() ? "0.0.0" : v.strip();
                    if (name == null || name.isBlank()) {
                        throw refuse(file + " has a feature without a name");
                    }
                    bundles = new ArrayList<>();
                    deps = new ArrayList<>();
                } else if ("feature".equals(el)) {
                    depVersion = r.getAttributeValue(null, "version");
                }
                path.push(el);
                text.setLength(0);
                continue;
            }
            if (ev == XMLStreamConstants.END_ELEMENT) {
                String el = path.pop();
                String parent = path.peek();
                String value = text.toString().strip();
                text.setLength(0);
                if ("bundle".equals(el)) {
                    add(bundles, value, file);
                } else if ("feature".equals(el) && !"features".equals(parent)) {
                    if (value.isEmpty()) {
                        throw refuse(file + " has a feature dependency without a name");
                    }
                    add(deps, new Dependency(value, depVersion == null ? "" : depVersion.strip()), file);
                } else if ("feature".equals(el)) {
                    features.add(new Feature(name.strip(), version, List.copyOf(bundles), List.copyOf(deps)));
                }
            }
        }
        return Optional.of(List.copyOf(features));
    }

    private static <T> void add(List<T> list, T item, String file) throws UpdateException {
        if (list.size() >= MAX_ITEMS) {
            throw refuse(file + " has a feature with more than " + MAX_ITEMS + " bundles or dependencies");
        }
        list.add(item);
    }

    /** depth: how many elements are open; features is 1, a feature 2, its children 3, a conditional's 4. */
    private static void checkAllowed(String file, String parent, int depth, String el) throws UpdateException {
        boolean ok;
        if (parent == null) {
            ok = "features".equals(el);
        } else if (depth == 1) {
            ok = "feature".equals(el);
        } else if (depth == 3 && "conditional".equals(parent)) {
            ok = IN_CONDITIONAL.contains(el);
        } else if (depth == 2) {
            ok = IN_FEATURE.contains(el);
        } else {
            // text-only elements (bundle, config, details, condition, capability) hold no elements
            ok = false;
        }
        if (!ok) {
            throw refuse(file + ": <" + KarArchive.printable(el) + "> is not allowed in <" + parent
                    + "> of a firmware KAR (it could fetch or write outside the package)");
        }
    }

    private static UpdateException refuse(String message) {
        return new UpdateException(FumoResult.PACKAGE_MISMATCH, message);
    }
}
