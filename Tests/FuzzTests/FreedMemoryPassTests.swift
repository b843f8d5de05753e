//===----------------------------------------------------------------------===//
// This source file is part of the swift-malloc open source project.
//===----------------------------------------------------------------------===//

#if Pymalloc
  import AllocatorFuzzing
  import AllocatorWorkloads
  import Foundation
  import Testing

  /// Whether this build poisons freed blocks for AddressSanitizer (`make asan`).
  #if SWIFTMALLOC_ASAN
    let arenasArePoisoned = true
  #else
    let arenasArePoisoned = false
  #endif

  /// The freed-memory pass of `make fuzz` on random and hand-made programs: hardened heaps catch every write into
  /// freed memory or survive it, and a forged link does harm without the hardening (so the pass can fail). Random
  /// writes are not run on unhardened heaps: a garbage link there can hand out any address in the process.
  @Suite(
    "freed-memory pass: writes into freed blocks of hardened heaps are caught or harmless",
    .disabled(if: arenasArePoisoned, "writes into freed blocks, which ASan reports first"))
  struct FreedMemoryPassTests {
    /// 200 random programs of 6 000 bytes each (about 1 500 steps).
    static let randomPrograms: [FreedMemoryProgram] = {
      var generator = XorShift64(seed: 17)
      return (0..<200).map { _ in
        FreedMemoryProgram(decoding: (0..<6_000).map { _ in UInt8(truncatingIfNeeded: generator.next() >> 24) })
      }
    }()

    /// Frees block A, points its link at the live block B, then allocates twice from their class.
    static let forgedLink = FreedMemoryProgram(steps: [
      .allocate(size: 32, slot: 0), .allocate(size: 32, slot: 1), .free(slot: 0),
      .write(recency: 0, .liveAddress(offset: 0, slot: 1, delta: 0)),
      .allocate(size: 32, slot: 2), .allocate(size: 32, slot: 3),
    ])

    @Test("random programs: thousands of writes, some caught, none harmful")
    func randomProgramsOnHardenedHeaps() {
      var campaign = FreedMemoryCampaign()
      for program in Self.randomPrograms { _ = campaign.run(program) }
      #expect(campaign.total.violations.isEmpty, "\(campaign.total.violations.prefix(5))")
      #expect(campaign.total.writes > 10_000 && campaign.total.reports > 0, "\(campaign.total)")
    }

    @Test("a link forged to a live block hands it out twice without hardening; hardened, it is caught")
    func forgedLinkToLiveBlock() {
      var plain = FreedMemoryCampaign(hardened: false)
      let harm = plain.run(Self.forgedLink).violations
      #expect(harm.count == 2 && harm.allSatisfy { $0.contains("step 5: ") && $0.contains("over the live block") })
      var hardened = FreedMemoryCampaign()
      let outcome = hardened.run(Self.forgedLink)
      #expect(outcome.violations.isEmpty && outcome.reports == 2 && outcome.writes == 2, "\(outcome)")
    }

    @Test("the inputs libFuzzer found harmful once are caught or harmless now")
    func savedInputs() throws {
      let directory = fixtures + "/../freed-memory"
      let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
      #expect(!names.isEmpty)
      for name in names {
        var campaign = FreedMemoryCampaign()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)"))
        let outcome = campaign.run(FreedMemoryProgram(decoding: bytes))
        #expect(outcome.violations.isEmpty, "\(name): \(outcome.violations)")
      }
    }

    @Test("decoding: every byte string is a program, each opcode its step")
    func decoding() {
      let program = FreedMemoryProgram(decoding: [0, 0x01, 0x00, 3, 4, 3, 6, 0, 0x01, 5, 0])
      #expect(
        program.steps == [
          .allocate(size: 257, slot: 3), .free(slot: 3),
          .write(recency: 0, .liveAddress(offset: 0, slot: 5, delta: -32)),
        ])
      #expect(FreedMemoryProgram(decoding: [UInt8]()).steps.isEmpty)
    }
  }
#endif
