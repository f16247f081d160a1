package org.cardinaldm.syncml.internal.io;

/**
 * XML 1.0 (fifth edition) names without a colon (NCName, Namespaces in XML 1.0): what a local element or
 * attribute name may be. WBXML LITERAL names are checked with it on read and element names on XML write,
 * so that a name can never carry markup into an XML document.
 */
public final class XmlNames {
    private XmlNames() {
    }

    /**
     * @param name a name, possibly null
     * @return whether it is a non-empty NCName
     */
    public static boolean isNcName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        int i = 0;
        boolean first = true;
        while (i < name.length()) {
            int c = name.codePointAt(i);
            if (!(first ? isStart(c) : isStart(c) || isPart(c))) {
                return false;
            }
            first = false;
            i += Character.charCount(c);
        }
        return true;
    }

    private static boolean isStart(int c) {
        return (c >= 'A' && c <= 'Z') || c == '_' || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6)
                || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D)
                || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F)
                || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF)
                || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
    }

    private static boolean isPart(int c) {
        return c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 || (c >= 0x300 && c <= 0x36F)
                || (c >= 0x203F && c <= 0x2040);
    }
}
