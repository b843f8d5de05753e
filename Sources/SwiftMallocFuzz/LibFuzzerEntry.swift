//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Fuzzing
  import AllocatorFuzzing
  import Glibc

  /// The campaign of this fuzzing process: libFuzzer calls in on one thread.
  nonisolated(unsafe) private var campaign = FuzzCampaign.everyBackend()

  /// libFuzzer's setup hook: names the backends and prints the totals when libFuzzer exits.
  @_cdecl("LLVMFuzzerInitialize")
  public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
  ) -> CInt {
    FuzzReport.write("swiftmalloc-fuzz: differential oracle over \(campaign.configurations.map(\.name))")
    atexit { FuzzReport.write(FuzzReport.summary(of: campaign, problems: 0)) }
    return 0
  }

  /// libFuzzer's entry: decodes the input and runs it on every backend; any violation or divergence aborts, which
  /// libFuzzer records as a crash with the input that caused it.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let program = FuzzProgram(decoding: UnsafeBufferPointer(start: data, count: size))
    let problems = campaign.run(program)
    guard problems.isEmpty else {
      problems.forEach(FuzzReport.write)
      abort()
    }
    return 0
  }
#endif
