package org.cardinaldm.benchmarks.loadgen;

import java.util.function.Consumer;

/**
 * What one simulated device does for a firmware update, in both FUMO variants: the session that receives the
 * server's commands (Replace 200, Exec of {@code DownloadAndUpdate} 202 with the Correlator, Get {@code State} 30),
 * the download of {@code PkgURL} (optionally cut at half and resumed with Range), then a second session whose
 * package 1 carries the Generic Alert 1226 with the FUMO result code. Thread-safe; a device runs one update at a
 * time.
 */
final class FumoDeviceUpdate {
    private final SimDevice.Wire wire;
    private final FumoDownloader downloader;
    private final Consumer<SimDevice.SessionFailure> errors;

    FumoDeviceUpdate(SimDevice.Wire wire, FumoDownloader downloader, Consumer<SimDevice.SessionFailure> errors) {
        this.wire = wire;
        this.downloader = downloader;
        this.errors = errors;
    }

    /**
     * @param d the device
     * @param cut whether its download is cut at half and resumed
     * @return the outcome, for counting: {@code reported <code>}, {@code no Exec received}, {@code session failed:
     *         <kind>} or {@code exception <class>}
     */
    String update(SimDevice d, boolean cut) {
        synchronized (d) {
            try {
                SimDevice.Run r = d.session(wire);
                if (r.open()) {
                    r.finish();
                }
                SimDevice.FumoExec e = d.pendingFumo;
                if (e == null) {
                    return "no Exec received";
                }
                int code = downloader.download(e.pkgUrl(), cut);
                SimDevice.Run report = d.session(wire, SimDevice.fumoReport(e, code));
                if (report.open()) {
                    report.finish();
                }
                d.pendingFumo = null;
                return "reported " + code;
            } catch (SimDevice.SessionFailure f) {
                errors.accept(f);
                return "session failed: " + f.kind;
            } catch (RuntimeException x) {
                return "exception " + x.getClass().getSimpleName();
            }
        }
    }
}
