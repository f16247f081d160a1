package org.cardinaldm.mo.scomo.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.cardinaldm.mo.scomo.internal.BundleInstaller.InstallException;

/**
 * A strict reader of the Karaf features repositories SCOMO accepts inside a KAR: a StAX pass with DTDs and
 * external entities off, bounded in size and counts, that knows only {@code features}, {@code feature},
 * {@code details}, {@code bundle} and feature dependencies, with their ordinary attributes. Every other element
 * ({@code repository}, {@code resource-repository}, {@code config}, {@code configfile}, {@code conditional},
 * {@code requirement}, {@code capability}, {@code library}, {@code scoping}, …) could pull code or configuration
 * from outside the signed KAR, or change the platform's, and is refused (1407).
 */
final class FeaturesXml {
    /** Largest features repository read. */
    static final int MAX_BYTES = 1024 * 1024;
    /** Most features in one repository. */
    static final int MAX_FEATURES = 64;
    /** Most bundles, and most dependencies, in one feature. */
    static final int MAX_PER_FEATURE = 256;

    private static final String NAMESPACE_PREFIX = "http://karaf.apache.org/xmlns/features/";
    /**
     * Feature and repository names: 1–56 of the characters of a node name, not only dots (a feature becomes the
     * node {@code <name>~feature}, a repository a folder name).
     */
    private static final Pattern NAME = Pattern.compile("(?!\\.*$)[A-Za-z0-9._-]{1,56}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+\\-\\[\\](), ]{1,64}");
    private static final Set<String> FEATURE_ATTRIBUTES = Set.of("name", "version", "description", "install",
            "start-level", "hidden");
    private static final Set<String> BUNDLE_ATTRIBUTES = Set.of("start-level", "start", "dependency");
    private static final Set<String> DEPENDENCY_ATTRIBUTES = Set.of("version", "prerequisite", "dependency");

    private FeaturesXml() {
    }

    record Bundle(String location, int startLevel, boolean start, boolean dependency) {
    }

    record Dependency(String name, String version) {
    }

    record Feature(String name, String version, String description, List<Bundle> bundles,
            List<Dependency> dependencies) {
    }

    record Parsed(String name, List<Feature> features) {
    }

    /**
     * @param in the XML (read to at most {@value #MAX_BYTES} bytes)
     * @return the repository, or null when the document's root is not {@code features} (another XML file)
     * @throws InstallException 1407 for a features repository SCOMO does not install, or malformed XML
     * @throws IOException when the stream cannot be read
     */
    static Parsed parse(InputStream in) throws InstallException, IOException {
        byte[] xml = in.readNBytes(MAX_BYTES + 1);
        if (xml.length > MAX_BYTES) {
            throw refused("an XML file of the KAR is larger than " + MAX_BYTES + " bytes");
        }
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        try {
            XMLStreamReader r = f.createXMLStreamReader(new java.io.ByteArrayInputStream(xml));
            try {
                return read(r);
            } finally {
                r.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            throw refused("an XML file of the KAR is not well-formed or has a DTD");
        }
    }

    private static Parsed read(XMLStreamReader r) throws XMLStreamException, InstallException {
        int event = nextTag(r);
        if (event != XMLStreamConstants.START_ELEMENT || !r.getLocalName().equals("features")) {
            return null;
        }
        String ns = r.getNamespaceURI();
        if (ns != null && !ns.isEmpty() && !ns.startsWith(NAMESPACE_PREFIX)) {
            return null;
        }
        String name = attributes(r, Set.of("name")).name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw refused("the features repository has no name of 1-56 of A-Z a-z 0-9 . _ - (not only dots)");
        }
        List<Feature> features = new ArrayList<>();
        while ((event = nextTag(r)) == XMLStreamConstants.START_ELEMENT) {
            if (!r.getLocalName().equals("feature")) {
                throw refused("the features repository has a <" + safe(r.getLocalName()) + "> element; SCOMO "
                        + "installs only features whose bundles are inside the KAR");
            }
            if (features.size() >= MAX_FEATURES) {
                throw refused("the features repository has more than " + MAX_FEATURES + " features");
            }
            features.add(feature(r));
        }
        return new Parsed(name, List.copyOf(features));
    }

