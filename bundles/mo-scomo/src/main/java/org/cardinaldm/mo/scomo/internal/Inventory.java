package org.cardinaldm.mo.scomo.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One immutable picture of the deployed applications: which bundles are listed (include/exclude)
 * and under which DM node name each one appears.
 *
 * <p><b>Node names.</b> {@code <X>} is the bundle's symbolic name with every character other than
 * ASCII letters, digits, {@code .}, {@code _} and {@code -} replaced by {@code _}, cut to
 * {@value #MAX_NAME} characters; a name made only of dots (which would read as a relative segment)
 * and a bundle without a symbolic name become {@code bundle}. When several listed bundles get the
 * same name (two versions of one bundle, or two names that sanitise alike) the one with the lowest
 * bundle id keeps the plain name and every other one gets {@code ~<bundle id>} appended; {@code ~}
 * is a legal DM node-name character (RFC 2396 unreserved) that sanitising never produces, so such a
 * name can never collide with a plain one. A bundle's node name therefore stays the same while it
 * is installed, started, stopped or updated; it changes only when a same-named bundle with a lower
 * id comes or goes. Node names never contain {@code /} (digest §5.6).
 */
final class Inventory {
    /** Longest node name taken from a symbolic name (the tree's default MaxSegLen is 128). */
    static final int MAX_NAME = 64;

    private static final Pattern NOT_ALLOWED = Pattern.compile("[^A-Za-z0-9._-]");
    private static final Pattern ONLY_DOTS = Pattern.compile("\\.*");

    /** Listed applications by node name, in bundle-id order. */
    private final Map<String, BundleFacts> byName;

    private Inventory(Map<String, BundleFacts> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * @param bundles the framework's bundles (the system bundle already left out), any order
     * @param filter which ones to list
     * @return the inventory
     */
    static Inventory of(List<BundleFacts> bundles, Filter filter) {
        List<BundleFacts> listed = new ArrayList<>();
        for (BundleFacts b : bundles) {
            if (filter.lists(b.id())) {
                listed.add(b);
            }
        }
        listed.sort(Comparator.comparingLong(BundleFacts::bundleId));
        Map<String, BundleFacts> names = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (BundleFacts b : listed) {
            String base = sanitise(b.symbolicName());
            String name = taken.add(base) ? base : base + "~" + b.bundleId();
            names.put(name, b);
        }
        return new Inventory(names);
    }

    /**
     * @param symbolicName a symbolic name, or null
     * @return a valid DM node name derived from it (see the class comment)
     */
    static String sanitise(String symbolicName) {
        if (symbolicName == null) {
            return "bundle";
        }
        String s = NOT_ALLOWED.matcher(symbolicName.strip()).replaceAll("_");
        if (s.length() > MAX_NAME) {
            s = s.substring(0, MAX_NAME);
        }
        return ONLY_DOTS.matcher(s).matches() ? "bundle" : s;
    }

    /** @return the node names, in bundle-id order */
    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * @param nodeName a node name below {@code Deployed}
     * @return the application, or null
     */
    BundleFacts get(String nodeName) {
        return byName.get(nodeName);
    }

    /**
     * @param bundleId a bundle id
     * @return the node name of that bundle, or null when it is not listed
     */
    String nameOf(long bundleId) {
        for (Map.Entry<String, BundleFacts> e : byName.entrySet()) {
            if (e.getValue().bundleId() == bundleId) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Which symbolic names are listed: {@code include} and not {@code exclude}, both full matches. */
    static final class Filter {
        /** Lists every bundle. */
        static final Filter ALL = new Filter(Pattern.compile(".*"), null);
        /** Lists nothing (a configuration that could not be understood). */
        static final Filter NONE = new Filter(null, null);

        private final Pattern include;
        private final Pattern exclude;

        private Filter(Pattern include, Pattern exclude) {
            this.include = include;
            this.exclude = exclude;
        }

        /**
         * @param include regular expression the ID must match entirely; empty means everything
         * @param exclude regular expression of IDs to leave out; empty means none
         * @return the filter
         * @throws java.util.regex.PatternSyntaxException when a pattern is not a regular expression
         */
        static Filter of(String include, String exclude) {
            String in = include == null ? "" : include.strip();
            String ex = exclude == null ? "" : exclude.strip();
            return new Filter(Pattern.compile(in.isEmpty() ? ".*" : in), ex.isEmpty() ? null : Pattern.compile(ex));
        }

        boolean lists(String id) {
            return include != null && include.matcher(id).matches()
                    && (exclude == null || !exclude.matcher(id).matches());
        }

        @Override
        public String toString() {
            return include == null ? "nothing (invalid configuration)"
                    : "include " + include + (exclude == null ? "" : ", exclude " + exclude);
        }
    }
}
