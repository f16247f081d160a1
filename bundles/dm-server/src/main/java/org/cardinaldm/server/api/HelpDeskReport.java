package org.cardinaldm.server.api;

import java.util.List;
import java.util.Objects;

/**
 * What a device reported to a help-desk request (RD use case 5.2.1), as sections a help-desk agent
 * reads: {@link Kind#DEVICE} (DevId, manufacturer, model, serial, firmware, software and hardware
 * versions, capabilities), {@link Kind#CARD} ({@code ./SmartCard/Info} and {@code ./SmartCard/Policy}),
 * {@link Kind#FIRMWARE} (the FUMO instances of {@code ./FUMO}, {@code ./DevDetail/FwV} and the card's FUMO policy),
 * {@link Kind#CONNECTIVITY} (the {@code ./DMAcc} accounts), {@link Kind#APPLICATIONS} (the SCOMO
 * inventory), {@link Kind#LOGS} and {@link Kind#OTHER} (leaves no section maps). Made by
 * {@link HelpDesk#report(List)} from the help-desk jobs' results.
 *
 * <p>A report never holds a secret: leaves whose name looks like one ({@code AAuthSecret},
 * {@code AAuthData}, passwords, keys, PINs, nonces) are dropped and only counted in {@link #withheld()}.
 *
 * @param deviceId the DevId the jobs were sent to
 * @param jobIds the jobs the report is made from, in order
 * @param complete true when no session works on any of the jobs any more ({@link JobState#isSettled()})
 * @param sections the seven sections, always in the order of {@link Kind}
 * @param reads every read of the jobs with its status
 * @param withheld how many secret-looking leaves were dropped
 */
public record HelpDeskReport(String deviceId, List<Long> jobIds, boolean complete, List<Section> sections,
        List<Read> reads, int withheld) {

    /** Checks and copies. */
    public HelpDeskReport {
        Objects.requireNonNull(deviceId, "deviceId");
        jobIds = List.copyOf(jobIds);
        sections = List.copyOf(sections);
        reads = List.copyOf(reads);
    }

    /**
     * @param kind a section kind
     * @return that section (every report has one of each kind)
     */
    public Section section(Kind kind) {
        return sections.stream().filter(s -> s.kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalStateException("no section " + kind));
    }

    /** @return the reads that ended with a status other than 2xx */
    public List<Read> failedReads() {
        return reads.stream().filter(Read::failed).toList();
    }

    /** The sections of a report. */
    public enum Kind {
        /** Type, serial, versions and capabilities, from {@code ./DevInfo} and {@code ./DevDetail}. */
        DEVICE("Device"),
        /** The smart card, from {@code ./SmartCard/Info} and {@code ./SmartCard/Policy}. */
        CARD("Card"),
        /**
         * Firmware: the installed version ({@code ./DevDetail/FwV}), each FUMO 1.0 instance of {@code ./FUMO}
         * (package name and version, State, progress when the device shows one) and the card's FUMO policy
         * ({@code ./SmartCard/Policy/FUMO}: trusted signers, threshold, anti-rollback counter).
         *
         * @since 3.1.0
         */
        FIRMWARE("Firmware"),
        /** The DM accounts of {@code ./DMAcc}: server ids, addresses, ports, authentication types. */
        CONNECTIVITY("Connectivity"),
        /** The installed applications of the SCOMO inventory ({@code ./SCOMO/Inventory}). */
        APPLICATIONS("Installed applications"),
        /** Event and performance logs ({@code ./DiagMon} or any read whose path names a log). */
        LOGS("Logs"),
        /** Leaves that no other section maps. */
        OTHER("Other");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        /** @return the title shown to operators, e.g. {@code Installed applications} */
        public String title() {
            return title;
        }
    }

    /**
     * One section.
     *
     * @param kind the section
     * @param note why the section is empty or partial ({@code not reported by the device (404)},
     *        {@code no answer yet}, {@code not requested}, {@code read failed: 403 Forbidden}), or null
     *        when it holds what was asked
     * @param groups its groups: one per account, application or card area; a group without a name
     *        holds the section's plain entries
     */
    public record Section(Kind kind, String note, List<Group> groups) {
        /** Checks and copies. */
        public Section {
            Objects.requireNonNull(kind, "kind");
            groups = List.copyOf(groups);
        }

        /** @return true when no group holds an entry */
        public boolean isEmpty() {
            return groups.stream().allMatch(g -> g.entries().isEmpty());
        }

        /**
         * @param label an entry label, e.g. {@code Model}
         * @return the value of the first entry with that label in any group, or null
         */
        public String value(String label) {
            for (Group g : groups) {
                for (Entry e : g.entries()) {
                    if (e.label().equals(label)) {
                        return e.value();
                    }
                }
            }
            return null;
        }
    }

    /**
     * Entries that belong together: one DM account, one application, the card's policy.
     *
     * @param name the group's name (e.g. the account's node name and ServerID), or null
     * @param entries its entries, in order
     */
    public record Group(String name, List<Entry> entries) {
        /** Copies. */
        public Group {
            entries = List.copyOf(entries);
        }
    }

    /**
     * One reported value.
     *
     * @param label what it is, e.g. {@code Firmware version}
     * @param value the value as the device sent it (binary values as {@code b64:} and their base64), or
     *        null when the device sent none
     * @param uri the node it came from, or null when it is made of several nodes
     */
    public record Entry(String label, String value, String uri) {
        /** Checks. */
        public Entry {
            Objects.requireNonNull(label, "label");
        }
    }

    /**
     * One read of a help-desk job and how it ended.
     *
     * @param jobId the job
     * @param index the operation's index in the job
     * @param uri the URI asked, e.g. {@code ./DevInfo?list=StructData}
     * @param status the SyncML status, or null when the device has not answered (yet)
     * @param section the section the read feeds
     */
    public record Read(long jobId, int index, String uri, Integer status, Kind section) {
        /** Checks. */
        public Read {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(section, "section");
        }

        /** @return true when the device answered with a status other than 2xx */
        public boolean failed() {
            return status != null && (status < 200 || status > 299);
        }

        /** @return the status with its meaning, e.g. {@code 404 Not found}, or {@code no answer} */
        public String statusText() {
            return status == null ? "no answer" : status + " " + meaning(status);
        }

        /**
         * @param status a SyncML status code
         * @return its short meaning (OMA-TS-DM_RepPro-V1_2 status codes), e.g. {@code Not found}
         */
        public static String meaning(int status) {
            switch (status) {
                case 200: return "OK";
                case 213: return "Chunked item accepted";
                case 215: return "Not executed";
                case 216: return "Atomic roll back OK";
                case 400: return "Bad request";
                case 401: return "Invalid credentials";
                case 403: return "Forbidden";
                case 404: return "Not found";
                case 405: return "Command not allowed";
                case 406: return "Optional feature not supported";
                case 407: return "Missing credentials";
                case 413: return "Request entity too large";
                case 415: return "Unsupported media type";
                case 425: return "Permission denied";
                case 500: return "Command failed";
                case 507: return "Atomic failed";
                default:
                    return status >= 200 && status < 300 ? "OK" : status >= 500 ? "Device error" : "Refused";
            }
        }
    }
}
