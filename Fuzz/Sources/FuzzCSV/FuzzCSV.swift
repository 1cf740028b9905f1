import BuckStopEventLog
import FuzzSupport

/// An exported CSV log with the columns named case, activity, time and owner (the seeds use them): any bytes are read
/// or refused with an error naming line and column.
@_cdecl("FuzzCSV_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { bytes in
        var options = LogReadOptions()
        options.batchEvents = 64
        for grouped in [false, true] {
            var source = MemoryByteSource(bytes)
            let csv = CSVLogOptions(caseColumn: "case", activityColumn: "activity", timeColumn: "time", ownerColumn: "owner", groupedByCase: grouped)
            _ = try? CSVReader.read(&source, csv: csv, options: options) { _ in }
        }
        return
    }
}
