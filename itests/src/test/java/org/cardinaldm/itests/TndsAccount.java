package org.cardinaldm.itests;

/**
 * A DM 1.2 server account (DMAcc) as a TNDS XML document, written by hand the way an operator or a
 * provisioning system would, for {@code dm:import}. The secret is a value that appears nowhere
 * else, so finding it in an output or a log proves a leak.
 */
final class TndsAccount {
    /** The account's node name below {@code ./DMAcc}. */
    static final String NODE = "ITSrv";
    /** Its ServerID. */
    static final String SERVER_ID = "itsrv.example";
    /** Its server address. */
    static final String ADDRESS = "https://dm.example.com/cardinal-it";
    /** Its AAuthSecret: write-only, never to be printed or logged. */
    static final String SECRET = "it-s3cr3t-Qv8z-never-printed";

    private TndsAccount() {
    }

    /** @return the account at {@code ./DMAcc/ITSrv} */
    static String document() {
        return document(NODE, "w7");
    }

    /**
     * @param node the account's node name
     * @param appId the AppID to write (anything but {@code w7} is invalid)
     * @return the TNDS document
     */
    static String document(String node, String appId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<MgmtTree xmlns=\"syncml:dmddf1.2\">\n"
                + "  <VerDTD>1.2</VerDTD>\n"
                + "  <Node>\n"
                + "    <NodeName>" + node + "</NodeName>\n"
                + "    <Path>./DMAcc</Path>\n"
                + "    <RTProperties><Format><node/></Format><Type><DDFName>urn:oma:mo:oma-dm-dmacc:1.0</DDFName></Type></RTProperties>\n"
                + leaf("AppID", appId)
                + leaf("ServerID", SERVER_ID)
                + leaf("Name", "Cardinal IT server")
                + "    <Node><NodeName>AppAddr</NodeName><Node><NodeName>1</NodeName>\n"
                + leaf("Addr", ADDRESS)
                + leaf("AddrType", "URI")
                + "      <Node><NodeName>Port</NodeName><Node><NodeName>1</NodeName>\n"
                + leaf("PortNbr", "443")
                + "      </Node></Node>\n"
                + "    </Node></Node>\n"
                + leaf("AAuthPref", "DIGEST")
                + "    <Node><NodeName>AppAuth</NodeName><Node><NodeName>1</NodeName>\n"
                + leaf("AAuthLevel", "SRVCRED")
                + leaf("AAuthType", "DIGEST")
                + leaf("AAuthName", "device-it-17")
                + leaf("AAuthSecret", SECRET)
                + "    </Node></Node>\n"
                + "  </Node>\n"
                + "</MgmtTree>\n";
    }

    private static String leaf(String name, String value) {
        return "      <Node><NodeName>" + name + "</NodeName><RTProperties><Format><chr/></Format></RTProperties><Value>"
                + value + "</Value></Node>\n";
    }
}
