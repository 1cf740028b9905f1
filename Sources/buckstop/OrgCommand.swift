import ArgumentParser
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation

struct OrgCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "org", abstract: "Cơ cấu tổ chức / the organisation: load from YAML, show.",
        subcommands: [OrgLoadCommand.self, OrgShowCommand.self])
}

/// Installs or restructures the organisation from a YAML file.
struct OrgLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Nạp cơ cấu tổ chức từ YAML / load the organisation from YAML.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "YAML file with units, officials and mandates.") var file: String

    func run() async throws {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch { throw CLIError("cannot read \(file): \(error.localizedDescription)") }
        let org: Organization
        do { org = try YAMLLoading.organization(from: text) } catch { throw CLIError("\(file): \(error)") }
        // Through the live ledger, like every write: the detectors' model follows the new organisation.
        try await global.withLiveLedger(creating: true) { live in
            do { try await live.installOrganization(org) } catch { throw CLIError("cannot install the organisation: \(error)") }
            print("Đã nạp / loaded \(org.units.count) units, \(org.officials.count) officials, \(org.mandates.count) mandates")
        }
    }
}

/// Prints the unit tree with heads and officials, or the YAML form.
struct OrgShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Xem cơ cấu tổ chức / show the organisation.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print as YAML (the format `org load` reads).") var yaml = false

    func run() async throws {
        try await global.withStore { store in
            let org = try store.organization()
            if yaml { return print(try YAMLLoading.encode(org)) }
            func show(_ unit: BuckStopDomain.Unit, depth: Int) {
                let pad = String(repeating: "  ", count: depth)
                print("\(pad)\(unit.name) [\(unit.id)] — \(unit.kind.rawValue), mã \(unit.code)")
                for official in org.officials(in: unit.id) {
                    let mark = unit.head == official.id ? "★ " : (unit.deputies.contains(official.id) ? "☆ " : "· ")
                    print("\(pad)    \(mark)\(official.id)  \(official.name) — \(official.position)")
                }
                for child in org.children(of: unit.id) { show(child, depth: depth + 1) }
            }
            for root in org.units.values.filter({ $0.parent == nil }).sorted(by: { $0.id < $1.id }) { show(root, depth: 0) }
        }
    }
}
