import Foundation
import Yams

/// The server's OpenAPI document, read so that tests can check live responses against it.
///
/// Only the JSON Schema subset the BuckStop document uses is understood: `$ref` to local
/// pointers, `type` (one or a list, including `"null"`), `properties`, `required`,
/// `additionalProperties` (false or a schema), `items`, `enum`, `const`, `minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength`, `pattern`, `minItems`,
/// `maxItems`, `allOf`, `anyOf` and `oneOf`. `format` and annotations are ignored. A keyword
/// outside the subset is ignored rather than guessed at, so keep the document inside it.
///
/// Values are what `JSONSerialization.jsonObject(with:)` returns. Its booleans are `NSNumber`s
/// too, and on Linux `NSNumber(1) is Bool` is true, so `JSONValue` tells the two apart by the
/// number's Objective-C type code instead of by casting.
struct OpenAPIDocument {
    enum LoadError: Error, CustomStringConvertible {
        case notYAML(String)
        case notAMapping
        case missingPaths

        var description: String {
            switch self {
            case .notYAML(let reason): "the OpenAPI document is not valid YAML: \(reason)"
            case .notAMapping: "the OpenAPI document is not a YAML mapping at its top level"
            case .missingPaths: "the OpenAPI document has no `paths` mapping"
            }
        }
    }

    /// The HTTP methods an OpenAPI path item may hold; its other keys (`parameters`, `summary`, …) are not operations.
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The whole document with every mapping keyed by `String`, so that JSON pointers can walk it.
    private let root: [String: Any]
    private let paths: [String: Any]