    private static Feature feature(XMLStreamReader r) throws XMLStreamException, InstallException {
        Attrs a = attributes(r, FEATURE_ATTRIBUTES);
        if (a.name() == null || !NAME.matcher(a.name()).matches()) {
            throw refused("a feature has no name of 1-56 of A-Z a-z 0-9 . _ - (not only dots)");
        }
        String version = a.get("version", "0.0.0");
        if (!VERSION.matcher(version).matches()) {
            throw refused("the feature " + a.name() + " has an unusable version");
        }
        String description = a.get("description", "");
        if (description.length() > 1024 || description.chars().anyMatch(Character::isISOControl)) {
            throw refused("the feature " + a.name() + " has a description over 1024 characters or with control "
                    + "characters");
        }
        List<Bundle> bundles = new ArrayList<>();
        List<Dependency> deps = new ArrayList<>();
        while (nextTag(r) == XMLStreamConstants.START_ELEMENT) {
            String element = r.getLocalName();
            if (bundles.size() + deps.size() >= 2 * MAX_PER_FEATURE) {
                throw refused("the feature " + a.name() + " is too large");
            }
            switch (element) {
                case "details":
                    r.getElementText();
                    break;
                case "bundle": {
                    Attrs b = attributes(r, BUNDLE_ATTRIBUTES);
                    int level;
                    try {
                        level = Integer.parseInt(b.get("start-level", "0"));
                    } catch (NumberFormatException e) {
                        level = -1;
                    }
                    if (level < 0 || level > 1000) {
                        throw refused("a bundle of feature " + a.name() + " has an unusable start-level");
                    }
                    bundles.add(new Bundle(r.getElementText().strip(), level, bool(b.get("start", "true")),
                            bool(b.get("dependency", "false"))));
                    break;
                }
                case "feature": {
                    Attrs d = attributes(r, DEPENDENCY_ATTRIBUTES);
                    String dep = r.getElementText().strip();
                    String depVersion = d.get("version", "");
                    if (!NAME.matcher(dep).matches() || !depVersion.isEmpty() && !VERSION.matcher(depVersion).matches()) {
                        throw refused("the feature " + a.name() + " depends on a feature with an unusable name or "
                                + "version");
                    }
                    deps.add(new Dependency(dep, depVersion));
                    break;
                }
                default:
                    throw refused("the feature " + a.name() + " has a <" + safe(element) + "> element; SCOMO "
                            + "installs only bundles inside the KAR (no config, configfile, conditional, "
                            + "requirement, capability, library)");
            }
        }
        if (bundles.size() > MAX_PER_FEATURE || deps.size() > MAX_PER_FEATURE) {
            throw refused("the feature " + a.name() + " is too large");
        }
        return new Feature(a.name(), version, description, List.copyOf(bundles), List.copyOf(deps));
    }

    private static boolean bool(String s) throws InstallException {
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw refused("a boolean attribute is neither true nor false");
    }

    /** The attributes of the current element without a namespace; an unknown one is refused. */
    private record Attrs(java.util.Map<String, String> values) {
        String name() {
            return values.get("name");
        }

        String get(String key, String dflt) {
            return values.getOrDefault(key, dflt);
        }
    }

    private static Attrs attributes(XMLStreamReader r, Set<String> allowed) throws InstallException {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String ns = r.getAttributeNamespace(i);
            if (ns != null && !ns.isEmpty()) {
                continue; // xsi:schemaLocation and the like
            }
            String key = r.getAttributeLocalName(i);
            if (!allowed.contains(key)) {
                throw refused("the element <" + safe(r.getLocalName()) + "> has an attribute " + safe(key)
                        + " SCOMO does not accept");
            }
            out.put(key, r.getAttributeValue(i).strip());
        }
        return new Attrs(out);
    }

    /** The next start or end tag; text between tags must be white space, a DTD is refused. */
    private static int nextTag(XMLStreamReader r) throws XMLStreamException, InstallException {
        while (r.hasNext()) {
            int e = r.next();
            switch (e) {
                case XMLStreamConstants.START_ELEMENT:
                case XMLStreamConstants.END_ELEMENT:
                    return e;
                case XMLStreamConstants.DTD:
                case XMLStreamConstants.ENTITY_REFERENCE:
                    throw refused("an XML file of the KAR has a DTD or an entity reference");
                case XMLStreamConstants.CHARACTERS:
                case XMLStreamConstants.CDATA:
                    if (!r.isWhiteSpace()) {
                        throw refused("an XML file of the KAR has text where elements are expected");
                    }
                    break;
                default:
                    break; // comments, processing instructions, white space
            }
        }
        return XMLStreamConstants.END_DOCUMENT;
    }

    private static String safe(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) : s;
        return t.replaceAll("[^A-Za-z0-9._:-]", "_");
    }

    private static InstallException refused(String why) {
        return new InstallException(ScomoCodes.VALIDATION_FAILED, why);
    }
}
