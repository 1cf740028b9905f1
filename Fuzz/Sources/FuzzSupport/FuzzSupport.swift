/// The fuzz targets' entry point. SwiftPM links an executable with `main` set to `<Module>_main`, so each target
/// defines that and hands libFuzzer's driver its test function (`LLVMFuzzerRunDriver`, libFuzzer's documented way
/// to run from one's own `main`).

// swift-format-ignore: AlwaysUseLowerCamelCase
// The C symbol's own name.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The input under test; set once before libFuzzer starts calling back (one thread).
nonisolated(unsafe) private var testOneInput: (([UInt8]) -> Void)?

public func runFuzzer(
    _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ body: @escaping ([UInt8]) -> Void
) -> Int32 {
    testOneInput = body
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        testOneInput?(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