    init(yaml: String) throws {
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: yaml)
        } catch {
            throw LoadError.notYAML(String(describing: error))
        }
        guard let root = loaded.map(Self.normalized) as? [String: Any] else { throw LoadError.notAMapping }
        guard let paths = root["paths"] as? [String: Any] else { throw LoadError.missingPaths }
        self.root = root
        self.paths = paths
    }

    /// Every path template in the document, e.g. `/api/v1/cases/{code}`.
    var pathTemplates: [String] { paths.keys.sorted() }

    /// Whether the document describes `method` (any case) on the path template `path`.
    func operation(path: String, method: String) -> Bool {
        operationObject(path: path, method: method) != nil
    }

    /// Every operation as (path template, lower-case method), sorted; lets a test walk them all.
    var operations: [(path: String, method: String)] {
        pathTemplates.flatMap { path in
            ((paths[path] as? [String: Any])?.keys.filter(Self.methods.contains).sorted() ?? []).map { (path, $0) }
        }
    }

    /// The bearer scopes an operation needs: `nil` when it is public (`security: []`), else the
    /// union of the scopes its security requirements name (the document-wide default applies
    /// when the operation says nothing). `nil` too for an operation the document lacks.
    func requiredScopes(path: String, method: String) -> [String]? {
        guard let operation = operationObject(path: path, method: method) else { return nil }
        guard let requirements = (operation["security"] ?? root["security"]) as? [Any], !requirements.isEmpty else { return nil }
        var scopes: [String] = []
        for case let requirement as [String: Any] in requirements {
            for case let names as [Any] in requirement.values {
                scopes += names.compactMap { $0 as? String }
            }
        }
        return scopes
    }

    /// The path template that serves `concretePath`, e.g. `/api/v1/cases/{code}` for `/api/v1/cases/HS-1`.
    ///
    /// A query string is ignored. When several templates match, the one with the most literal
    /// segments wins, so `/a/b` beats `/a/{x}` for `/a/b`; ties go to the first in sorted order.
    func templatePath(for concretePath: String) -> String? {
        let pathOnly = concretePath.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let segments = Self.segments(of: pathOnly)
        var best: (template: String, literals: Int)?
        for template in pathTemplates {
            let templateSegments = Self.segments(of: template)
            guard templateSegments.count == segments.count else { continue }
            var literals = 0
            var matches = true
            for (pattern, segment) in zip(templateSegments, segments) {
                if pattern.hasPrefix("{") && pattern.hasSuffix("}") {
                    if segment.isEmpty {
                        matches = false
                        break
                    }
                } else if pattern == segment {
                    literals += 1
                } else {
                    matches = false
                    break
                }
            }
            if matches, literals > (best?.literals ?? -1) { best = (template, literals) }
        }
        return best?.template
    }

    /// Checks a decoded JSON response body against the schema the document gives for
    /// `method` on `path` (a template) answering `status`; returns one line per violation,
    /// none when the body conforms.
    ///
    /// The response is `responses["<status>"]`, else `responses["<n>XX"]`, else
    /// `responses["default"]`; its schema is the one under its JSON media type (`application/json`,
    /// or a `+json` type such as the errors' `application/problem+json`). With `contentType` (the
    /// response's `Content-Type`), that media type must be the one documented: an error sent as
    /// `application/json` where the document says `application/problem+json` is a violation. A status
    /// or operation the document lacks is itself a violation: a test should not pass because the
    /// server answered something undocumented.
    func validate(json: Any, path: String, method: String, status: Int, contentType: String? = nil) -> [String] {
        let operationName = "\(method.uppercased()) \(path)"
        guard let operation = operationObject(path: path, method: method) else {
            return ["\(operationName) is not in the document"]
        }
        guard let responses = operation["responses"] as? [String: Any] else {
            return ["\(operationName) has no responses in the document"]
        }
        let key = [String(status), "\(status / 100)XX", "default"].first { responses[$0] != nil }
        guard let key, var response = responses[key] as? [String: Any] else {
            return ["\(operationName): status \(status) is not documented (documented: \(responses.keys.sorted().joined(separator: ", ")))"]
        }
        if let reference = response["$ref"] as? String {
            guard let target = resolve(reference) as? [String: Any] else {
                return ["\(operationName) \(status): cannot resolve \(reference)"]
            }
            response = target
        }
        guard let content = response["content"] as? [String: Any],
            let mediaKey = content.keys.sorted().first(where: { Self.isJSONMediaType($0) }),
            let media = content[mediaKey] as? [String: Any]
        else {
            return ["\(operationName) \(status): the document gives no application/json body"]
        }
        if let contentType {
            let given = Self.baseMediaType(contentType)
            guard content.keys.contains(where: { Self.baseMediaType($0) == given }) else {
                return [
                    "\(operationName) \(status): Content-Type \(given) is not documented (documented: \(content.keys.sorted().joined(separator: ", ")))"
                ]
            }
        }
        guard let schema = media["schema"] else { return [] }
        var violations: [String] = []
        check(json, against: schema, at: "$", depth: 0, into: &violations)
        return violations
    }

    /// Checks a value against `#/components/schemas/<name>`; for request bodies and fragments.
    func validate(json: Any, schemaNamed name: String) -> [String] {
        var violations: [String] = []
        check(json, against: ["$ref": "#/components/schemas/\(Self.escapePointerToken(name))"], at: "$", depth: 0, into: &violations)
        return violations
    }

    /// Every `example` given for an `application/json` response body, with where it sits; lets a
    /// test keep the document's examples honest against its own schemas.
    func responseExamples() -> [(path: String, method: String, status: Int, example: Any)] {
        var found: [(path: String, method: String, status: Int, example: Any)] = []
        for path in pathTemplates {
            guard let item = paths[path] as? [String: Any] else { continue }
            for method in item.keys.sorted() where Self.methods.contains(method) {
                guard let operation = item[method] as? [String: Any],
                    let responses = operation["responses"] as? [String: Any]
                else { continue }
                for (key, value) in responses {
                    guard let status = Int(key), var response = value as? [String: Any] else { continue }
                    if let reference = response["$ref"] as? String, let target = resolve(reference) as? [String: Any] {
                        response = target
                    }
                    guard let content = response["content"] as? [String: Any] else { continue }
                    for (mediaKey, mediaValue) in content where Self.isJSONMediaType(mediaKey) {
                        if let media = mediaValue as? [String: Any], let example = media["example"] {
                            found.append((path, method, status, example))
                        }
                    }
                }
            }
        }
        return found
    }

    // MARK: - Document access

    private func operationObject(path: String, method: String) -> [String: Any]? {
        let method = method.lowercased()
        guard Self.methods.contains(method), let item = paths[path] as? [String: Any] else { return nil }
        return item[method] as? [String: Any]
    }

    /// Follows a local JSON pointer such as `#/components/schemas/Finding`; remote references are not supported.
    private func resolve(_ reference: String) -> Any? {
        guard reference.hasPrefix("#") else { return nil }
        let pointer = reference.dropFirst()
        if pointer.isEmpty { return root }
        guard pointer.hasPrefix("/") else { return nil }
        var current: Any = root
        for rawToken in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = rawToken.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let mapping = current as? [String: Any], let next = mapping[token] {
                current = next
            } else if let list = current as? [Any], let index = Int(token), list.indices.contains(index) {
                current = list[index]
            } else {
                return nil
            }
        }
        return current
    }

    // MARK: - Schema checking

    /// A `$ref` chain that goes round without consuming any of the value would recurse forever; this bounds it.
    private static let maximumDepth = 64

    private func check(_ value: Any, against schemaValue: Any, at location: String, depth: Int, into violations: inout [String]) {
        guard depth <= Self.maximumDepth else {
            violations.append("\(location): schema nesting deeper than \(Self.maximumDepth); is there a $ref cycle?")
            return
        }
        // JSON Schema allows `true` (anything) and `false` (nothing) as whole schemas.
        if let allowed = schemaValue as? Bool {
            if !allowed { violations.append("\(location): no value is allowed here") }
            return
        }
        guard let schema = schemaValue as? [String: Any] else {
            violations.append("\(location): the document's schema here is not a mapping")
            return
        }
        let json = JSONValue(value)

        // In JSON Schema 2020-12 (OpenAPI 3.1) `$ref` sits beside other keywords and all apply.
        if let reference = schema["$ref"] as? String {
            if let target = resolve(reference) {
                check(value, against: target, at: location, depth: depth + 1, into: &violations)
            } else {
                violations.append("\(location): cannot resolve \(reference)")
            }
        }

        if let typeViolation = checkType(json, schema: schema) {
            // Further keywords would only repeat the same complaint in other words.
            violations.append("\(location): \(typeViolation)")
            return
        }

        if let options = schema["enum"] as? [Any], !options.contains(where: { JSONValue($0) == json }) {
            let listed = options.map { JSONValue($0).rendered }.joined(separator: ", ")
            violations.append("\(location): expected one of [\(listed)], found \(json.rendered)")
        }
        if let constant = schema["const"], JSONValue(constant) != json {
            violations.append("\(location): expected \(JSONValue(constant).rendered), found \(json.rendered)")
        }

        switch json {
        case .number(let number, _):
            checkBounds(number, schema: schema, at: location, into: &violations)
        case .string(let string):
            checkString(string, schema: schema, at: location, into: &violations)
        case .array(let items):
            checkArray(items, schema: schema, at: location, depth: depth, into: &violations)
        case .object(let object):
            checkObject(object, schema: schema, at: location, depth: depth, into: &violations)
        case .null, .bool, .unknown:
            break
        }

        checkComposition(value, schema: schema, at: location, depth: depth, into: &violations)
    }

    /// The `type` keyword; returns the violation, if any.
    private func checkType(_ json: JSONValue, schema: [String: Any]) -> String? {
        let allowed: [String]
        if let single = schema["type"] as? String {
            allowed = [single]
        } else if let list = schema["type"] as? [Any] {
            allowed = list.compactMap { $0 as? String }
        } else {
            return nil
        }
        if allowed.contains(where: { json.hasType($0) }) { return nil }
        let expected = allowed.count == 1 ? allowed[0] : "one of types [\(allowed.joined(separator: ", "))]"
        return "expected \(expected), found \(json.typeDescription) \(json.rendered)"
    }

    private func checkBounds(_ number: Double, schema: [String: Any], at location: String, into violations: inout [String]) {
        let shown = JSONValue.render(number: number)
        if let minimum = Self.number(schema["minimum"]), number < minimum {
            violations.append("\(location): expected at least \(JSONValue.render(number: minimum)), found \(shown)")
        }
        if let maximum = Self.number(schema["maximum"]), number > maximum {
            violations.append("\(location): expected at most \(JSONValue.render(number: maximum)), found \(shown)")
        }
        if let bound = Self.number(schema["exclusiveMinimum"]), number <= bound {
            violations.append("\(location): expected more than \(JSONValue.render(number: bound)), found \(shown)")
        }
        if let bound = Self.number(schema["exclusiveMaximum"]), number >= bound {
            violations.append("\(location): expected less than \(JSONValue.render(number: bound)), found \(shown)")
        }
    }

    private func checkString(_ string: String, schema: [String: Any], at location: String, into violations: inout [String]) {
        // JSON Schema counts code points, not grapheme clusters.
        let length = string.unicodeScalars.count
        if let minimum = schema["minLength"] as? Int, length < minimum {
            violations.append("\(location): expected at least \(minimum) characters, found \(length)")
        }
        if let maximum = schema["maxLength"] as? Int, length > maximum {
            violations.append("\(location): expected at most \(maximum) characters, found \(length)")
        }
        if let pattern = schema["pattern"] as? String {
            do {
                let expression = try NSRegularExpression(pattern: pattern)
                let whole = NSRange(string.startIndex..<string.endIndex, in: string)
                // `pattern` is unanchored in JSON Schema: a match anywhere counts.
                if expression.firstMatch(in: string, range: whole) == nil {
                    violations.append("\(location): expected to match /\(pattern)/, found \(JSONValue.string(string).rendered)")
                }
            } catch {
                violations.append("\(location): the document's pattern /\(pattern)/ is not a valid regular expression")
            }
        }
    }

    private func checkArray(_ items: [Any], schema: [String: Any], at location: String, depth: Int, into violations: inout [String]) {
        if let minimum = schema["minItems"] as? Int, items.count < minimum {
            violations.append("\(location): expected at least \(minimum) items, found \(items.count)")
        }
        if let maximum = schema["maxItems"] as? Int, items.count > maximum {
            violations.append("\(location): expected at most \(maximum) items, found \(items.count)")
        }
        if let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() {
                check(item, against: itemSchema, at: "\(location)[\(index)]", depth: depth + 1, into: &violations)
            }
        }
    }

    private func checkObject(_ object: [String: Any], schema: [String: Any], at location: String, depth: Int, into violations: inout [String]) {
        let properties = schema["properties"] as? [String: Any] ?? [:]
        for name in (schema["required"] as? [Any] ?? []).compactMap({ $0 as? String }) where object[name] == nil {
            violations.append("\(Self.member(name, of: location)): required property is missing")
        }
        for name in object.keys.sorted() {
            guard let propertyValue = object[name] else { continue }
            if let propertySchema = properties[name] {
                check(propertyValue, against: propertySchema, at: Self.member(name, of: location), depth: depth + 1, into: &violations)
            } else if let additional = schema["additionalProperties"] {
                if let allowed = additional as? Bool {
                    if !allowed { violations.append("\(Self.member(name, of: location)): property is not allowed here") }
                } else {
                    check(propertyValue, against: additional, at: Self.member(name, of: location), depth: depth + 1, into: &violations)
                }
            }
        }
    }

    /// `allOf`, `anyOf` and `oneOf`; the branches' own complaints are summarised, not listed,
    /// since most of them are expected to fail.
    private func checkComposition(_ value: Any, schema: [String: Any], at location: String, depth: Int, into violations: inout [String]) {
        if let branches = schema["allOf"] as? [Any] {
            for branch in branches {
                check(value, against: branch, at: location, depth: depth + 1, into: &violations)
            }
        }
        if let branches = schema["anyOf"] as? [Any] {
            let failures = branches.map { branchViolations(value, branch: $0, at: location, depth: depth) }
            if !failures.contains(where: \.isEmpty) {
                violations.append("\(location): matches none of anyOf's \(branches.count) schemas (\(Self.firstComplaints(failures)))")
            }
        }
        if let branches = schema["oneOf"] as? [Any] {
            let failures = branches.map { branchViolations(value, branch: $0, at: location, depth: depth) }
            let matching = failures.filter(\.isEmpty).count
            if matching == 0 {
                violations.append("\(location): matches none of oneOf's \(branches.count) schemas (\(Self.firstComplaints(failures)))")
            } else if matching > 1 {
                violations.append("\(location): matches \(matching) of oneOf's schemas, expected exactly one")
            }
        }
    }

    private func branchViolations(_ value: Any, branch: Any, at location: String, depth: Int) -> [String] {
        var found: [String] = []
        check(value, against: branch, at: location, depth: depth + 1, into: &found)
        return found
    }

    private static func firstComplaints(_ failures: [[String]]) -> String {
        failures.compactMap(\.first).joined(separator: "; ")
    }

    // MARK: - Helpers

    /// A YAML or JSON number as a `Double`; `nil` for anything else, booleans included.
    private static func number(_ value: Any?) -> Double? {
        guard let value, case .number(let number, _) = JSONValue(value) else { return nil }
        return number
    }

    /// `$.name` for plain names, `$["odd name"]` otherwise, so a path always reads back unambiguously.
    private static func member(_ name: String, of location: String) -> String {
        let isPlain =
            !name.isEmpty && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" }
            && !(name.unicodeScalars.first.map { CharacterSet.decimalDigits.contains($0) } ?? true)
        return isPlain ? "\(location).\(name)" : "\(location)[\(JSONValue.string(name).rendered)]"
    }

    private static func segments(of path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
    }

    private static func isJSONMediaType(_ key: String) -> Bool {
        let base = baseMediaType(key)
        return base == "application/json" || base.hasSuffix("+json")
    }

    /// `application/problem+json` of `application/problem+json; charset=utf-8`.
    private static func baseMediaType(_ value: String) -> String {
        value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    private static func escapePointerToken(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Rebuilds whatever Yams produced with `String` keys throughout: an unquoted `200:` in YAML
    /// is an integer key, and pointer lookups must find it as `"200"` all the same.
    private static func normalized(_ value: Any) -> Any {
        if let mapping = value as? [String: Any] {
            return mapping.mapValues(normalized)
        }
        if let mapping = value as? [AnyHashable: Any] {
            var result: [String: Any] = [:]
            for (key, element) in mapping { result[String(describing: key.base)] = normalized(element) }
            return result
        }
        if let list = value as? [Any] {
            return list.map(normalized)
        }
        return value
    }
}

extension OpenAPIDocument {
    /// One JSON value, classified once so that booleans, whole numbers and other numbers are told
    /// apart reliably. Nested so that it is never confused with BuckStopLedger's own `JSONValue`.
    enum JSONValue: Equatable {
        case null
        case bool(Bool)
        /// `isWhole` is true for a number with no fractional part, which JSON Schema's `integer` accepts (`2.0` included).
        case number(Double, isWhole: Bool)
        case string(String)
        case array([Any])
        case object([String: Any])
        /// Something no JSON parser produces (a `Date`, say); it matches no type.
        case unknown(String)

        init(_ value: Any) {
            // Exact type checks first: casting with `as?` would bridge an `NSNumber` 1 to `true`
            // on Linux, and a Swift `Bool` to an `NSNumber` everywhere.
            if value is NSNull {
                self = .null
            } else if let bool = value as? Bool, type(of: value) == Bool.self {
                self = .bool(bool)
            } else if type(of: value) is NSNumber.Type, let number = value as? NSNumber {
                self = Self.classify(number)
            } else if let integer = value as? any BinaryInteger {
                let double = Double(integer)
                self = .number(double, isWhole: true)
            } else if let floating = value as? any BinaryFloatingPoint {
                let double = Double(floating)
                self = .number(double, isWhole: double.isFinite && double.rounded() == double)
            } else if let string = value as? String {
                self = .string(string)
            } else if let list = value as? [Any] {
                self = .array(list)
            } else if let object = value as? [String: Any] {
                self = .object(object)
            } else if let optional = value as? OptionalProtocol {
                self = optional.wrappedAny.map(JSONValue.init) ?? .null
            } else {
                self = .unknown(String(describing: type(of: value)))
            }
        }

        /// `JSONSerialization` makes `true`/`false` as `NSNumber`s whose Objective-C type code is
        /// `c` (char), the code of `CFBoolean` on Darwin and of `__NSCFBoolean` on Linux; its
        /// numbers are `i`, `q` or `d`. An `NSNumber(value: Int8)` also reports `c`, but no JSON
        /// parser makes one.
        private static func classify(_ number: NSNumber) -> JSONValue {
            let code = String(cString: number.objCType)
            if code == "c" || code == "B" { return .bool(number.boolValue) }
            let double = number.doubleValue
            if ["d", "f"].contains(code) {
                return .number(double, isWhole: double.isFinite && double.rounded() == double)
            }
            return .number(double, isWhole: true)
        }

        /// Whether this value is an instance of the JSON Schema type `name`.
        func hasType(_ name: String) -> Bool {
            switch (name, self) {
            case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object):
                true
            case ("integer", .number(_, let isWhole)):
                isWhole
            default:
                false
            }
        }

        var typeDescription: String {
            switch self {
            case .null: "null"
            case .bool: "boolean"
            case .number(_, let isWhole): isWhole ? "integer" : "number"
            case .string: "string"
            case .array: "array"
            case .object: "object"
            case .unknown(let typeName): "non-JSON \(typeName)"
            }
        }

        /// A short JSON-like rendering for messages; long strings and containers are abbreviated.
        var rendered: String {
            switch self {
            case .null: return "null"
            case .bool(let bool): return bool ? "true" : "false"
            case .number(let number, _): return Self.render(number: number)
            case .string(let string):
                let shown = string.count > 60 ? String(string.prefix(57)) + "..." : string
                let escaped = shown.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    .replacingOccurrences(of: "\n", with: "\\n")
                return "\"\(escaped)\""
            case .array(let items): return "[…\(items.count) items]"
            case .object(let object): return "{…\(object.count) properties}"
            case .unknown(let typeName): return "<\(typeName)>"
            }
        }

        static func render(number: Double) -> String {
            if number.isFinite, number.rounded() == number, abs(number) < 1e18 { return String(Int64(number)) }
            return String(number)
        }

        /// JSON equality for `enum` and `const`: numbers by value (`1` equals `1.0`), containers element by element.
        static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
            switch (lhs, rhs) {
            case (.null, .null): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.number(let a, _), .number(let b, _)): return a == b
            case (.string(let a), .string(let b)): return a == b
            case (.array(let a), .array(let b)):
                return a.count == b.count && zip(a, b).allSatisfy { JSONValue($0) == JSONValue($1) }
            case (.object(let a), .object(let b)):
                return a.count == b.count && a.allSatisfy { key, value in b[key].map { JSONValue($0) == JSONValue(value) } ?? false }
            default: return false
            }
        }
    }
}

/// Lets `JSONValue` see through an `Optional` that arrived boxed in `Any` (a hand-built `[String: Any?]`).
private protocol OptionalProtocol {
    var wrappedAny: Any? { get }
}

extension Optional: OptionalProtocol {
    fileprivate var wrappedAny: Any? { self.map { $0 as Any } }
}
