//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Fuzzing
  import AllocatorFuzzing
  import Glibc

  /// The pass this fuzzing process runs: the differential oracle over every backend, or, with
  /// `SWIFTMALLOC_FUZZ_PASS=freed-memory`, writes into freed blocks of hardened pymalloc heaps.
  enum FuzzPass {
    case oracle(FuzzCampaign)
    #if Pymalloc
      case freedMemory(FreedMemoryCampaign)
    #endif
  }

  /// The pass of this process: libFuzzer calls in on one thread.
  nonisolated(unsafe) private var pass = FuzzPass.chosenByEnvironment()

  /// libFuzzer's setup hook: names the pass and prints the totals when libFuzzer exits.
  @_cdecl("LLVMFuzzerInitialize")
  public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
  ) -> CInt {
    FuzzReport.write("swiftmalloc-fuzz: \(pass.title)")
    atexit { FuzzReport.write(pass.summary) }
    return 0
  }

  /// libFuzzer's entry: decodes the input and runs it; any violation or divergence aborts, which libFuzzer
  /// records as a crash with the input that caused it.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let problems = pass.run(UnsafeBufferPointer(start: data, count: size))
    guard problems.isEmpty else {
      problems.forEach(FuzzReport.write)
      abort()
    }
    return 0
  }

  extension FuzzPass {
    /// The pass `SWIFTMALLOC_FUZZ_PASS` names (`oracle`, the default, or `freed-memory`); an unknown name, or
    /// the freed-memory pass in a build whose arenas ASan poisons, exits with an error naming it.
    static func chosenByEnvironment() -> FuzzPass {
      let name = getenv("SWIFTMALLOC_FUZZ_PASS").map { String(cString: $0) } ?? "oracle"
      switch name {
      case "oracle", "": return .oracle(FuzzCampaign.everyBackend())
      #if Pymalloc && !SWIFTMALLOC_ASAN
        case "freed-memory": return .freedMemory(FreedMemoryCampaign())
      #endif
      default:
        FuzzReport.write(
          "swiftmalloc-fuzz: SWIFTMALLOC_FUZZ_PASS '\(name)' is not a pass of this build (oracle; freed-memory "
            + "needs the Pymalloc trait and a build without ASan poisoning)")
        exit(2)
      }
    }

    var title: String {
      switch self {
      case .oracle(let campaign): "differential oracle over \(campaign.configurations.map(\.name))"
      #if Pymalloc
        case .freedMemory: "writes into freed memory of hardened pymalloc heaps (single-owner and concurrent)"
      #endif
      }
    }

    var summary: String {
      switch self {
      case .oracle(let campaign): FuzzReport.summary(of: campaign, problems: 0)
      #if Pymalloc
        case .freedMemory(let campaign): FuzzReport.summary(of: campaign)
      #endif
      }
    }

    mutating func run(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
      switch self {
      case .oracle(var campaign):
        defer { self = .oracle(campaign) }
        return campaign.run(FuzzProgram(decoding: bytes))
      #if Pymalloc
        case .freedMemory(var campaign):
          defer { self = .freedMemory(campaign) }
          return campaign.run(FreedMemoryProgram(decoding: bytes)).violations
      #endif
      }
    }
  }
#endif
